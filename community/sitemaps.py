from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from community import access


class ForumSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return access.forums(AnonymousUser())


class ThreadSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return access.public_threads().order_by("-last_activity_at", "-id")

    def lastmod(self, thread):
        return thread.last_activity_at


sitemaps = {"forums": ForumSitemap, "threads": ThreadSitemap}
