"""Reading the forums: the index, a forum, a thread page, the home page's active threads, the feed and
the sitemap (what each shows, to whom, at a fixed number of queries)."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from community import services
from community.models import Story, Thread
from tests.community import factories
from tests.factories import UserFactory
from tests.support.queries import assert_fixed_queries, count_queries
from tests.support.xss import XSS_PAYLOADS, assert_no_executable_markup

pytestmark = pytest.mark.django_db


def test_forum_index_lists_forums_with_thread_counts(client):
    factories.thread(forum_slug="school", title="504 plan questions")
    html = client.get(reverse("community:index")).content.decode()
    assert "School" in html and "Parent wellbeing" in html and "Members only" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


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
    # the forum (with its kept count of public threads), the page of threads: no count of the threads
    assert_fixed_queries(client, "/community/school/", "/community/insurance/", expected=2)


def test_forum_page_costs_the_same_for_a_member(client):
    member = UserFactory()
    client.force_login(member)
    for n in range(5):
        factories.thread(forum_slug="school", title=f"School thread {n}")
    for n in range(25):
        factories.thread(forum_slug="insurance", title=f"Insurance thread {n}")
    # user with their roles and unread count (the session is cached), forum, count, threads
    assert_fixed_queries(client, "/community/school/", "/community/insurance/", expected=4)


def test_thread_page_costs_the_same_for_20_and_100_posts(client):
    small = factories.thread(title="Small")
    factories.replies(small, 19)
    large = factories.thread(title="Large")
    factories.replies(large, 99)
    # thread, count, posts (with their authors' moderator badges), moderators' event lines
    assert_fixed_queries(client, small.get_absolute_url(), large.get_absolute_url() + "?page=5", expected=4)


def test_thread_page_costs_the_same_for_a_member(client):
    client.force_login(UserFactory())
    small = factories.thread(title="Small")
    factories.replies(small, 19)
    large = factories.thread(title="Large")
    factories.replies(large, 99)
    # user with their roles, unread count and suspension (the session is cached), thread with whether
    # I follow it, count, posts with my reactions and their authors' badges, event lines
    assert_fixed_queries(client, small.get_absolute_url(), large.get_absolute_url(), expected=5)


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


def test_moderators_posts_carry_a_moderator_badge_and_members_posts_do_not(client):
    moderator = UserFactory(display_name="Harbor Keeper", roles=[Role.MODERATOR])
    thread = factories.thread(author=UserFactory(display_name="Quiet Fern"))
    factories.replies(thread, 1, author=moderator)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count('class="badge badge-moderator">Moderator</span>') == 1
    badge_at = html.index("badge-moderator")
    assert html.rfind("Harbor Keeper", 0, badge_at) > html.rfind("Quiet Fern", 0, badge_at)


def test_forum_feed_is_atom_with_the_newest_threads(client):
    factories.thread(title="Feed me", body="*Body* of the thread")
    response = client.get("/community/newly-diagnosed/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Feed me</title>" in body and "&lt;em&gt;Body&lt;/em&gt;" in body


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


def test_xss_in_thread_titles_is_escaped_everywhere(client):
    titles = [payload[:140] for payload in XSS_PAYLOADS if "<" in payload][:10]
    for title in titles:
        factories.thread(title=title)
    for url in ("/", "/community/newly-diagnosed/", "/community/newly-diagnosed/feed/"):
        html = client.get(url).content.decode()
        assert not [title for title in titles if title in html], url
    forum = client.get("/community/newly-diagnosed/").content.decode()
    assert_no_executable_markup(forum[forum.index('<table class="thread-table">') : forum.index("</table>")])


def test_seed_is_idempotent(settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    counts = (Thread.objects.count(), Story.objects.count())
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    assert (Thread.objects.count(), Story.objects.count()) == counts and counts[1] >= 5
