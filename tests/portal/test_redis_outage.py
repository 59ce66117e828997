"""Redis down while reading or logging in: pages are served uncached, never a 5xx (the cache
ignores connection errors, and rate limits lapse rather than lock everyone out)."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_stopped(settings, private_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.OutageTolerantRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    private_redis.stop()


@pytest.mark.parametrize("name", ["home", "about", "search", "account_login"])
def test_pages_are_served_while_redis_is_down(client, redis_stopped, name):
    assert client.get(reverse(name)).status_code == 200


def test_members_can_log_in_while_redis_is_down(client, redis_stopped):
    # Sessions live in the database (cached_db); allauth's rate limits live in the cache and
    # fail open during an outage: a parent can still log in.
    UserFactory(email="member@example.org", display_name="Steady Oak")
    response = client.post(
        reverse("account_login"), {"login": "member@example.org", "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Steady Oak" in response.content.decode()


def test_limited_writes_go_through_while_redis_is_down(client, redis_stopped, settings):
    # The limits of portal/limits.py live in the cache: during an outage they lapse, writes do not fail.
    from portal import settings as production_settings
    from tests.community import factories as community

    settings.ACTION_LIMITS = {**production_settings.ACTION_LIMITS}
    post = community.thread().posts.first()
    client.force_login(UserFactory())
    response = client.post(
        reverse("community:react", args=[post.pk]), {"kind": "helpful"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["reacted"] is True
