"""Reads of the read-only pages from a PostgreSQL read replica, when there is one (docs/scaling.md).

With `DATABASE_REPLICA_URL` set, settings add the "replica" database and this router. Then:
- a GET or HEAD of a read-only page (the public pages of portal/pagetopics.py: nothing a GET of them
  does changes data) reads from the replica, its session and member included;
- every other request, every write, and every read inside `transaction.atomic` use the primary, so
  a service that reads then writes sees its own transaction;
- after a member's successful POST (or other unsafe request) a short-lived cookie keeps that browser
  on the primary for REPLICA_STICKY_SECONDS, longer than the replica lags: a new reply, a changed
  setting or a login is seen on the next page even before the replica has it.
Without a replica the middleware takes itself out of the chain: one database, no cost, no change.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import Resolver404, resolve

from portal.pagetopics import PAGE_TOPICS

REPLICA = "replica"
ROUTER = "portal.db_router.ReplicaRouter"
STICKY_COOKIE = "db_primary"
SAFE_METHODS = {"GET", "HEAD"}
READ_ONLY_PAGES = frozenset(PAGE_TOPICS)

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


class ReplicaRouter:
    """Reads go to the replica only while a read-only page is served, and never inside a transaction."""

    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: an object read from either is the same row

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None  # a physical replica takes its schema from the primary; nobody migrates it


def is_read_only_page(request) -> bool:
    if request.method not in SAFE_METHODS or STICKY_COOKIE in request.COOKIES:
        return False
    try:
        return resolve(request.path_info).view_name in READ_ONLY_PAGES
    except Resolver404:
        return False


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may go to the replica; sticks a writer to the primary a while."""

    def __init__(self, get_response):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(is_read_only_page(request))
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
