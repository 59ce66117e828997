"""The thread or post a URL names, as the visitor may see it; one they may not see answers 404."""

from django.db.models import Exists, OuterRef, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from community import access
from community.models import Follow, Post, Thread


def thread_or_404(request, pk, *, with_following: bool = False) -> Thread:
    """The thread at `pk` if `request.user` may see it; a thread they may not see answers like a
    missing one (its title must not leak, not even through a redirect to its slug). With
    `with_following`, `thread.followed_by_reader` says whether the reader follows it (same query)."""
    found = Thread.objects.select_related("forum")
    if with_following:
        user = request.user
        follows = Follow.objects.filter(thread=OuterRef("pk"), user=user) if user.is_authenticated else None
        found = found.annotate(followed_by_reader=Exists(follows) if follows is not None else Value(False))
    thread = get_object_or_404(found, pk=pk)
    if not access.can_see_thread(request.user, thread):
        raise Http404("No such thread")
    return thread


def visible_post_or_404(request, post_id, check) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=post_id)
    if not check(request.user, post):
        raise Http404("No such post")
    return post
