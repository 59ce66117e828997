"""Pages travel compressed (gzip), and anonymous pages are stored in the page cache compressed, so a
cached hit costs no compression; a client that does not accept gzip still gets a readable page."""

import gzip

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.pagecache import _page_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_a_page_arrives_compressed_when_the_browser_accepts_gzip(client):
    response = client.get(reverse("about"), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert b"<!DOCTYPE html>" in gzip.decompress(response.content)


def test_a_members_page_arrives_compressed_too(client):
    client.force_login(UserFactory(display_name="Gentle Wren"))

    response = client.get(reverse("community:settings"), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert b"Gentle Wren" in gzip.decompress(response.content)


def test_an_anonymous_page_is_stored_compressed_and_served_from_the_cache_as_stored(client, page_cache_on):
    first = client.get(reverse("about"), **GZIP)
    stored = cache.get(_page_key(first.wsgi_request))

    hit = client.get(reverse("about"), **GZIP)

    assert stored[3][:2] == b"\x1f\x8b"  # the stored body is gzip
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
    assert hit.content == first.content


def test_a_client_without_gzip_gets_a_compressed_cached_page_decompressed(client, page_cache_on):
    first = client.get(reverse("about"), **GZIP)

    hit = client.get(reverse("about"))

    assert hit["X-Page-Cache"] == "hit"
    assert not hit.has_header("Content-Encoding")
    assert hit.content == gzip.decompress(first.content)
    assert int(hit["Content-Length"]) == len(hit.content)
