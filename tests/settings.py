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

# A second, real database standing in for a read replica (tests/portal/test_db_router.py): created only
# for the tests that ask for it (`databases=`), and routed to only where a test turns the router on.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    # Tables made from the models, as a replica has them; the data migrations are the primary's (they
    # read through the default alias, so they cannot run against a second database).
    "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_replica", "MIGRATE": False},  # noqa: F405
}
