import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from alerts import services as alerts_services
from articles import services as articles_services
from articles.models import Article
from community import services as community_services
from portal.pagecache import invalidate, invalidate_on_commit
from tests.alerts.factories import ExposureReportFactory
from tests.articles import factories as article_factories
from tests.community import factories as community_factories
from tests.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory, enable_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client):
    first = client.get(reverse("about"))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("about"))
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0


def test_a_cached_page_keeps_its_security_headers(client):
    client.get(reverse("about"))
    hit = client.get(reverse("about"))
    assert hit["X-Page-Cache"] == "hit"
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"


def test_members_always_get_a_fresh_page(client):
    client.get(reverse("home"))
    client.force_login(UserFactory(display_name="Fresh Member"))
    response = client.get(reverse("home"))
    assert "X-Page-Cache" not in response
    assert "Fresh Member" in response.content.decode()


def _cached(client, url) -> None:
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_login_leaves_cached_pages_cached(client, django_capture_on_commit_callbacks):
    UserFactory(email="parent@example.org")
    _cached(client, reverse("about"))
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("account_login"), {"login": "parent@example.org", "password": DEFAULT_PASSWORD}
        )
    assert response.status_code == 302
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


def test_a_failed_login_leaves_cached_pages_cached(client):
    _cached(client, reverse("about"))
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


def test_a_flag_leaves_the_cached_thread_cached(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    _cached(client, thread.get_absolute_url())
    member = Client()
    member.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("moderation:flag", args=[thread.posts.get().pk]), {"reason": "spam"})
    assert response.status_code == 302
    assert client.get(thread.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_refused_reply_leaves_the_cached_thread_cached(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    thread.is_locked = True
    thread.save(update_fields=["is_locked"])
    _cached(client, thread.get_absolute_url())
    member = Client()
    member.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("community:reply", args=[thread.pk]), {"body": "Is anyone there?"})
    assert response.status_code == 400
    assert client.get(thread.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_post_to_a_read_only_page_is_refused_and_leaves_the_cache_alone(client):
    _cached(client, reverse("home"))
    for name in ("home", "about", "search", "healthz", "sitemap", "robots"):
        assert client.post(reverse(name)).status_code == 405, name
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_reply_makes_the_cached_thread_stale_once_committed(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    _cached(client, thread.get_absolute_url())
    member = Client()
    member.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("community:reply", args=[thread.pk]), {"body": "We went through it too."})
    assert response.status_code == 302
    fresh = client.get(thread.get_absolute_url())
    assert "X-Page-Cache" not in fresh
    assert "We went through it too." in fresh.content.decode()


def test_an_approval_makes_the_cached_thread_stale(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    held = community_services.reply(author=UserFactory(), thread=thread, body="Waiting for a moderator")
    community_services.hold_post(moderator=None, post=held, reason="First post")
    _cached(client, thread.get_absolute_url())
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(reverse("moderation:decide_post", args=[held.pk]), {"decision": "approve"})
    assert response.status_code == 302
    fresh = client.get(thread.get_absolute_url())
    assert "X-Page-Cache" not in fresh
    assert "Waiting for a moderator" in fresh.content.decode()


def test_a_new_display_name_makes_the_cached_thread_stale(client, django_capture_on_commit_callbacks):
    author = UserFactory(display_name="Quiet Heron")
    thread = community_factories.thread(author=author)
    _cached(client, thread.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.change_display_name(user=author, display_name="Brave Otter")
    fresh = client.get(thread.get_absolute_url())
    assert "X-Page-Cache" not in fresh
    assert "Brave Otter" in fresh.content.decode()


def test_publishing_an_article_makes_the_cached_list_stale(client, django_capture_on_commit_callbacks):
    draft = article_factories.make_article(title="Strep and sudden OCD", status=Article.Status.DRAFT, reviewed_by=None)
    articles_services.record_review(reviewer=article_factories.reviewer(), article=draft)
    _cached(client, reverse("articles:list"))
    with django_capture_on_commit_callbacks(execute=True):
        articles_services.publish_article(editor=article_factories.editor(), article=draft)
    fresh = client.get(reverse("articles:list"))
    assert "X-Page-Cache" not in fresh
    assert "Strep and sudden OCD" in fresh.content.decode()


def test_an_approved_exposure_report_makes_the_cached_school_page_stale(client, django_capture_on_commit_callbacks):
    report = ExposureReportFactory()
    _cached(client, reverse("alerts:school", args=[report.school.slug]))
    with django_capture_on_commit_callbacks(execute=True):
        alerts_services.approve_report(report=report, moderator=ModeratorFactory())
    assert "X-Page-Cache" not in client.get(reverse("alerts:school", args=[report.school.slug]))


def test_a_staff_members_admin_save_makes_cached_pages_stale(client):
    forum = community_factories.forum()
    _cached(client, reverse("community:index"))
    staff = UserFactory(is_staff=True, is_superuser=True)
    enable_two_factor(staff)
    admin = Client()
    admin.force_login(staff)
    url = reverse("admin:community_forum_change", args=[forum.pk])
    form = {"name": "Just diagnosed", "slug": forum.slug, "description": "Start here.", "order": 1}
    response = admin.post(url, form)
    assert response.status_code == 302
    fresh = client.get(reverse("community:index"))
    assert "X-Page-Cache" not in fresh
    assert "Just diagnosed" in fresh.content.decode()


def test_an_anonymous_post_to_the_admin_leaves_the_cache_alone(client):
    _cached(client, reverse("about"))
    assert Client().post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 302
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


def test_a_write_rolled_back_invalidates_nothing(client):
    _cached(client, reverse("about"))
    with transaction.atomic():
        invalidate_on_commit()
        transaction.set_rollback(True)
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


def test_head_is_answered_from_a_cached_page_without_a_body(client):
    _cached(client, reverse("home"))
    response = client.head(reverse("home"))
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_invalidate_makes_cached_pages_stale(client):
    client.get(reverse("home"))
    invalidate()
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_query_strings_are_separate_pages(client):
    client.get(reverse("about"))
    assert "X-Page-Cache" not in client.get(reverse("about") + "?x=1")


@pytest.mark.urls("tests.portal.pagecache_urls")
def test_responses_that_set_a_cookie_or_fail_are_never_stored(client):
    client.get("/cookie/")
    client.get("/missing/")
    assert "X-Page-Cache" not in client.get("/cookie/")
    assert "X-Page-Cache" not in client.get("/missing/")


def test_pages_not_marked_cacheable_are_never_stored(client):
    client.get(reverse("account_signup"))
    assert "X-Page-Cache" not in client.get(reverse("account_signup"))


def test_anonymous_search_results_are_cached_per_query(client):
    client.get(reverse("search"), {"q": "ivig"})
    assert client.get(reverse("search"), {"q": "ivig"})["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get(reverse("search"), {"q": "tics"})
