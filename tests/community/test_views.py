import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from community import services
from community.models import Notification, Post, Reaction, Thread
from tests.community import factories
from tests.factories import UserFactory
from tests.support.queries import assert_fixed_queries, count_queries
from tests.support.xss import XSS_PAYLOADS, assert_no_executable_markup

pytestmark = pytest.mark.django_db


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[ >]", html))


# --- Reading ---------------------------------------------------------------------------------


def test_forum_index_lists_forums_with_thread_counts(client):
    factories.thread(forum_slug="school", title="504 plan questions")
    html = client.get(reverse("community:index")).content.decode()
    assert "School" in html and "Parent wellbeing" in html and "Members only" in html
    assert h1_count(html) == 1


def test_forum_page_lists_pinned_first_then_latest_activity(client):
    old = factories.thread(title="Old but pinned")
    services.pin_thread(moderator=UserFactory(roles=[Role.MODERATOR]), thread=old)
    factories.thread(title="Quiet thread")
    busy = factories.thread(title="Busy thread")
    factories.replies(busy, 1)
    html = client.get(reverse("community:forum", args=["newly-diagnosed"])).content.decode()
    assert html.index("Old but pinned") < html.index("Busy thread") < html.index("Quiet thread")


def test_forum_page_costs_the_same_for_5_and_25_threads(client):
    for n in range(5):
        factories.thread(forum_slug="school", title=f"School thread {n}")
    for n in range(25):
        factories.thread(forum_slug="insurance", title=f"Insurance thread {n}")
    assert_fixed_queries(client, "/community/school/", "/community/insurance/", expected=3)


def test_forum_page_costs_the_same_for_a_member(client):
    member = UserFactory()
    client.force_login(member)
    for n in range(5):
        factories.thread(forum_slug="school", title=f"School thread {n}")
    for n in range(25):
        factories.thread(forum_slug="insurance", title=f"Insurance thread {n}")
    # user with their roles (the session is cached), unread count, forum, count, threads
    assert_fixed_queries(client, "/community/school/", "/community/insurance/", expected=5)


def test_thread_page_costs_the_same_for_20_and_100_posts(client):
    small = factories.thread(title="Small")
    factories.replies(small, 19)
    large = factories.thread(title="Large")
    factories.replies(large, 99)
    # thread, count, posts, moderators' event lines, which authors are moderators (their badge)
    assert_fixed_queries(client, small.get_absolute_url(), large.get_absolute_url() + "?page=5", expected=5)


def test_thread_page_costs_the_same_for_a_member(client):
    client.force_login(UserFactory())
    small = factories.thread(title="Small")
    factories.replies(small, 19)
    large = factories.thread(title="Large")
    factories.replies(large, 99)
    # user with their roles (the session is cached), suspension, thread, count, posts, event lines,
    # my reactions, following, unread count, which authors are moderators
    assert_fixed_queries(client, small.get_absolute_url(), large.get_absolute_url(), expected=10)


def test_index_stories_and_outcomes_cost_fixed_queries(client):
    factories.story()
    index_small = count_queries(client, reverse("community:index"))
    stories_small = count_queries(client, reverse("community:stories"))
    outcomes_small = count_queries(client, reverse("community:outcomes"))
    for _ in range(24):
        factories.story()
    factories.thread(forum_slug="school")
    assert count_queries(client, reverse("community:index")) == index_small == 1
    assert count_queries(client, reverse("community:stories")) == stories_small == 2
    assert count_queries(client, reverse("community:outcomes")) == outcomes_small == 1


