import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.pagecache import invalidate
from tests.factories import UserFactory

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


def test_any_successful_write_makes_cached_pages_stale_at_once(client):
    client.get(reverse("about"))
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    assert "X-Page-Cache" not in client.get(reverse("about"))


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
