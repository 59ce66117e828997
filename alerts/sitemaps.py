from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from alerts.models import School


class AlertsPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["alerts:index", "alerts:subscribe"]

    def location(self, item):
        return reverse(item)


class SchoolSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return School.objects.order_by("pk").only("slug")


sitemaps = {"alerts": AlertsPagesSitemap, "schools": SchoolSitemap}
