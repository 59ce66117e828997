"""Fixtures for the whole suite. Tests run against the real services: PostgreSQL, Redis, an
aiosmtpd SMTP server, a Celery worker and headless Chromium (see tests/support/)."""

import os

import psycopg2
import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from portal.celery import app as celery_app
from tests.support.browser import CHROMIUM_ARGS, require_chromium
from tests.support.redis_server import PrivateRedis
from tests.support.smtp import MailServer

PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


@receiver(connection_created)
def _replica_has_the_primarys_extensions(sender, connection, **kwargs):
    """The test replica's tables are made from the models, not by migrations (tests/settings.py): the
    extension a migration would have created comes first."""
    if connection.alias == "replica":
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def pytest_sessionstart(session):
    """Stop at once, saying which service is down and how to start it. Never fall back to SQLite."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit(f"The tests need PostgreSQL; DATABASE_URL points to {database['ENGINE']}.", returncode=3)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=database["USER"],
            password=database["PASSWORD"],
            host=database["HOST"],
            port=database["PORT"] or 5432,
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {database['HOST']}:{database['PORT']} ({str(error).strip()}).\n"
            f"Start it with: {PG_START}\nor point DATABASE_URL at a running server.",
            returncode=3,
        )
    try:
        redis.Redis.from_url(django_settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.exit(
            f"Redis is not reachable at {django_settings.REDIS_URL} ({error}).\n"
            f"Start it with: {REDIS_START}\nor point REDIS_URL at a running server.",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    # No collectstatic in tests; fast hashing; mail kept in memory unless a test asks for SMTP.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PAGE_CACHE_ENABLED = False  # tests/portal/test_pagecache.py turns it on
    # Pre-moderation and rate limits are moderation's to test (tests/moderation/test_policy.py);
    # elsewhere a factory that writes 100 replies must not be held or slowed.
    settings.MODERATION_HOLD_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS = {
        group: {action: [(10_000, 60)] for action in ("post", "thread", "edit")} for group in ("member", "new_member")
    }
    # The other limits (portal/limits.py) are tested in tests/portal/test_limits.py.
    settings.ACTION_LIMITS = {action: [(10_000, 60)] for action in settings.ACTION_LIMITS}
    # Tasks run in-process unless a test starts a real worker (`celery_worker`).
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def mail_server(settings):
    """A real SMTP server; Django sends to it. `mail_server.wait_for(n)`, `.refuse(addr, 550)`."""
    server = MailServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker consuming from Redis in this process (tasks leave the caller's thread).

    Needs committed data, hence a transactional database.
    """
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker
    celery_app.conf.task_always_eager = True


@pytest.fixture
def private_redis():
    """A Redis server of the test's own, to stop and restart (outage tests)."""
    server = PrivateRedis().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls tests make between
    # browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (no cookies) whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser (behind `admin_client`), with the two-factor every staff account needs."""
    from tests.factories import UserFactory

    return UserFactory(email="admin@example.com", display_name="Admin", is_staff=True, is_superuser=True)
