"""Reactions to a post ("helpful", "thinking of you"): one toggle, with the post's stored counts."""

from django.db import transaction
from django.db.models import F

from accounts.models import User
from community import access
from community.models import Post, Reaction
from community.permissions import NotAllowed, require_can_post
from portal import limits, pagetopics
from portal.pagecache import changes_public_pages

# The post's stored count of each kind of reaction, kept right by toggle_reaction.
COUNTER = {Reaction.Kind.HELPFUL: "helpful_count", Reaction.Kind.THINKING_OF_YOU: "thinking_count"}


@changes_public_pages(pages=pagetopics.of_reaction)
@transaction.atomic
def toggle_reaction(*, user: User, post: Post, kind: str) -> tuple[bool, int]:
    """Add the reaction, or take it back if it was there. Returns (now reacted, new count)."""
    require_can_post(user)
    kind = Reaction.Kind(kind)
    post = Post.objects.select_for_update().select_related("thread__forum").get(pk=post.pk)
    if not access.can_react(user, post):
        raise NotAllowed("You can only react to posts you can see.")
    try:
        limits.consume("reaction", user.pk)
    except limits.LimitReached as limit:
        raise NotAllowed(limit.message) from None
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=user, kind=kind)
    counter = COUNTER[kind]
    Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + (-1 if deleted else 1)})
    post.refresh_from_db(fields=[counter])
    return not deleted, getattr(post, counter)
