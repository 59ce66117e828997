"""`/healthz`: is each service the portal depends on reachable right now?"""

import secrets

from django.core.cache import cache
from django.db import connection

from portal.celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 — any failure means "down"
        return False


def cache_ok() -> bool:
    # The cache swallows connection errors (IGNORE_EXCEPTIONS), so a round trip is the test.
    key, value = "healthz:" + secrets.token_hex(8), secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception:  # noqa: BLE001
        return False


def broker_status() -> str:
    """ "ok", "down", or "eager" when tasks run in-process (no broker configured)."""
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"


def check() -> tuple[bool, dict[str, str]]:
    status = {
        "database": "ok" if database_ok() else "down",
        "cache": "ok" if cache_ok() else "down",
        "broker": broker_status(),
    }
    return all(value != "down" for value in status.values()), status
