from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from portal.hooks import app_hooks


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "about", "privacy", "community_rules"]

    def location(self, item):
        return reverse(item)


sitemaps = {"pages": PageSitemap}
# Each app may add its own in `<app>/sitemaps.py: sitemaps = {"name": SitemapClass}`.
for app_sitemaps in app_hooks("sitemaps", "sitemaps"):
    sitemaps.update(app_sitemaps)
