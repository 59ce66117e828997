"""Site-wide request hygiene that every view relies on."""

import re

from django.conf import settings
from django.http import QueryDict

# C0 control characters other than tab, line feed and carriage return, and DEL. A NUL reaching
# PostgreSQL is an error (a 500); none of them is ever typed by a person.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(data: QueryDict) -> QueryDict | None:
    """A copy of `data` without control characters in names or values, or None if there were none."""
    if not any(CONTROL_CHARACTERS.search(key + "".join(values)) for key, values in data.lists()):
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(CONTROL_CHARACTERS.sub("", key), [CONTROL_CHARACTERS.sub("", value) for value in values])
    cleaned._mutable = False
    return cleaned


def _fits_in_memory(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        return limit is None or int(request.META.get("CONTENT_LENGTH") or 0) <= limit
    except ValueError:
        return False


class ControlCharacterMiddleware:
    """Query parameters and form fields reach views without control characters: a stray NUL in
    `?q=` or a form is dropped, the rest of what was typed is kept, and no view can fail on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (query := _cleaned(request.GET)) is not None:
            request.GET = query
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            if request.content_type == "multipart/form-data" and _fits_in_memory(request):
                # Read the raw body before parsing the form, or it is gone for views that need both
                # (anymail's SendGrid inbound webhook reads request.body after request.POST).
                request.body  # noqa: B018
            form = _cleaned(request.POST)
            if form is not None:
                request.POST = form
        return self.get_response(request)


ROUTE_ENVIRON_KEY = "portal.route"


class RouteForAccessLogMiddleware:
    """Puts the matched route pattern ("/alerts/confirm/<str:token>/") in the WSGI environ, where
    gunicorn's access log reads it (portal/gunicorn_conf.py): logs never carry a token from a path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match is not None:
            request.META[ROUTE_ENVIRON_KEY] = "/" + request.resolver_match.route.lstrip("^").rstrip("$")


class PermissionsPolicyMiddleware:
    """The browser features no page here uses are turned off for every page (and anything it embeds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