def test_notifications_page_costs_fixed_queries(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    client.force_login(member)
    thread = factories.thread(author=member)
    factories.replies(thread, 2)
    small = count_queries(client, reverse("community:notifications"))
    factories.replies(thread, 20)
    # user with their roles, unread count, count, notifications
    assert count_queries(client, reverse("community:notifications")) == small == 4


def test_post_parameter_opens_the_page_the_post_is_on(client):
    thread = factories.thread()
    posts = factories.replies(thread, 45)
    response = client.get(f"{thread.get_absolute_url()}?post={posts[30].pk}")
    assert response.context["page_obj"].number == 2  # the opening post and replies 0..18 are page 1
    assert f'id="post-{posts[30].pk}"' in response.content.decode()
    assert client.get(f"{thread.get_absolute_url()}?post=nonsense").context["page_obj"].number == 1


def test_a_wrong_slug_redirects_to_the_right_one_keeping_the_post(client):
    thread = factories.thread(title="IVIG side effects")
    response = client.get(f"/community/t/{thread.pk}/old-title/?post=5")
    assert response.status_code == 301
    assert response["Location"] == f"/community/t/{thread.pk}/ivig-side-effects/?post=5"


def test_unknown_thread_and_forum_are_404(client):
    assert client.get("/community/t/999999/x/").status_code == 404
    assert client.get("/community/no-such-forum/").status_code == 404


def test_members_only_forum_asks_anonymous_readers_to_log_in(client):
    thread = factories.thread(forum_slug="parent-wellbeing", title="Tired tonight")
    for url in ("/community/parent-wellbeing/", thread.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/community/parent-wellbeing/feed/").status_code == 404
    client.force_login(UserFactory())
    assert "Tired tonight" in client.get("/community/parent-wellbeing/").content.decode()


@pytest.mark.parametrize("name", ["index", "stories", "outcomes"])
def test_anonymous_pages_set_no_cookie(client, name):
    factories.thread()
    assert not client.get(reverse(f"community:{name}")).cookies


def test_anonymous_thread_and_forum_pages_set_no_cookie_and_offer_login(client):
    thread = factories.thread()
    response = client.get(thread.get_absolute_url())
    assert not response.cookies and "csrfmiddlewaretoken" not in response.content.decode()
    assert "Log in to reply" in response.content.decode()
    assert not client.get("/community/newly-diagnosed/").cookies


def test_forum_feed_is_atom_with_the_newest_threads(client):
    factories.thread(title="Feed me", body="*Body* of the thread")
    response = client.get("/community/newly-diagnosed/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Feed me</title>" in body and "&lt;em&gt;Body&lt;/em&gt;" in body


def test_member_profile_shows_display_name_join_date_and_post_count_only(client):
    member = UserFactory(display_name="Calm Owl", email="owl.private@example.org")
    factories.replies(factories.thread(), 2, author=member)
    html = client.get(reverse("community:member", args=[member.pk])).content.decode()
    assert "Calm Owl" in html and "<dd>2</dd>" in html
    assert "owl.private" not in html


# --- Writing ---------------------------------------------------------------------------------


def test_compose_pages_send_anonymous_visitors_to_log_in(client):
    thread = factories.thread()
    for url in ("/community/newly-diagnosed/new/", f"/community/t/{thread.pk}/reply/", "/community/stories/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_starting_a_thread_shows_it(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post(
        "/community/newly-diagnosed/new/", {"title": "Is this a flare?", "body": "Sudden tics since Monday"}
    )
    thread = Thread.objects.get(title="Is this a flare?")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert "Sudden tics since Monday" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Kept body"}, "Please give your thread a title."),
        ({"title": "Hi", "body": "Kept body"}, "Please make the title at least 5 characters long."),
        ({"title": "x" * 141, "body": "Kept body"}, "Please keep the title under 140 characters (it has 141)."),
        ({"title": "A fine title", "body": ""}, "Please write something before posting."),
        ({"title": "A fine title", "body": "y" * 20001}, "That is too long: please keep it under 20,000 characters"),
    ],
)
def test_bad_thread_input_is_a_clear_error_with_the_text_kept(client, data, message):
    client.force_login(UserFactory())
    response = client.post("/community/newly-diagnosed/new/", data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    for value in data.values():
        if value and len(value) < 200:
            assert value in html
    assert not Thread.objects.exists()


def test_replying_to_a_locked_thread_says_so_and_keeps_the_text(client):
    thread = factories.thread()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client.force_login(UserFactory())
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "My carefully written reply"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This thread is locked" in html and "My carefully written reply" in html


@pytest.mark.parametrize("gone", ["deleted", "opening post hidden"])
def test_replying_to_a_thread_gone_meanwhile_answers_404_and_keeps_the_text(client, gone):
    thread = factories.thread(title="About Lily at Maplewood")
    if gone == "deleted":
        Thread.objects.filter(pk=thread.pk).update(is_deleted=True)
    else:
        services.hide_post(moderator=None, post=thread.posts.get(), reason="names a child")
    client.force_login(UserFactory())
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "My carefully written reply"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "no longer public, so it takes no more replies" in html and "My carefully written reply" in html
    assert "Lily" not in html


def test_a_reply_lands_on_its_post_and_notifies_the_author(client, django_capture_on_commit_callbacks):
    author = UserFactory()
    thread = factories.thread(author=author)
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "We went through this too"})
    post = Post.objects.get(body="We went through this too")
    assert response["Location"] == post.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_the_privacy_check_warns_first_and_posts_on_post_anyway(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    text = "Call me on 555-123-4567, our son Emma Johnson's school is at 12 Oak Street"
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": text})
    html = response.content.decode()
    assert response.status_code == 200 and "Post anyway" in html
    assert "phone number" in html and "street address" in html and "full name" in html
    assert text.replace("'", "&#x27;") in html
    assert thread.posts.count() == 1
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": text, "post_anyway": "1"})
    assert response.status_code == 302 and thread.posts.count() == 2


def test_an_expired_session_keeps_the_reply_for_after_login(client):
    thread = factories.thread()
    member = UserFactory()
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "Typed while logged out"})
    assert response["Location"] == f"/accounts/login/?next=/community/t/{thread.pk}/reply/"
    client.force_login(member)  # keeps the session's data, like a real login
    html = client.get(f"/community/t/{thread.pk}/reply/").content.decode()
    assert "Typed while logged out" in html
    assert "Typed while logged out" not in client.get(f"/community/t/{thread.pk}/reply/").content.decode()


