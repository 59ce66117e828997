"""The thread or post a URL names, as the visitor may see it; one they may not see answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from community import access
from community.models import Post, Thread


def thread_or_404(request, pk) -> Thread:
    """The thread at `pk` if `request.user` may see it; a thread they may not see answers like a
    missing one (its title must not leak, not even through a redirect to its slug)."""
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
    if not access.can_see_thread(request.user, thread):
        raise Http404("No such thread")
    return thread


def visible_post_or_404(request, post_id, check) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=post_id)
    if not check(request.user, post):
        raise Http404("No such post")
    return post
