"""A lean cache of whole anonymous pages, in Redis, made stale at once by writes to public content.

Measured on our machines, Django's `cache_page` reached only about a third of the throughput of the
framework's floor (the fastest response Django itself gives). This path is cheaper:
- it sits right after WhiteNoise, so a hit skips sessions, CSRF, authentication and the view;
- a hit is ONE cache round trip: `get_many` of the stored page and the current generation; a HEAD
  (uptime monitors) is answered from the stored GET;
- a page is stored only if its view opted in (`@cache_anonymous_page`), the request carried no
  session or messages cookie, and the response is a 200 that sets no cookie;
- a write that changes what an anonymous visitor sees (a reply, an approval, a hidden post, a
  published article or alert, a new display name) starts a new generation when its transaction
  commits, so every stored page is stale at once: a new reply shows immediately. The services that
  make such writes say so (`@changes_public_pages`, or `invalidate_on_commit()` inside one), so
  tasks and commands that call them invalidate too. Nothing else does: a login, a subscription, a
  flag (unless enough flags hide the post), a settings change, a refused write or a POST to a
  read-only page (405) leaves the cache alone, so nobody can empty it at will;
- the admin edits models directly (forums, schools, categories): a staff member's successful
  admin write (a redirect after POST) starts a new generation too.
The stored response keeps the headers the inner middleware set (CSP, X-Frame-Options...); the
outer SecurityMiddleware adds its own on every hit.

GZipMiddleware sits inside this one, so a page is stored as it was sent: compressed for a browser
that accepts gzip, and a hit costs no compression. A client that does not accept gzip and meets a
compressed page gets it decompressed (rare: every browser accepts gzip).
"""

import gzip
import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import reverse

GENERATION_KEY = "pagecache:generation"
DEFAULT_TIMEOUT = 300
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
CACHED_METHODS = {"GET", "HEAD"}  # a HEAD is answered from a stored GET; only a GET stores


def cache_anonymous_page(view=None, *, timeout: int = DEFAULT_TIMEOUT):
    """Let the page cache store this view's anonymous responses (for `timeout` seconds at most)."""

    def decorator(view_function):
        @wraps(view_function)
        def wrapper(request, *args, **kwargs):
            response = view_function(request, *args, **kwargs)
            response.page_cache_timeout = timeout
            return response

        return wrapper

    return decorator(view) if view else decorator


def invalidate() -> None:
    """Make every stored page stale (a new generation). Cheap: one cache write."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate_on_commit() -> None:
    """Make every stored page stale once the current transaction commits (at once outside one).

    On commit, not before: a visitor in between would store the page as it was before the write.
    A transaction rolled back (a refused or failed write) invalidates nothing.
    """
    transaction.on_commit(invalidate)


def changes_public_pages(service):
    """For a service whose successful writes change what anonymous visitors see.

    After the service returns (not when it raises), stored pages go stale when the write commits:
    at once if the service committed its own transaction, with the caller's otherwise.
    """

    @wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        invalidate_on_commit()
        return result

    return wrapper


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _page_key(request) -> str:
    digest = hashlib.blake2b(f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=16)
    return f"pagecache:page:{digest.hexdigest()}"


def _is_admin_write(request, response) -> bool:
    """A staff member's admin form or action that went through (the admin redirects after saving)."""
    user = getattr(request, "user", None)
    return (
        300 <= response.status_code < 400
        and request.path.startswith(reverse("admin:index"))
        and user is not None
        and user.is_authenticated
        and user.is_staff
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        cacheable_request = request.method in CACHED_METHODS and _is_anonymous(request)
        if cacheable_request:
            key = _page_key(request)
            found = cache.get_many([key, GENERATION_KEY])
            entry, generation = found.get(key), found.get(GENERATION_KEY)
            if entry and generation and entry[0] == generation:
                return self._rebuild(entry, request)

        response = self.get_response(request)

        if request.method not in SAFE_METHODS and _is_admin_write(request, response):
            invalidate()
        elif cacheable_request and request.method == "GET" and self._storable(response):
            if generation is None:
                invalidate()  # the first page after a cache restart starts a generation
                generation = cache.get(GENERATION_KEY)
            if generation:
                cache.set(key, self._freeze(response, generation), timeout=response.page_cache_timeout)
        return response

    @staticmethod
    def _storable(response) -> bool:
        return (
            getattr(response, "page_cache_timeout", None)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        )

    @staticmethod
    def _freeze(response, generation: str) -> tuple:
        return (generation, response.status_code, list(response.items()), response.content)

    @staticmethod
    def _rebuild(entry: tuple, request) -> HttpResponse:
        _, status, headers, content = entry
        compressed = any(name.lower() == "content-encoding" and value == "gzip" for name, value in headers)
        if compressed and not re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
            content = gzip.decompress(content)
            headers = [(n, v) for n, v in headers if n.lower() not in ("content-encoding", "content-length")]
            headers.append(("Content-Length", str(len(content))))
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
