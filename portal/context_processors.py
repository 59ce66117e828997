from django.conf import settings


def site(request):
    """Values every page template may use."""
    return {
        "site_name": "PANDAS Parent Network",
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
        "crisis_resources": crisis_resources,
        "crisis_directory_url": settings.CRISIS_DIRECTORY_URL,
        "canonical_url": canonical_url(request),
    }


def canonical_url(request) -> str:
    """The page's address without its query, except the page number of a list (a view may set its own)."""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page not in ("0", "1") else ""
    return settings.SITE_URL + request.path + query


def crisis_resources() -> list[dict]:
    """The crisis lines per country, the configured country first (called only by templates that show them)."""
    countries = settings.CRISIS_RESOURCES
    first = settings.CRISIS_COUNTRY if settings.CRISIS_COUNTRY in countries else None
    ordered = ([first] if first else []) + [code for code in countries if code != first]
    return [countries[code] for code in ordered]
