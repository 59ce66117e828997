from django.conf import settings


def site(request):
    """Values every page template may use."""
    return {"site_name": "PANDAS Parent Network", "site_url": settings.SITE_URL}
