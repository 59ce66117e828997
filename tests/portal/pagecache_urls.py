from django.http import HttpResponse
from django.urls import path

from portal.pagecache import cache_anonymous_page
from portal.urls import urlpatterns as portal_urlpatterns


@cache_anonymous_page
def sets_a_cookie(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("tracking", "1")
    return response


@cache_anonymous_page
def not_found(request):
    return HttpResponse("gone", status=404)


urlpatterns = [path("cookie/", sets_a_cookie), path("missing/", not_found), *portal_urlpatterns]
