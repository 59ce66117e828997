import csv
import io

import pytest
from django.urls import reverse

from community.models import Post
from moderation import services
from moderation.models import Flag, ModerationAction, WatchedWord
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db

MODERATOR_PAGES = [
    ("get", "moderation:queue", {}),
    ("get", "moderation:log", {}),
    ("get", "moderation:log_csv", {}),
    ("get", "moderation:watched_words", {}),
    ("post", "moderation:decide_post", {"post_id": 1}),
    ("post", "moderation:decide_report", {"report_id": 1}),
    ("post", "moderation:remove_watched_word", {"word_id": 1}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), MODERATOR_PAGES)
def test_moderation_pages_refuse_members_who_are_not_moderators(client, method, name, kwargs):
    client.force_login(UserFactory())
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    assert "The moderation pages are for moderators." in response.content.decode()


@pytest.mark.parametrize(("method", "name", "kwargs"), MODERATOR_PAGES)
def test_moderators_without_two_factor_are_sent_to_set_it_up(client, method, name, kwargs):
    from accounts.roles import Role

    client.force_login(UserFactory(roles=[Role.MODERATOR], two_factor=False))
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("name", ["moderation:queue", "moderation:log"])
def test_visitors_are_asked_to_log_in(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("method", "name", "kwargs"), MODERATOR_PAGES[:3])
def test_get_pages_refuse_posts_and_decisions_refuse_gets(client, method, name, kwargs):
    client.force_login(ModeratorFactory())
    other = "post" if method == "get" else "get"
    assert getattr(client, other)(reverse(name, kwargs=kwargs)).status_code == 405


def flagged_posts(count):
    thread = community.thread(title="Busy thread")
    posts = community.replies(thread, count)
    flagger = UserFactory()
    for post in posts:
        services.flag_post(flagger=flagger, post=post, reason=Flag.Reason.HARASSMENT, note="rude")
    return posts


def test_queue_query_count_is_fixed_for_10_and_50_items(client):
    from tests.alerts.factories import SchoolContactFactory

    client.force_login(ModeratorFactory())
    flagged_posts(10)
    SchoolContactFactory(status="requested", verified_at=None)
    small = count_queries(client, reverse("moderation:queue"))
    flagged_posts(40)
    for _ in range(5):
        SchoolContactFactory(status="requested", verified_at=None)
    large = count_queries(client, reverse("moderation:queue"))
    # user with roles and the header's unread count, two-factor, the queue count, posts, flags, histories
    # (post counts, suspensions, latest audit entries), reports, contact requests (with school and member)
    assert (small, large) == (10, 10)


def test_queue_shows_crises_first_then_the_oldest(client):
    client.force_login(ModeratorFactory())
    older, newer = flagged_posts(2)
    crisis = community.replies(community.thread(title="Crisis thread"), 1)[0]
    services.flag_post(flagger=UserFactory(), post=crisis, reason=Flag.Reason.CRISIS)
    items = client.get(reverse("moderation:queue")).context["items"]
    assert [item.post.pk for item in items] == [crisis.pk, older.pk, newer.pk]
    assert items[0].is_crisis


def test_a_hide_decision_without_javascript_redirects_with_a_message(client):
    client.force_login(ModeratorFactory())
    (post,) = flagged_posts(1)
    response = client.post(
        reverse("moderation:decide_post", args=[post.pk]), {"decision": "hide", "reason": "Unkind"}, follow=True
    )
    assert "Hidden; the author has been told why." in response.content.decode()
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.HIDDEN
    assert post not in [item.post for item in response.context["items"]]


def test_a_decision_without_a_needed_reason_says_so_in_json(client):
    client.force_login(ModeratorFactory())
    (post,) = flagged_posts(1)
    response = client.post(
        reverse("moderation:decide_post", args=[post.pk]), {"decision": "suspend", "days": 3},
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": "Give a reason: the member will read it.",
        "item": f"post-{post.pk}",
    }


