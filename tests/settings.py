"""The test run's environment: real PostgreSQL and Redis, never SQLite.

pytest-django imports settings before any conftest runs, so the defaults the suite needs are set
here, then the one settings module is read. Every variable can still be overridden from outside
(`DATABASE_URL=... make test`). Behaviour overrides live in tests/conftest.py.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
# Encrypts the journal in tests only (a second key is added where rotation is tested).
os.environ.setdefault("JOURNAL_KEY", "dGVzdC1vbmx5LWpvdXJuYWwta2V5LW5vdC1zZWNyZXQ=")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DEBUG", "0")

from portal.settings import *  # noqa: F403