def test_quote_starts_a_reply_with_the_attributed_text(client):
    author = UserFactory(display_name="Brave Otter")
    thread = factories.thread(author=author, body="Line one\nLine two")
    client.force_login(UserFactory())
    html = client.get(f"/community/t/{thread.pk}/reply/?quote={thread.posts.get().pk}").content.decode()
    assert "&gt; **Brave Otter** wrote:\n&gt;\n&gt; Line one\n&gt; Line two" in html


def test_editing_shows_an_edited_mark_and_a_history(client):
    member = UserFactory()
    thread = factories.thread(author=member, body="Original words")
    post = thread.posts.get()
    client.force_login(member)
    assert client.post(f"/community/posts/{post.pk}/edit/", {"body": "Corrected words"}).status_code == 302
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Corrected words" in html and 'data-testid="edited-mark"' in html
    history = client.get(f"/community/posts/{post.pk}/history/").content.decode()
    assert "Original words" in history and "Corrected words" in history


def test_earlier_versions_are_shown_only_to_the_author_and_moderators(client):
    # A parent who edits out their child's name must not find it still online in the history.
    member = UserFactory()
    post = factories.thread(author=member, body="Our son Sam Jones has tics").posts.get()
    services.edit_post(editor=member, post=post, body="Our son has tics")
    url = f"/community/posts/{post.pk}/history/"
    for reader in (None, UserFactory()):
        client.logout()
        if reader:
            client.force_login(reader)
        html = client.get(url).content.decode()
        assert "Sam Jones" not in html and "Our son has tics" in html
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert "Sam Jones" in client.get(url).content.decode()


