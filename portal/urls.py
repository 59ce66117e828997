from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from moderation import views as moderation_views
from portal import views
from portal.pagecache import cache_anonymous_page
from portal.sitemaps import sitemaps

# The admin's login is allauth's: the same rate limits, email verification and two-factor check.
admin.site.login = secure_admin_login(admin.site.login)


def static_page(template_name):
    return require_safe(cache_anonymous_page(TemplateView.as_view(template_name=template_name), timeout=3600))


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("about/", static_page("pages/about.html"), name="about"),
    path("privacy/", static_page("pages/privacy.html"), name="privacy"),
    path("community-rules/", moderation_views.community_rules, name="community_rules"),
    path("help/", static_page("pages/help_now.html"), name="help_now"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", require_safe(cache_anonymous_page(sitemap)), {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "robots.txt",
        require_safe(TemplateView.as_view(template_name="portal/robots.txt", content_type="text/plain")),
        name="robots",
    ),
    path("articles/", include("articles.urls")),
    path("community/", include("community.urls")),
    path("moderation/", include("moderation.urls")),
    path("alerts/", include("alerts.urls")),
    path("journal/", include("journal.urls")),
    path("accounts/", include("accounts.urls")),
    path("email/", include("portal.webhooks")),  # the email provider's webhooks (anymail)
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
