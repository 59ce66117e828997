from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The account area: allauth's pages (login, email, password, two-factor, sessions) and the member's own.
ACCOUNT_AREA = "/accounts/"


class MemberLanguageMiddleware:
    """A signed-in member's account pages in the language they chose (`User.language`).

    Only under /accounts/ and only for a signed-in member: the rest of the portal is written in
    English, and the page cache stores anonymous pages only, so a cached page never changes language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = member_language(request)
        if language is None:
            return self.get_response(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


def member_language(request) -> str | None:
    """The language the page should be in, when it is not the site's default."""
    if not request.path_info.startswith(ACCOUNT_AREA):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    language = user.language
    return language if language != settings.LANGUAGE_CODE else None
