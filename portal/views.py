from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import healthz as health
from portal.hooks import app_hooks
from portal.pagecache import cache_anonymous_page
from portal.search import clean_query, did_you_mean, exact_results, search_everything


@require_safe
@cache_anonymous_page
def home(request):
    sections = [section for home_section in app_hooks("sections", "home_section") if (section := home_section(request))]
    return render(request, "portal/home.html", {"sections": sections})


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever a page links to: send them to the static file."""
    return redirect(static("favicon.ico"))


@never_cache
@require_safe
def healthz(request):
    ok, status = health.check()
    return JsonResponse({"status": "ok" if ok else "degraded", **status}, status=200 if ok else 503)


def csrf_failure(request, reason=""):
    """A form sent with an expired session or a missing token.

    Nothing the person typed is lost: the page shows the text fields back (never passwords),
    ready to copy into the form again.
    """
    typed = {
        name: value
        for name, value in request.POST.items()
        if value.strip() and name != "csrfmiddlewaretoken" and "password" not in name and "token" not in name
    }
    return render(request, "portal/csrf_failure.html", {"typed": typed}, status=403)


@require_safe
@cache_anonymous_page
def search(request):
    query = clean_query(request.GET.get("q", ""))
    sections = search_everything(query, user=request.user) if query else []
    found = exact_results(sections)
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "sections": sections,
            "found": any(section.results for section in sections),
            "suggestion": did_you_mean(query, user=request.user, found=found) if query else None,
        },
    )
