"""A lean cache of whole anonymous pages, in Redis, made stale by the writes that change them.

Measured on our machines, Django's `cache_page` reached only about a third of the throughput of the
framework's floor (the fastest response Django itself gives). This path is cheaper:
- it sits right after WhiteNoise, so a hit skips sessions, CSRF, authentication and the view;
- a hit is ONE cache round trip: `get_many` of the stored page and the current generations of what
  it shows; a HEAD (uptime monitors) is answered from the stored GET;
- a page is stored only if its view opted in (`@cache_anonymous_page`), the request carried no
  session or messages cookie, and the response is a 200 that sets no cookie;
- pages are grouped by what they show, in *topics* ("thread:12", "forum:<slug>", "home", "articles"
  ...; portal/pagetopics.py maps each cached URL name to its topics). Each topic has a generation,
  and so has the whole site; a stored page keeps the generations it was rendered under and is a
  hit only while they all still hold;
- a write that changes what an anonymous visitor sees (a reply, an approval, a hidden post, a
  published article or alert, a new display name) starts new generations when its transaction
  commits: of the topics it names (`@changes_public_pages(pages=...)`: a reply names its thread,
  its forum, the forum index, home, search, stories and its author's page), or of the whole site
  when it names none (every stored page stale at once). A new reply shows immediately, and under
  steady replies an article or another thread stays cached. A page whose URL name is not in the
  registry depends on every topic ("*"), so it goes stale on any write. The services that make
  such writes say so (`@changes_public_pages`, `changed()` or `invalidate_on_commit()` inside one),
  so tasks and commands that call them invalidate too. Nothing else does: a login, a subscription,
  a flag (unless enough flags hide the post), a settings change, a refused write or a POST to a
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
from collections.abc import Callable, Iterable
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import reverse

from portal.pagetopics import ANY_TOPIC, topics_of_path

GENERATION_KEY = "pagecache:generation"  # the whole site's generation
TOPIC_KEY = "pagecache:topic:"  # + a topic: that topic's generation
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


def is_invalidation(callback) -> bool:
    """Whether an on-commit callback is the page cache's (for tests that count the others)."""
    return callback is invalidate or getattr(callback, "func", None) is changed


def invalidate() -> None:
    """Make every stored page stale (a new generation of the whole site). Cheap: one cache write."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def changed(*topics: str) -> None:
    """Make stale the stored pages that show any of `topics` (and those not in the registry). One write."""
    generation = uuid.uuid4().hex
    cache.set_many({TOPIC_KEY + topic: generation for topic in {*topics, ANY_TOPIC}}, timeout=None)


def invalidate_on_commit(topics: Iterable[str] | None = None) -> None:
    """Make stored pages stale once the current transaction commits (at once outside one): those
    showing `topics`, or every page when no topics are given.

    On commit, not before: a visitor in between would store the page as it was before the write.
    A transaction rolled back (a refused or failed write) invalidates nothing.
    """
    if topics is None:
        transaction.on_commit(invalidate)
    else:
        transaction.on_commit(partial(changed, *topics))


Pages = Iterable[str] | Callable[..., Iterable[str] | None]


def changes_public_pages(service=None, *, pages: Pages | None = None):
    """For a service whose successful writes change what anonymous visitors see.

    After the service returns (not when it raises), stored pages go stale when the write commits:
    at once if the service committed its own transaction, with the caller's otherwise. `pages`
    names the topics the write changes: a tuple, or a function given the service's result and its
    keyword arguments (`pages(result, kwargs)`), which may answer None for "everything". Without
    `pages`, every stored page goes stale: the safe choice for a write whose reach is not known.
    """

    def decorator(function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            topics = pages(result, kwargs) if callable(pages) else pages
            invalidate_on_commit(topics)
            return result

        return wrapper

    return decorator(service) if service else decorator


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
        if cacheable_request and (topics := topics_of_path(request.path_info)) is not None:
            key = _page_key(request)
            generation_keys = [GENERATION_KEY, *(TOPIC_KEY + topic for topic in topics)]
            found = cache.get_many([key, *generation_keys])
            entry, generations = found.get(key), tuple(found.get(k) for k in generation_keys)
            if entry and entry[0] == generations and all(generations):
                return self._rebuild(entry, request)
            if not all(generations):
                # The first page after a cache restart (or of a new topic) starts its generations,
                # before the view runs: a write committed meanwhile then starts newer ones.
                generations = self._start_generations(generation_keys, generations)
        else:
            cacheable_request = False

        response = self.get_response(request)

        if request.method not in SAFE_METHODS and _is_admin_write(request, response):
            invalidate()
        elif cacheable_request and request.method == "GET" and self._storable(response) and all(generations):
            cache.set(key, self._freeze(response, generations), timeout=response.page_cache_timeout)
        return response

    @staticmethod
    def _start_generations(keys: list[str], generations: tuple) -> tuple:
        missing = [key for key, generation in zip(keys, generations, strict=True) if not generation]
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)  # add: a generation just started stays
        started = cache.get_many(missing)
        return tuple(generation or started.get(key) for key, generation in zip(keys, generations, strict=True))

    @staticmethod
    def _storable(response) -> bool:
        return (
            getattr(response, "page_cache_timeout", None)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        )

    @staticmethod
    def _freeze(response, generations: tuple) -> tuple:
        return (generations, response.status_code, list(response.items()), response.content)

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
