import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE_PAGES = ["home", "about", "privacy", "community_rules", "search"]


@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_page_has_one_h1_landmarks_and_the_medical_note(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "Not medical advice." in html
    for link in ("/about/", "/privacy/", "/community-rules/"):
        assert f'href="{link}"' in html


@pytest.mark.parametrize("name", SITE_PAGES)
def test_anonymous_pages_set_no_cookie(client, name):
    # A cookie on an anonymous page would defeat the page cache (and track nobody for no reason).
    response = client.get(reverse(name))
    assert not response.cookies


def test_security_headers_are_sent(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_header_shows_display_name_never_email(client):
    member = UserFactory(display_name="Quiet Heron", email="private.person@example.org")
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "Quiet Heron" in html
    assert "private.person" not in html


def test_unknown_page_is_a_404_that_offers_search(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'role="search"' in html and 'name="q"' in html


def test_search_without_matches_says_so_and_keeps_the_query(client):
    response = client.get(reverse("search"), {"q": "zzqx nothing"})
    html = response.content.decode()
    assert "Nothing matched “zzqx nothing”" in html
    assert 'value="zzqx nothing"' in html


def test_expired_session_form_keeps_what_was_typed(client):
    strict = client.__class__(enforce_csrf_checks=True)
    response = strict.post(
        reverse("account_signup"),
        {"email": "a@example.org", "display_name": "Brave Otter", "password1": "secret words 99"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form was not sent" in html
    assert "Brave Otter" in html and "a@example.org" in html
    assert "secret words 99" not in html


def test_robots_and_sitemap(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Disallow: /moderation/" in robots.content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"/about/" in sitemap.content


def test_pages_stay_in_english_whatever_the_browser_asks(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in html and "<h1>Log in</h1>" in html and "Iniciar sesión" not in html
