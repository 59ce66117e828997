from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    """The floor: the least a page can cost here — a trivial view behind the same middleware."""
    return HttpResponse(b"<!DOCTYPE html><title>floor</title><p>ok</p>")


urlpatterns = [path("bench/floor/", floor), *portal_urlpatterns]
