import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3J9-production-like-secret-that-is-long-and-random-0f8a7c6e5d4b3a29187",
    "JOURNAL_KEY": "cHJvZHVjdGlvbi1saWtlLWpvdXJuYWwta2V5LTAwMDE=",
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


# Variables the test run itself sets (tests/settings.py); a subprocess must not inherit them.
TEST_RUN_VARIABLES = {
    *PRODUCTION_ENV,
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixture for Playwright
}


def outside_environment():
    return {k: v for k, v in os.environ.items() if k not in TEST_RUN_VARIABLES}


def run_manage(*args, env):
    clean_env = outside_environment()
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_stops_with_a_clear_error():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_off_without_journal_key_stops_with_a_clear_error():
    result = run_manage("check", env={**PRODUCTION_ENV, "JOURNAL_KEY": ""})
    assert result.returncode != 0
    assert "JOURNAL_KEY must be set when DEBUG is off" in result.stderr


def test_a_journal_key_that_is_not_a_fernet_key_stops_with_a_clear_error():
    result = run_manage("check", env={**PRODUCTION_ENV, "JOURNAL_KEY": "too-short"})
    assert result.returncode != 0
    assert "JOURNAL_KEY holds a value that is not a Fernet key" in result.stderr
    assert "too-short" not in result.stderr  # a key is never printed


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_run_defaults_to_sqlite_and_eager_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from portal.celery import app; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], app.conf.task_always_eager)"
    )
    clean_env = outside_environment()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_env, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ], result.stderr
