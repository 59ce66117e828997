import json

import pytest

from portal.celery import app as celery_app


def point_cache_and_broker_at(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.OutageTolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False


@pytest.fixture
def restore_broker():
    original = celery_app.conf.broker_url
    yield
    celery_app.conf.broker_url = original


@pytest.mark.django_db
def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_while_redis_is_stopped_and_200_when_it_is_back(client, settings, private_redis, restore_broker):
    point_cache_and_broker_at(settings, private_redis.url)
    assert client.get("/healthz").status_code == 200

    private_redis.stop()
    down = client.get("/healthz")
    assert down.status_code == 503
    assert json.loads(down.content) == {"status": "degraded", "database": "ok", "cache": "down", "broker": "down"}

    private_redis.start()
    back = client.get("/healthz")
    assert back.status_code == 200
    assert json.loads(back.content)["broker"] == "ok"
