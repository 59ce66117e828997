from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from community import access
from community.models import Forum, Post

FEED_ITEMS = 20


@method_decorator(require_safe, name="__call__")
class ForumFeed(Feed):
    """The newest threads of a public forum, as Atom. Members-only forums have no feed."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        forum = get_object_or_404(Forum, slug=slug)
        if not forum.readable_by(AnonymousUser()):
            raise Http404("Members-only forums have no public feed")
        return forum

    def title(self, forum):
        return f"{forum.name} · PANDAS Parent Network"

    def subtitle(self, forum):
        return forum.description

    def link(self, forum):
        return forum.get_absolute_url()

    def items(self, forum):
        return (
            access.public_threads()
            .filter(forum=forum)
            .select_related("author")
            .prefetch_related(Prefetch("posts", queryset=Post.objects.filter(is_opening=True), to_attr="opening"))
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        return thread.opening[0].body_html if thread.opening else ""

    def item_author_name(self, thread):
        return thread.author.display_name

    def item_pubdate(self, thread):
        return thread.created_at

    def item_updateddate(self, thread):
        return thread.last_activity_at
