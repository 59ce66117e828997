"""A lean cache of whole anonymous pages, in Redis, invalidated at once by any write.

Measured on our machines (shared/reference/performance-and-faults.md), Django's `cache_page`
reaches about a third of the floor. This path is cheaper:
- it sits right after WhiteNoise, so a hit skips sessions, CSRF, authentication and the view;
- a hit is ONE cache round trip: `get_many` of the stored page and the current generation;
- a page is stored only if its view opted in (`@cache_anonymous_page`), the request carried no
  session or messages cookie, and the response is a 200 that sets no cookie;
- any successful POST/PUT/PATCH/DELETE (a reply, a flag, an approval, a login) starts a new
  generation, so every stored page is stale at once: a new reply shows immediately. Writes that
  do not come through the web (tasks, commands) call `invalidate()`.
The stored response keeps the headers the inner middleware set (CSP, X-Frame-Options...); the
outer SecurityMiddleware adds its own on every hit.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "pagecache:generation"
DEFAULT_TIMEOUT = 300
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


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


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _page_key(request) -> str:
    digest = hashlib.blake2b(f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=16)
    return f"pagecache:page:{digest.hexdigest()}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        cacheable_request = request.method == "GET" and _is_anonymous(request)
        if cacheable_request:
            key = _page_key(request)
            found = cache.get_many([key, GENERATION_KEY])
            entry, generation = found.get(key), found.get(GENERATION_KEY)
            if entry and generation and entry[0] == generation:
                return self._rebuild(entry)

        response = self.get_response(request)

        if request.method not in SAFE_METHODS and response.status_code < 400:
            invalidate()
        elif cacheable_request and self._storable(response):
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
    def _rebuild(entry: tuple) -> HttpResponse:
        _, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