def test_log_filters_by_moderator_action_and_member_and_exports_csv(client):
    moderator = ModeratorFactory(display_name="Mod Ash")
    client.force_login(moderator)
    first, second = flagged_posts(2)
    services.hide(moderator=moderator, post=first, reason="Unkind")
    services.warn(moderator=moderator, member=second.author, reason="Be kind")
    response = client.get(reverse("moderation:log"), {"moderator": "mod ash", "action": "member.warn"})
    entries = list(response.context["page_obj"])
    assert [e.action for e in entries] == [ModerationAction.Action.MEMBER_WARN]

    export = client.get(reverse("moderation:log_csv"), {"member": second.author.display_name})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert export["Content-Disposition"] == 'attachment; filename="moderation-log.csv"'
    assert rows[0] == ["when (UTC)", "moderator", "action", "target", "member", "reason"]
    # Both posts have the same author: newest first.
    assert [row[2] for row in rows[1:]] == ["warned a member", "hid a post"]


def test_log_page_query_count_is_fixed(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    posts = flagged_posts(12)
    services.hide(moderator=moderator, post=posts[0], reason="x")
    small = count_queries(client, reverse("moderation:log"))
    for post in posts[1:]:
        services.hide(moderator=moderator, post=post, reason="x")
    assert count_queries(client, reverse("moderation:log")) == small


def test_flagging_without_a_reason_keeps_the_note_and_says_what_is_missing(client):
    post = community.replies(community.thread(), 1)[0]
    client.force_login(UserFactory())
    response = client.post(reverse("moderation:flag", args=[post.pk]), {"reason": "other", "note": ""})
    assert "Please say what is wrong with this post." in response.content.decode()
    response = client.post(reverse("moderation:flag", args=[post.pk]), {"note": "my careful note"})
    assert "my careful note" in response.content.decode()
    assert not Flag.objects.exists()


def test_a_member_flags_a_post_and_is_thanked(client):
    post = community.replies(community.thread(), 1)[0]
    client.force_login(UserFactory())
    response = client.post(
        reverse("moderation:flag", args=[post.pk]), {"reason": "misinformation", "note": "sells a cure"}, follow=True
    )
    assert "Thank you. The moderators will look at this post." in response.content.decode()
    assert Flag.objects.get().note == "sells a cure"


def test_moderators_edit_the_watched_words(client):
    client.force_login(ModeratorFactory())
    client.post(reverse("moderation:watched_words"), {"phrase": "  Guaranteed ", "kind": "hold"})
    word = WatchedWord.objects.get(phrase="guaranteed")
    assert word.kind == WatchedWord.Kind.HOLD
    client.post(reverse("moderation:remove_watched_word", args=[word.pk]))
    assert not WatchedWord.objects.filter(phrase="guaranteed").exists()


def test_moderators_add_crisis_phrases_that_hold_nothing(client):
    client.force_login(ModeratorFactory())
    response = client.post(reverse("moderation:watched_words"), {"phrase": "at the end of my rope", "kind": "crisis"})
    assert response.status_code == 302
    assert WatchedWord.objects.get(phrase="at the end of my rope").kind == WatchedWord.Kind.CRISIS
    html = client.get(reverse("moderation:watched_words")).content.decode()
    assert "at the end of my rope" in html and "Crisis: show help and tell the moderators" in html


def test_exposure_reports_wait_in_the_queue_and_an_approval_sends_the_alert(client):
    from alerts.models import Alert, ExposureReport
    from tests.alerts.factories import ExposureReportFactory

    client.force_login(ModeratorFactory())
    report = ExposureReportFactory(note_to_moderators="Two cases in grade 3")
    items = client.get(reverse("moderation:queue")).context["items"]
    assert [item.report for item in items] == [report]

    response = client.post(reverse("moderation:decide_report", args=[report.pk]), {"decision": "approve"}, follow=True)
    assert "Approved: the alert is on its way" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ExposureReport.Status.APPROVED and Alert.objects.filter(school=report.school).exists()

    again = client.post(reverse("moderation:decide_report", args=[report.pk]), {"decision": "reject"}, follow=True)
    assert "This report was already" in again.content.decode()


@pytest.mark.parametrize("decision", [{"decision": "warn"}, {"decision": "suspend", "days": 3}])
def test_warning_or_suspending_from_a_flagged_item_takes_it_off_the_queue(client, decision):
    (post,) = flagged_posts(1)
    client.force_login(ModeratorFactory())
    response = client.post(reverse("moderation:decide_post", args=[post.pk]), {**decision, "reason": "Be kind."})
    assert response.status_code == 302
    assert not [item for item in client.get(reverse("moderation:queue")).context["items"] if item.post == post]
