"""The moderators' member pages: find a member, read their record, and act on it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from community import services as community_services
from community.models import Post
from moderation import services
from moderation.models import Flag, ModerationAction, Suspension
from moderation.policy import is_suspended
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action

MEMBER_PAGES = [
    ("get", "moderation:members"),
    ("get", "moderation:member"),
    ("post", "moderation:member_warn"),
    ("post", "moderation:member_suspend"),
    ("post", "moderation:member_lift"),
    ("get", "moderation:member_ban"),
    ("post", "moderation:member_ban"),
]


def url(name, member=None):
    return reverse(name, kwargs={"member_id": member.pk} if member is not None else {})


@pytest.fixture
def member():
    return UserFactory(display_name="Night Owl Mum")


@pytest.fixture
def moderator(client):
    moderator = ModeratorFactory(display_name="Mod Willow")
    client.force_login(moderator)
    return moderator


@pytest.mark.parametrize(("method", "name"), MEMBER_PAGES)
def test_visitors_are_asked_to_log_in(client, member, method, name):
    response = getattr(client, method)(url(name, None if name == "moderation:members" else member))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("method", "name"), MEMBER_PAGES)
def test_members_are_refused(client, member, method, name):
    client.force_login(UserFactory())
    response = getattr(client, method)(
        url(name, None if name == "moderation:members" else member), {"warn-reason": "x"}
    )
    assert response.status_code == 403
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(("method", "name"), MEMBER_PAGES)
def test_moderators_without_two_factor_are_sent_to_set_it_up(client, member, method, name):
    client.force_login(UserFactory(roles=[Role.MODERATOR], two_factor=False))
    response = getattr(client, method)(
        url(name, None if name == "moderation:members" else member), {"warn-reason": "x"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
    assert not ModerationAction.objects.exists()


def test_an_unknown_member_is_not_found(client, moderator):
    assert client.get(reverse("moderation:member", kwargs={"member_id": 999_999})).status_code == 404
    response = client.post(reverse("moderation:member_warn", kwargs={"member_id": 999_999}), {"warn-reason": "x"})
    assert response.status_code == 404


def test_the_search_finds_members_by_part_of_their_pseudonym_and_links_their_page(client, moderator, member):
    UserFactory(display_name="Early Bird Dad")
    response = client.get(url("moderation:members"), {"q": "owl"})
    assert [found.display_name for found in response.context["found"]] == ["Night Owl Mum"]
    html = response.content.decode()
    assert f'<a href="{url("moderation:member", member)}">Night Owl Mum</a>' in html
    assert 'value="owl"' in html  # the search keeps what was typed
    response = client.get(url("moderation:members"), {"q": "nobody-like-this"})
    assert "No member's pseudonym contains “nobody-like-this”." in response.content.decode()


def test_the_search_sees_through_look_alike_letters(client, moderator, member):
    # "Night 0wl" with a zero: the pseudonym's skeleton matches.
    assert [found.pk for found in client.get(url("moderation:members"), {"q": "Night 0wl"}).context["found"]] == [
        member.pk
    ]


def test_without_a_search_the_list_shows_who_is_suspended_or_banned_now(client, moderator, member):
    calm = UserFactory(display_name="Calm Crane")
    services.suspend(moderator=moderator, member=member, days=3, reason="Unkind")
    spammer = UserFactory(display_name="Cure Seller")
    services.ban_and_delete_posts(moderator=moderator, member=spammer, reason="Spam")
    response = client.get(url("moderation:members"))
    found = response.context["found"]
    assert [m.display_name for m in found] == ["Cure Seller", "Night Owl Mum"]
    assert calm not in found
    html = response.content.decode()
    assert "<strong>Banned</strong>" in html and "<strong>Suspended until " in html


def test_the_member_page_shows_posts_of_every_kind_flags_both_ways_and_the_history(client, moderator, member):
    thread = community.thread(author=member, title="Sudden OCD after strep")
    hidden = community.replies(community.thread(title="IVIG questions"), 1, author=member)[0]
    community_services.hide_post(moderator=moderator, post=hidden, reason="Off topic")
    held = community.replies(community.thread(title="Held thread"), 1, author=member)[0]
    community_services.hold_post(moderator=None, post=held, reason="First post")
    flagger = UserFactory(display_name="Careful Flagger")
    services.flag_post(flagger=flagger, post=thread.posts.get(), reason=Flag.Reason.MISINFORMATION, note="Cure claim")
    someone_else = community.replies(community.thread(title="Tics at school"), 1, author=UserFactory())[0]
    services.flag_post(flagger=member, post=someone_else, reason=Flag.Reason.SPAM, note="Selling things")
    services.warn(moderator=moderator, member=member, reason="Please cite sources")

    response = client.get(url("moderation:member", member))
    html = response.content.decode()
    assert "<h1>Night Owl Mum</h1>" in html and "Active" in html
    assert "Sudden OCD after strep" in html and "IVIG questions" in html and "Held thread" in html
    assert "<strong>Hidden by a moderator</strong>" in html and "<strong>Held for review</strong>" in html
    assert hidden.get_absolute_url().replace("&", "&amp;") in html or hidden.get_absolute_url() in html
    assert "Cure claim" in html and f'href="{url("moderation:member", flagger)}">Careful Flagger</a>' in html
    assert "Selling things" in html
    assert "warned a member" in html and "Please cite sources" in html
    assert "(newest 3 of 3)" in html  # posts


def test_lists_are_capped_and_say_so(client, moderator, member, settings):
    from moderation import selectors

    community.replies(community.thread(), selectors.MEMBER_ITEMS + 5, author=member)
    html = client.get(url("moderation:member", member)).content.decode()
    assert f"(newest {selectors.MEMBER_ITEMS} of {selectors.MEMBER_ITEMS + 5})" in html


def test_the_member_page_costs_the_same_for_a_short_and_a_long_history(client, moderator):
    def busy_member(size):
        member = UserFactory()
        posts = community.replies(community.thread(author=member), size, author=member)
        for post in posts:
            services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.SPAM)
            services.flag_post(flagger=member, post=community.replies(post.thread, 1)[0], reason=Flag.Reason.SPAM)
            services.warn(moderator=moderator, member=member, reason="Again")
        return member

    small, large = busy_member(2), busy_member(30)
    # user with roles and the header's unread count, two-factor, the queue count, the member with counts
    # and standing, posts, flags received, flags made, history
    assert count_queries(client, url("moderation:member", small)) == 8
    assert count_queries(client, url("moderation:member", large)) == 8


def test_the_members_list_costs_the_same_for_few_and_many(client, moderator):
    for n in range(3):
        services.suspend(moderator=moderator, member=UserFactory(display_name=f"Few {n}"), days=1, reason="x")
    few = count_queries(client, url("moderation:members") + "?q=few")
    for n in range(40):
        services.suspend(moderator=moderator, member=UserFactory(display_name=f"Many {n}"), days=1, reason="x")
    # user with roles and the header's unread count, two-factor, the queue count, the members
    assert (few, count_queries(client, url("moderation:members"))) == (4, 4)


def test_head_answers_like_get(client, moderator, member):
    assert client.head(url("moderation:member", member)).status_code == 200
    assert client.head(url("moderation:members")).status_code == 200


def test_a_moderator_warns_a_member_from_their_page(client, moderator, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("moderation:member_warn", member), {"warn-reason": "Please be kind"}, follow=True)
    assert "Night Owl Mum has been warned by email." in response.content.decode()
    assert response.redirect_chain[-1][0] == url("moderation:member", member)
    entry = ModerationAction.objects.get(action=Action.MEMBER_WARN)
    assert (entry.actor, entry.member, entry.reason) == (moderator, member, "Please be kind")
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_suspension_without_a_reason_keeps_the_input_and_says_what_is_missing(client, moderator, member):
    response = client.post(url("moderation:member_suspend", member), {"suspend-days": "7", "suspend-reason": " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say why the member is suspended: they will read it." in html
    assert '<option value="7" selected>1 week</option>' in html
    assert not Suspension.objects.exists()


def test_a_warning_refused_by_the_service_keeps_the_text(client, moderator):
    colleague = ModeratorFactory(display_name="Mod Rowan")
    response = client.post(url("moderation:member_warn", colleague), {"warn-reason": "My careful words"})
    html = response.content.decode()
    assert "Mod Rowan is a moderator: only an administrator can act on their account." in html
    assert "My careful words" in html
    assert not ModerationAction.objects.exists()


def test_a_moderators_page_offers_no_actions_on_themselves_or_colleagues(client, moderator):
    for other in (moderator, ModeratorFactory()):
        html = client.get(url("moderation:member", other)).content.decode()
        assert url("moderation:member_warn", other) not in html
        assert url("moderation:member_ban", other) not in html


def test_suspend_then_lift_from_the_member_page(client, moderator, member, django_capture_on_commit_callbacks):
    page = url("moderation:member", member)
    assert url("moderation:member_lift", member) not in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("moderation:member_suspend", member), {"suspend-days": "3", "suspend-reason": "Unkind replies"},
            follow=True,
        )  # fmt: skip
    html = response.content.decode()
    assert "Night Owl Mum is suspended for 3 days and has been told by email." in html
    assert "<strong>Suspended until " in html and url("moderation:member_lift", member) in html
    assert is_suspended(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("moderation:member_lift", member), {"lift-reason": ""}, follow=True)
    html = response.content.decode()
    assert "Night Owl Mum can post again and has been told by email." in html
    assert '<dd data-testid="member-standing">Active' in html
    assert not is_suspended(member)
    assert [m.subject for m in mail.outbox] == [
        "[PANDAS Parent Network] Your account is suspended for a while",
        "[PANDAS Parent Network] Your suspension is lifted",
    ]


def test_lifting_when_nothing_runs_says_so(client, moderator, member):
    response = client.post(url("moderation:member_lift", member), {"lift-reason": "Just in case"})
    html = response.content.decode()
    assert "Night Owl Mum is not suspended." in html and "Just in case" in html


def test_a_ban_asks_for_confirmation_first(client, moderator, member):
    community.replies(community.thread(), 2, author=member)
    page = client.get(url("moderation:member_ban", member)).content.decode()
    assert "Ban Night Owl Mum?" in page and "every post of\n  Night Owl Mum (2)" in page
    response = client.post(url("moderation:member_ban", member), {"reason": "Selling a cure"})
    html = response.content.decode()
    assert "Tick the box to confirm the ban" in html and 'value="Selling a cure"' in html
    assert not is_suspended(member) and Post.objects.filter(author=member, visibility="visible").count() == 2

    response = client.post(
        url("moderation:member_ban", member), {"reason": "Selling a cure", "confirm": "on"}, follow=True
    )
    assert "Night Owl Mum is banned and their 2 posts are deleted." in response.content.decode()
    assert "<strong>Banned</strong>" in response.content.decode()
    assert not Post.objects.filter(author=member, visibility="visible").exists()
    assert Suspension.objects.get(member=member).is_ban


def test_the_queue_and_the_log_link_to_the_member_page(client, moderator, member):
    post = community.replies(community.thread(), 1, author=member)[0]
    services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.SPAM)
    link = f'<a href="{url("moderation:member", member)}">Night Owl Mum</a>'
    assert link in client.get(reverse("moderation:queue")).content.decode()
    services.warn(moderator=moderator, member=member, reason="Be kind")
    assert link in client.get(reverse("moderation:log")).content.decode()


def test_the_member_page_is_linked_from_the_moderation_nav(client, moderator):
    assert f'href="{url("moderation:members")}"' in client.get(reverse("moderation:queue")).content.decode()
