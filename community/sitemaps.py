from django.contrib.sitemaps import Sitemap

from community.models import Forum, Thread


class ForumSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Forum.objects.filter(members_only=False)


class ThreadSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Thread.objects.filter(is_deleted=False, forum__members_only=False).order_by("-last_activity_at", "-id")

    def lastmod(self, thread):
        return thread.last_activity_at


sitemaps = {"forums": ForumSitemap, "threads": ThreadSitemap}