def test_members_cannot_edit_or_delete_others_posts(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    assert client.get(f"/community/posts/{post.pk}/edit/").status_code == 404
    assert client.post(f"/community/posts/{post.pk}/delete/").status_code == 404


def test_deleting_leaves_a_tombstone_that_keeps_the_thread_readable(client):
    member = UserFactory()
    thread = factories.thread()
    (post,) = factories.replies(thread, 1, author=member)
    client.force_login(member)
    assert "Delete my post" in client.get(f"/community/posts/{post.pk}/delete/").content.decode()
    client.post(f"/community/posts/{post.pk}/delete/")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "This post was deleted." in html and "Reply number 0" not in html and "Hello" in html


def test_a_held_post_is_seen_only_by_its_author_and_moderators(client):
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    services.hold_post(moderator=None, post=post)
    assert "Reply number 0" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(post.author)
    assert "Waiting for a moderator" in client.get(thread.get_absolute_url()).content.decode()


def test_reaction_without_javascript_posts_a_form_and_returns_to_the_post(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    response = client.post(f"/community/posts/{post.pk}/react/", {"kind": "helpful"})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    html = client.get(post.get_absolute_url()).content.decode()
    assert re.search(r'aria-pressed="true" data-testid="helpful-\d+">Helpful <span class="reaction-count">1<', html)


def test_reaction_with_javascript_answers_json(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    url = f"/community/posts/{post.pk}/react/"
    answer = client.post(url, {"kind": "thinking"}, headers={"accept": "application/json"}).json()
    assert answer == {"reacted": True, "count": 1, "kind": "thinking"}
    assert client.post(url, {"kind": "nonsense"}).status_code == 400
    assert Reaction.objects.count() == 1


def test_reactions_need_csrf(client):
    from django.test import Client

    post = factories.thread().posts.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(f"/community/posts/{post.pk}/react/", {"kind": "helpful"}).status_code == 403


def test_follow_and_unfollow_buttons(client):
    member = UserFactory()
    thread = factories.thread()
    client.force_login(member)
    client.post(f"/community/t/{thread.pk}/follow/", {"follow": "1"})
    assert "Unfollow this thread" in client.get(thread.get_absolute_url()).content.decode()
    client.post(f"/community/t/{thread.pk}/follow/", {"follow": "0"})
    assert "Follow this thread" in client.get(thread.get_absolute_url()).content.decode()


def test_unfollow_link_confirms_on_get_and_unfollows_on_post(client):
    member = UserFactory()
    thread = factories.thread(author=member, title="Unfollow me")
    url = reverse("community:unfollow", args=[services.unfollow_token(user=member, thread=thread)])
    page = client.get(url)
    assert "Stop following “Unfollow me”?" in page.content.decode() and not page.cookies
    assert thread.follows.filter(user=member).exists()
    done = client.post(url)  # one-click: no CSRF token, no login
    assert "You no longer follow this thread" in done.content.decode()
    assert not thread.follows.filter(user=member).exists()


def test_a_broken_unfollow_link_says_so(client):
    response = client.get(reverse("community:unfollow", args=["not-a-token"]))
    assert response.status_code == 404 and "This unfollow link does not work" in response.content.decode()


def test_header_shows_the_unread_count_and_the_page_marks_read(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    factories.replies(factories.thread(author=member, title="Counting"), 3)
    client.force_login(member)
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="unread-count">3<', html)
    page = client.get(reverse("community:notifications")).content.decode()
    assert page.count("replied in “Counting”") == 3
    client.post(reverse("community:notifications"))
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert not Notification.objects.unread().exists()


def test_email_setting_is_saved(client):
    member = UserFactory()
    client.force_login(member)
    assert client.post(reverse("community:settings"), {"emails": "daily"}).status_code == 302
    assert member.community_settings.emails == "daily"
    assert client.post(reverse("community:settings"), {"emails": "weekly"}).status_code == 400


# --- Stories ---------------------------------------------------------------------------------

STORY = {
    "title": "IVIG at age 7",
    "treatment": "ivig",
    "age_band": "5-8",
    "regimen": "2 g/kg over 2 days",
    "severity_before": "8",
    "severity_1_month": "5",
    "side_effects": ["headache", "fatigue"],
    "insurance": "appealed_won",
    "narrative": "The first week was hard.",
}


def test_sharing_a_story_makes_a_discussable_thread(client):
    client.force_login(UserFactory())
    response = client.post(reverse("community:new_story"), STORY)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "IVIG at age 7" in html and "Headache, Fatigue" in html and "Appealed and won" in html
    assert "not a validated one" in html and "Post reply" in html


def test_the_story_form_says_the_scale_is_not_validated_and_asks_no_birth_date(client):
    client.force_login(UserFactory())
    html = client.get(reverse("community:new_story")).content.decode()
    assert "not a validated clinical one" in html and "never ask for a birth date" in html
    assert "birth" not in html.replace("never ask for a birth date", "")
    assert h1_count(html) == 1


def test_a_story_with_missing_figures_keeps_everything_typed(client):
    client.force_login(UserFactory())
    data = {**STORY, "severity_before": "", "side_effects": ["none", "rash"]}
    html = client.post(reverse("community:new_story"), data).content.decode()
    assert "Please choose a number from 0 to 10." in html
    assert "“None” cannot be ticked together with a side effect." in html
    assert "The first week was hard." in html and 'value="2 g/kg over 2 days"' in html
    assert re.search(r'value="rash"[^>]*checked', html)


def test_a_story_gets_its_3_and_6_month_figures_later(client):
    story = factories.story(m3=None, m6=None)
    client.force_login(story.post.author)
    url = reverse("community:update_story", args=[story.pk])
    data = {"severity_1_month": "6", "severity_3_months": "4", "severity_6_months": "2",
            "side_effects": ["headache"], "insurance": "covered"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.severity_3_months, story.severity_6_months) == (4, 2)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# --- Untrusted content -----------------------------------------------------------------------


def test_the_xss_corpus_as_replies_never_reaches_the_page(client):
    thread = factories.thread()
    for payload in XSS_PAYLOADS:
        services.reply(author=UserFactory(), thread=thread, body=payload)
    for page in (1, 2):
        assert_no_executable_markup(
            _post_bodies(client.get(f"{thread.get_absolute_url()}?page={page}").content.decode())
        )


def test_the_xss_corpus_as_story_narratives_never_reaches_the_page(client):
    for payload in XSS_PAYLOADS:
        story = factories.story(narrative=payload, regimen=payload[:200])
        html = client.get(story.post.thread.get_absolute_url()).content.decode()
        assert_no_executable_markup(_post_bodies(html))
    listing = client.get(reverse("community:stories")).content.decode()
    assert_no_executable_markup(listing[listing.index('<ul class="story-list">') : listing.index("</main>")])


def _post_bodies(html: str) -> str:
    """The page's <main>, where user content goes (the site's own header has a logout form and scripts)."""
    return html[html.index("<main") : html.index("</main>")]


def test_home_page_shows_active_threads_at_a_fixed_cost(client):
    factories.thread(title="Only one thread")
    small = count_queries(client, "/")
    for n in range(10):
        factories.replies(factories.thread(title=f"Busy thread {n}"), 1)
    html = client.get("/").content.decode()
    assert "Active threads" in html and "Busy thread 9" in html
    assert count_queries(client, "/") == small


def test_members_only_threads_are_not_on_the_home_page_for_visitors(client):
    factories.thread(forum_slug="parent-wellbeing", title="Private worries")
    assert "Private worries" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert "Private worries" in client.get("/").content.decode()


def test_sitemap_lists_public_threads_only(client):
    public = factories.thread(title="Public thread")
    private = factories.thread(forum_slug="parent-wellbeing", title="Private thread")
    body = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in body and private.get_absolute_url() not in body


def test_seed_is_idempotent(settings):
    import io

    from django.core.management import call_command

    from community.models import Story

    settings.DEBUG = True
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    counts = (Thread.objects.count(), Story.objects.count())
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    assert (Thread.objects.count(), Story.objects.count()) == counts and counts[1] >= 5


def test_editing_in_a_locked_thread_says_so_and_keeps_the_text(client):
    member = UserFactory()
    thread = factories.thread(author=member)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client.force_login(member)
    response = client.post(f"/community/posts/{thread.posts.get().pk}/edit/", {"body": "My careful correction"})
    html = response.content.decode()
    assert response.status_code == 400 and "This thread is locked" in html and "My careful correction" in html


def test_a_deleted_post_cannot_be_edited(client):
    member = UserFactory()
    (post,) = factories.replies(factories.thread(), 1, author=member)
    services.delete_post(actor=member, post=post)
    client.force_login(member)
    response = client.get(f"/community/posts/{post.pk}/edit/", follow=True)
    assert "This post was deleted and can no longer be edited." in response.content.decode()


def test_an_anonymous_new_thread_is_kept_through_login(client):
    response = client.post("/community/school/new/", {"title": "Teacher meeting", "body": "What should I bring?"})
    assert response["Location"] == "/accounts/login/?next=/community/school/new/"
    client.force_login(UserFactory())
    html = client.get("/community/school/new/").content.decode()
    assert 'value="Teacher meeting"' in html and "What should I bring?" in html


def test_stories_can_be_filtered_by_treatment(client):
    factories.story(treatment="ivig")
    factories.story(treatment="tonsillectomy")
    html = client.get(reverse("community:stories"), {"treatment": "tonsillectomy"}).content.decode()
    assert "Our tonsillectomy story" in html and "Our ivig story" not in html


def test_xss_in_thread_titles_is_escaped_everywhere(client):
    titles = [payload[:140] for payload in XSS_PAYLOADS if "<" in payload][:10]
    for title in titles:
        factories.thread(title=title)
    for url in ("/", "/community/newly-diagnosed/", "/community/newly-diagnosed/feed/"):
        html = client.get(url).content.decode()
        assert not [title for title in titles if title in html], url
    forum = client.get("/community/newly-diagnosed/").content.decode()
    assert_no_executable_markup(forum[forum.index('<table class="thread-table">') : forum.index("</table>")])


def test_cached_anonymous_thread_page_shows_a_new_reply_at_once(client, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_ENABLED = True
    thread = factories.thread()
    assert "Fresh reply" not in client.get(thread.get_absolute_url()).content.decode()
    assert client.get(thread.get_absolute_url())["X-Page-Cache"] == "hit"
    member_client = client.__class__()
    member_client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):  # the cache goes stale when the reply commits
        member_client.post(f"/community/t/{thread.pk}/reply/", {"body": "Fresh reply"})
    response = client.get(thread.get_absolute_url())
    assert "Fresh reply" in response.content.decode() and "X-Page-Cache" not in response


def test_a_refusal_from_the_pace_hook_keeps_the_text(client, monkeypatch):
    from community import permissions

    def too_fast(user, action):
        raise permissions.NotAllowed("You are posting faster than our limits allow. Your text is kept.")

    thread = factories.thread()
    monkeypatch.setattr(permissions, "check_pace", too_fast)
    client.force_login(UserFactory())
    html = client.post(f"/community/t/{thread.pk}/reply/", {"body": "Patient words"}).content.decode()
    assert "faster than our limits allow" in html and "Patient words" in html


def test_an_edit_sent_after_the_session_expired_comes_back_after_login(client):
    member = UserFactory()
    post = factories.thread(author=member, body="First words").posts.get()
    url = f"/community/posts/{post.pk}/edit/"
    response = client.post(url, {"body": "My careful correction"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "My careful correction" in html


def test_a_thread_title_with_a_line_break_is_refused_and_the_text_kept(client):
    factories.forum("school")
    client.force_login(UserFactory())
    response = client.post(
        "/community/school/new/", {"title": "Teacher meeting\r\nBcc: someone", "body": "What should I bring?"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please keep the title on one line." in html and "What should I bring?" in html
    assert not Thread.objects.exists()


def test_moderators_posts_carry_a_moderator_badge_and_members_posts_do_not(client):
    moderator = UserFactory(display_name="Harbor Keeper", roles=[Role.MODERATOR])
    thread = factories.thread(author=UserFactory(display_name="Quiet Fern"))
    factories.replies(thread, 1, author=moderator)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count('class="badge badge-moderator">Moderator</span>') == 1
    badge_at = html.index("badge-moderator")
    assert html.rfind("Harbor Keeper", 0, badge_at) > html.rfind("Quiet Fern", 0, badge_at)
