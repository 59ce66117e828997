"""Who sees what in the community (community/access.py), tried through every place a thread or post
can surface: lists, the home page, the sitemap, feeds, search, the thread URL, emails."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community import outcomes, services
from community.models import Forum, Post, Thread
from moderation.models import Flag
from moderation.services import suspend
from portal import outbox
from portal.models import OutboundEmail
from tests.community import factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "About my daughter Lily at Maplewood"


def public_pages(thread) -> dict[str, str]:
    """Every anonymous page where a thread's title could appear."""
    anonymous = Client()
    urls = {
        "home": reverse("home"),
        "forum": thread.forum.get_absolute_url(),
        "community": reverse("community:index"),
        "sitemap": "/sitemap.xml",
        "feed": reverse("community:forum_feed", args=[thread.forum.slug]),
        "search": f"{reverse('search')}?q=daughter",
    }
    # Lower case: the sitemap shows the thread's URL, whose slug carries the title's words.
    return {name: anonymous.get(url).content.decode().lower() for name, url in urls.items()}


def without_tokens(response, post_id: str) -> str:
    """A page with its CSRF tokens (masked anew on each page) and the post's id blanked."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode()).replace(post_id, "ID")


def withheld_thread(how: str) -> Thread:
    thread = factories.thread(title=SECRET_TITLE, body="Lily goes to Maplewood")
    opening = thread.posts.get()
    if how == "held":
        services.hold_post(moderator=None, post=opening, reason="New members' first posts are checked.")
    elif how == "hidden":
        services.hide_post(moderator=None, post=opening, reason="identifies a child")
    else:
        services.delete_post(actor=opening.author, post=opening)
    return Thread.objects.get(pk=thread.pk)


@pytest.mark.parametrize("how", ["held", "hidden", "deleted"])
def test_a_thread_whose_opening_post_is_withheld_leaves_no_trace_in_public(client, how):
    thread = withheld_thread(how)
    assert not thread.opening_visible
    for name, html in public_pages(thread).items():
        assert "maplewood" not in html and "lily" not in html, name
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 404 and "Lily" not in response.content.decode()
    # Not even the slug is confirmed: a wrong slug is 404 too, not a redirect to the right one.
    assert client.get(f"/community/t/{thread.pk}/anything/").status_code == 404


def test_the_author_sees_their_own_waiting_thread_with_its_status_and_moderators_see_it(client):
    thread = withheld_thread("held")
    client.force_login(thread.author)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert SECRET_TITLE in html and 'data-testid="thread-not-public"' in html and "Waiting for a moderator" in html
    assert SECRET_TITLE in client.get(thread.forum.get_absolute_url()).content.decode()
    member = Client()
    member.force_login(UserFactory())
    assert member.get(thread.get_absolute_url()).status_code == 404
    assert SECRET_TITLE not in member.get(thread.forum.get_absolute_url()).content.decode()
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    assert SECRET_TITLE in moderator.get(thread.get_absolute_url()).content.decode()


def test_approving_the_opening_post_makes_the_thread_public_everywhere(client):
    thread = withheld_thread("held")
    services.approve_post(moderator=ModeratorFactory(), post=thread.posts.get())
    pages = public_pages(thread)
    for name in ("home", "forum", "sitemap", "feed", "search"):
        assert "maplewood" in pages[name], name
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_forum_counts_leave_out_threads_that_are_not_public(client):
    factories.thread(forum_slug="school", title="A public thread")
    withheld = factories.thread(forum_slug="school", title=SECRET_TITLE)
    services.hold_post(moderator=None, post=withheld.posts.get())
    school = Forum.objects.with_activity().get(slug="school")
    assert school.thread_count == 1


def test_a_story_moved_to_the_members_only_forum_leaves_the_public_stories_and_outcomes(client):
    for _ in range(4):
        factories.story()
    moved = factories.story(treatment="antibiotics")
    others = [factories.story(treatment="antibiotics") for _ in range(4)]
    assert {outcome.treatment: outcome.stories for outcome in outcomes.summarize()} == {"ivig": 4, "antibiotics": 5}
    services.move_thread(
        moderator=ModeratorFactory(), thread=moved.post.thread, forum=factories.forum("parent-wellbeing")
    )
    listed = client.get(reverse("community:stories")).content.decode()
    assert listed.count("Our antibiotics story") == len(others)
    assert {outcome.treatment: outcome.stories for outcome in outcomes.summarize()} == {"ivig": 4, "antibiotics": 4}
    member = Client()
    member.force_login(UserFactory())
    assert member.get(reverse("community:stories")).content.decode().count("Our antibiotics story") == 5


def test_the_public_reads_only_that_a_post_was_hidden_and_the_author_reads_why(client):
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    services.hide_post(moderator=ModeratorFactory(), post=post, reason="It names a school and a child")
    public = client.get(thread.get_absolute_url()).content.decode()
    assert "This post was hidden by the moderators." in public
    assert "names a school" not in public and "Reply number 0" not in public
    client.force_login(post.author)
    own = client.get(thread.get_absolute_url()).content.decode()
    assert "It names a school and a child" in own and "Reply number 0" in own


def test_an_edit_to_an_approved_first_post_goes_back_to_the_queue(client, settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 1
    newcomer = UserFactory()
    thread = factories.thread(author=newcomer, title="Sudden OCD after strep")
    opening = thread.posts.get()
    assert opening.visibility == Post.Visibility.HELD
    services.approve_post(moderator=ModeratorFactory(), post=opening)
    client.force_login(newcomer)
    body = "Our son goes to Room 4 at Maplewood and you can call us any time"
    response = client.post(reverse("community:edit_post", args=[opening.pk]), {"body": body, "post_anyway": "on"})
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.visibility == Post.Visibility.HELD and opening.body == body
    assert client.get(response.url).status_code == 200  # the author still sees it, waiting
    assert Client().get(thread.get_absolute_url()).status_code == 404


def test_an_edit_that_was_never_checked_is_published_at_once(client):
    post = factories.thread().posts.get()
    client.force_login(post.author)
    client.post(reverse("community:edit_post", args=[post.pk]), {"body": "Better words now", "post_anyway": "on"})
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.VISIBLE and post.body == "Better words now"


def test_the_privacy_check_warns_on_edits_too_and_keeps_the_text(client):
    post = factories.thread().posts.get()
    client.force_login(post.author)
    body = "Write to me at jane.doe@example.com about it"
    response = client.post(reverse("community:edit_post", args=[post.pk]), {"body": body})
    html = response.content.decode()
    assert response.status_code == 200 and "Post anyway" in html and "jane.doe@example.com" in html
    post.refresh_from_db()
    assert post.body == "Hello"


def test_edits_have_a_rate_limit_that_keeps_the_text(client, settings):
    settings.MODERATION_RATE_LIMITS = {
        group: {"post": [(100, 60)], "thread": [(100, 60)], "edit": [(2, 60)]} for group in ("member", "new_member")
    }
    post = factories.thread().posts.get()
    client.force_login(post.author)
    url = reverse("community:edit_post", args=[post.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Edit number {n}", "post_anyway": "on"}).status_code == 302
    response = client.post(url, {"body": "A third edit, too fast", "post_anyway": "on"})
    html = response.content.decode()
    assert response.status_code == 400 and "faster than our limits allow" in html and "A third edit, too fast" in html


def test_a_suspended_member_can_delete_but_not_edit_their_own_post(client):
    member = UserFactory()
    thread = factories.thread()
    (post,) = factories.replies(thread, 1, author=member)
    suspend(moderator=ModeratorFactory(), member=member, days=3, reason="cooling off")
    client.force_login(member)
    response = client.post(reverse("community:edit_post", args=[post.pk]), {"body": "Changed"})
    assert response.status_code == 403 and "Changed" in response.content.decode()
    html = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("community:delete_post", args=[post.pk]) in html
    assert reverse("community:edit_post", args=[post.pk]) not in html
    assert client.post(reverse("community:delete_post", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.DELETED


@pytest.mark.parametrize("state", ["held", "hidden"])
def test_reacting_to_or_flagging_a_post_you_cannot_see_answers_like_a_missing_post(client, state):
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    getattr(services, f"{'hold' if state == 'held' else 'hide'}_post")(moderator=None, post=post, reason="check")
    client.force_login(UserFactory())
    missing = 10**9
    for url_name, data in (("community:react", {"kind": "helpful"}), ("moderation:flag", {"reason": "spam"})):
        for_hidden = client.post(reverse(url_name, args=[post.pk]), data, HTTP_ACCEPT="application/json")
        for_missing = client.post(reverse(url_name, args=[missing]), data, HTTP_ACCEPT="application/json")
        assert for_hidden.status_code == for_missing.status_code == 404, url_name
        assert without_tokens(for_hidden, str(post.pk)) == without_tokens(for_missing, str(missing)), url_name
    post.refresh_from_db()
    assert post.helpful_count == 0 and not Flag.objects.exists()


def test_a_held_post_cannot_be_quoted_by_others(client):
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    services.hold_post(moderator=None, post=post)
    client.force_login(UserFactory())
    html = client.get(f"{reverse('community:reply', args=[thread.pk])}?quote={post.pk}").content.decode()
    assert "Reply number 0" not in html


def test_no_reply_email_names_a_thread_that_stopped_being_public(django_capture_on_commit_callbacks):
    follower = UserFactory()
    thread = factories.thread(title=SECRET_TITLE)
    services.follow_thread(user=follower, thread=thread)
    factories.replies(thread, 1)
    services.hide_post(moderator=None, post=thread.posts.get(is_opening=True), reason="identifies a child")
    mail.outbox.clear()
    rows = list(OutboundEmail.objects.filter(recipient=follower.email).values_list("pk", flat=True))
    assert rows and outbox.send_outbound_emails(ids=rows).sent == 0  # the reply's outbox row finds nothing to say
    assert not any("Lily" in message.subject + message.body for message in mail.outbox)


def test_a_thread_that_stopped_being_public_leaves_the_members_notifications_page(client):
    follower = UserFactory()
    thread = factories.thread(title=SECRET_TITLE)
    services.follow_thread(user=follower, thread=thread)
    factories.replies(thread, 1)
    client.force_login(follower)
    assert "Lily" in client.get(reverse("community:notifications")).content.decode()
    services.hide_post(moderator=None, post=thread.posts.get(is_opening=True), reason="identifies a child")
    assert "Lily" not in client.get(reverse("community:notifications")).content.decode()


def test_banning_a_spammer_takes_their_threads_titles_out_of_public_view(client):
    from moderation.services import ban_and_delete_posts

    spammer = UserFactory()
    thread = factories.thread(author=spammer, title="Guaranteed cure at Maplewood, buy now")
    ban_and_delete_posts(moderator=ModeratorFactory(), member=spammer, reason="Selling a cure")
    thread.refresh_from_db()
    assert not thread.opening_visible
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert "maplewood" not in public_pages(thread)["forum"]
