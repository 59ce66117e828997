from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from articles.models import Article

FEED_SIZE = 20


@method_decorator(require_safe, name="__call__")
class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "PANDAS Parent Network: articles"
    subtitle = "Medically reviewed, cited articles about PANDAS/PANS for families, schools and clinicians."
    link = reverse_lazy("articles:list")
    feed_url = reverse_lazy("articles:feed")
    author_name = "PANDAS Parent Network"

    def items(self):
        return Article.objects.published().for_list().select_related("author").newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are type="html": escape so a reader shows the summary as text, never as markup.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name

    def item_categories(self, item):
        return [item.category.name]

    def item_guid(self, item):
        return settings.SITE_URL + item.get_absolute_url()
