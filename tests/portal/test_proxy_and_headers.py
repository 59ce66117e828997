"""Client IP from the proxy chain (TRUSTED_PROXY_COUNT), X-Forwarded-Proto only behind a proxy,
the Permissions-Policy header, and access logs that carry the route, never a token."""

import datetime
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from accounts.adapter import AccountAdapter
from alerts import services, tokens
from alerts.models import Subscription
from portal import gunicorn_conf
from portal.clientip import client_ip
from tests.alerts.factories import SchoolFactory
from tests.portal.test_settings import PRODUCTION_ENV, ROOT, outside_environment

SPOOFED_CHAIN = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(RequestFactory().get("/", **SPOOFED_CHAIN)) == "10.0.0.2"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", **SPOOFED_CHAIN)
    assert client_ip(request) == "203.0.113.7"  # "6.6.6.6" was written by the client itself
    assert AccountAdapter().get_client_ip(request) == "203.0.113.7"  # allauth's limits count the same


def test_a_malformed_forwarded_address_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.2")) is None


@pytest.mark.django_db
def test_consent_records_the_clients_address_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    school = SchoolFactory()
    services.subscribe(email="parent@example.net", school=school, role="parent")
    subscription = Subscription.objects.get()
    client.post(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]), **SPOOFED_CHAIN)
    subscription.refresh_from_db()
    assert subscription.confirmed_ip == "203.0.113.7"


def _production_setting(name: str, **extra_env) -> str:
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**outside_environment(), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings", **extra_env},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()


def test_x_forwarded_proto_is_believed_only_behind_a_trusted_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert (
        _production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.django_db
def test_every_page_turns_off_browser_features_it_does_not_use(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


class _Response:
    status = "200 OK"
    headers = ()
    sent = 10
    response_length = 10


@pytest.mark.django_db
def test_the_access_log_shows_the_route_never_the_token_or_the_query(client):
    token = "s3cret-token-value"
    environ = client.get(f"/alerts/unsubscribe/{token}/?email=parent@example.net").wsgi_request.META
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", gunicorn_conf.access_log_format)
    logger = Logger(config)
    environ = {**environ, "RAW_URI": environ["PATH_INFO"], "SERVER_PROTOCOL": "HTTP/1.1"}
    line = logger.cfg.access_log_format % logger.atoms(_Response(), [], environ, datetime.timedelta(milliseconds=3))
    assert "/alerts/unsubscribe/<str:token>/" in line
    assert token not in line and "parent@example.net" not in line
