"""Each statement of the privacy page's "What we keep, for how long, and why" has a test here.

The statements carry `data-promise="<id>"`; `test_promise_<id>_...` checks the words are on the
page and that the portal does what they say. A statement without a test fails the suite.
"""

import datetime
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import DataExport, User
from alerts import services as alerts_services
from alerts.models import Digest, Subscription
from community import drafts
from community import services as community_services
from community.models import Follow, MemberSettings, Notification, Post, PostRevision, Reaction
from journal.models import Caregiver, CheckIn, Child
from moderation import services as moderation_services
from moderation.models import Flag, ModerationAction
from portal.models import SuppressedAddress
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.community import factories as community
from tests.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory, enable_two_factor
from tests.journal import factories as journal

pytestmark = pytest.mark.django_db


def promise(client, promise_id: str) -> str:
    """The words of one statement on the privacy page, spaces tidied."""
    html = client.get(reverse("privacy")).content.decode()
    match = re.search(rf'<li data-promise="{promise_id}">(.*?)</li>', html, re.S)
    assert match, f"the privacy page states no “{promise_id}”"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def delete_account(client, email: str, posts: str = "keep"):
    client.post(reverse("account_login"), {"login": email, "password": DEFAULT_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.post(reverse("accounts:delete"), {"posts": posts, "confirm": "on"}, follow=True)
    assert "Your account has been deleted." in response.content.decode()
    return response


def test_every_statement_of_the_privacy_page_has_a_test(client):
    html = client.get(reverse("privacy")).content.decode()
    stated = set(re.findall(r'data-promise="([a-z]+)"', html))
    tested = {name.split("_")[2] for name in globals() if name.startswith("test_promise_")}
    assert stated and stated == tested


def test_promise_account_is_erased_at_once_with_every_device_logged_out(client):
    words = promise(client, "account")
    assert "all of it is erased at once and you are logged out everywhere" in words
    member = UserFactory(email="whole@example.org")
    elsewhere = client.__class__()
    elsewhere.post(reverse("account_login"), {"login": "whole@example.org", "password": DEFAULT_PASSWORD})
    assert UserSession.objects.filter(user=member).exists()
    enable_two_factor(member)
    client.force_login(member)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    client.post(reverse("accounts:delete"), {"posts": "keep", "confirm": "on"})
    member.refresh_from_db()
    assert member.email != "whole@example.org" and not member.emailaddress_set.exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not UserSession.objects.filter(user=member).exists()
    assert elsewhere.get(reverse("accounts:account")).status_code == 302


def test_promise_posts_stay_under_former_member_or_go_as_chosen(client):
    words = promise(client, "posts")
    assert "keep them under “Former member” instead of your name" in words and "or delete them too" in words
    keeper, leaver = UserFactory(email="keeper@example.org"), UserFactory(email="leaver@example.org")
    kept = community.thread(author=keeper, body="Kept words").posts.get()
    gone = community.thread(author=leaver, body="Gone words").posts.get()
    delete_account(client, "keeper@example.org", "keep")
    delete_account(client.__class__(), "leaver@example.org", "delete")
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert (kept.body, kept.author.display_name) == ("Kept words", f"Former member {keeper.pk}")
    assert (gone.body, gone.visibility) == ("", Post.Visibility.DELETED)


@pytest.mark.parametrize("posts", ["keep", "delete"])
def test_promise_revisions_are_deleted_with_the_account_whichever_the_choice(client, posts):
    assert "deleted with your account, whichever you choose for your posts" in promise(client, "revisions")
    member = UserFactory(email="editor@example.org")
    post = community.thread(author=member, body="First words").posts.get()
    community_services.edit_post(editor=member, post=post, body="Second words")
    assert PostRevision.objects.filter(post=post).exists()
    delete_account(client, "editor@example.org", posts)
    assert not PostRevision.objects.filter(post=post).exists()


def test_promise_activity_is_deleted_with_the_account_and_counts_go_down(client):
    assert "deleted with it (reaction counts go down)" in promise(client, "activity")
    member, other = UserFactory(email="active@example.org"), UserFactory()
    thread = community.thread(author=other)
    post = thread.posts.get()
    community_services.toggle_reaction(user=member, post=post, kind="thinking")
    community_services.follow_thread(user=member, thread=thread)
    community_services.set_email_preference(user=member, emails="off")
    community_services.follow_thread(user=member, thread=community.thread(author=member))
    community_services.reply(author=other, thread=member.threads.get(), body="A reply")
    assert Notification.objects.filter(recipient=member).exists()
    delete_account(client, "active@example.org")
    post.refresh_from_db()
    assert post.thinking_count == 0
    for model, field in ((Reaction, "user"), (Follow, "user"), (MemberSettings, "user"), (Notification, "recipient")):
        assert not model.objects.filter(**{field: member}).exists(), model


def test_promise_consent_of_an_ended_subscription_is_deleted_30_days_after_unsubscribing(client):
    assert "for 30 days after you unsubscribe" in promise(client, "consent")
    now = timezone.now()
    old = SubscriptionFactory(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now - datetime.timedelta(days=31)
    )
    recent = SubscriptionFactory(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now - datetime.timedelta(days=29)
    )
    active = SubscriptionFactory(confirmed_at=now - datetime.timedelta(days=400))
    day = datetime.timedelta(days=1)
    for age, status, email in (
        (31, "sent", "a@example.net"),
        (29, "sent", "a@example.net"),
        (31, "pending", "b@x.net"),
    ):
        Digest.objects.create(
            email=email, day=(now - age * day).date(), period_start=now - (age + 1) * day,
            period_end=now - age * day, status=status,
        )  # fmt: skip
    result = alerts_services.sweep()  # the sweeper beat runs every minute
    assert result.consent_records_deleted == 1
    assert set(Subscription.objects.values_list("pk", flat=True)) == {recent.pk, active.pk}
    assert old.pk not in set(Subscription.objects.values_list("pk", flat=True))
    assert "The note that a daily digest went to an address is deleted after 30 days too." in promise(client, "consent")
    assert sorted(Digest.objects.values_list("status", flat=True)) == ["pending", "sent"]


def test_promise_suppression_keeps_only_a_keyed_hash_and_never_mails_the_address(client, mail_server):
    words = promise(client, "suppression")
    assert "a keyed hash, not the address" in words and "never email it by mistake" in words
    UserFactory(email="erased@example.org")
    SubscriptionFactory(email="erased@example.org")
    delete_account(client, "erased@example.org")
    assert not Subscription.objects.exists()
    (entry,) = SuppressedAddress.objects.all()
    assert "erased" not in entry.address_hash and len(entry.address_hash) == 64
    alerts_services.subscribe(email="erased@example.org", school=SchoolFactory(), role="parent")
    time.sleep(0.3)
    assert mail_server.messages == [] and not Subscription.objects.exists()


def test_promise_moderation_records_stay_showing_former_member_and_notes_go(client):
    words = promise(client, "moderation")
    assert "they show “Former member” and a number, never your name or address" in words
    moderator = ModeratorFactory()
    member = UserFactory(email="warned@example.org", display_name="Warned Wren")
    post = community.thread(author=UserFactory()).posts.get()
    flag = moderation_services.flag_post(flagger=member, post=post, reason="other", note="My own note")
    moderation_services.warn(moderator=moderator, member=member, reason="Be kind")
    delete_account(client, "warned@example.org")
    entry = ModerationAction.objects.get(action=ModerationAction.Action.MEMBER_WARN)
    assert entry.member.display_name == f"Former member {member.pk}" and entry.reason == "Be kind"
    assert "Warned Wren" not in str(entry)
    assert Flag.objects.get(pk=flag.pk).note == ""


def test_promise_exports_are_deleted_after_7_days_and_requests_noted_for_a_day(client, monkeypatch):
    words = promise(client, "exports")
    assert "deleted 7 days after you ask for it" in words and "for one day, because you can ask 3 times a day" in words
    member = UserFactory()
    community.thread(author=member)
    monkeypatch.setattr(account_services, "INLINE_EXPORT_MAX_ITEMS", 0)
    background, archive = account_services.request_data_export(user=member)
    assert archive is None and background.expires_at - background.requested_at == datetime.timedelta(days=7)
    monkeypatch.setattr(account_services, "INLINE_EXPORT_MAX_ITEMS", 1000)
    quick, archive = account_services.request_data_export(user=member)
    assert archive and quick.expires_at - quick.requested_at == datetime.timedelta(days=1)
    assert account_services.purge_expired_exports(now=quick.expires_at) == 1
    assert account_services.purge_expired_exports(now=background.expires_at) == 1
    assert not DataExport.objects.exists() and User.objects.filter(pk=member.pk).exists()


def test_promise_drafts_stay_per_member_until_logout_and_on_the_server_2_hours_at_most(client, monkeypatch):
    words = promise(client, "drafts")
    assert "kept apart for each member, until you post them or log out" in words
    assert "keeps it for at most 2 hours" in words
    # Logging out tells the browser to clear what the site stored (the drafts).
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"))
    assert response["Clear-Site-Data"] == '"storage"'
    # The server's stash forgets a draft after 2 hours.
    session = {}
    compose = "/community/t/1/reply/"
    drafts.stash(session, compose, _form(body="Typed while logged out"))
    assert drafts.pop(session, compose) == {"body": "Typed while logged out"}
    drafts.stash(session, compose, _form(body="Again"))
    later = time.time() + drafts.LIFETIME_SECONDS + 1
    monkeypatch.setattr(drafts.time, "time", lambda: later)
    assert drafts.pop(session, compose) is None


def _form(**fields):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data[name] = value
    return data


def test_promise_journal_is_erased_with_the_account_or_stays_with_the_other_caregiver(client):
    words = promise(client, "journal")
    assert "a child only you care for is deleted with its whole journal" in words
    assert "a child you share stays with the other caregiver" in words
    parent = UserFactory(email="journal-parent@example.org")
    alone = journal.child(owner=parent, label="Only mine")
    shared = journal.child(owner=parent, label="Shared")
    co_parent = journal.add_caregiver(shared)
    journal.check_in(alone, note="Mine")
    journal.check_in(shared, note="Ours", by=parent)

    delete_account(client, "journal-parent@example.org")

    assert not Child.objects.filter(pk=alone.pk).exists()
    assert Caregiver.objects.get(child=shared).user == co_parent
    assert Caregiver.objects.get(child=shared).role == Caregiver.Role.OWNER
    assert CheckIn.objects.get(child=shared).note == "Ours" and CheckIn.objects.get(child=shared).logged_by is None
