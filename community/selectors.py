"""Reads of the thread page that are more than a queryset chain."""

from django.db.models import Q

from community.models import Post, Reaction
from moderation.models import ModerationAction


def page_of_post(posts, post_id: str, per_page: int) -> int | None:
    """The page of `posts` (a thread's, oldest first) on which post `post_id` is, or None."""
    try:
        target = posts.filter(pk=int(post_id)).values("created_at", "id").first()
    except (TypeError, ValueError):
        return None
    if target is None:
        return None
    before = posts.filter(
        Q(created_at__lt=target["created_at"]) | Q(created_at=target["created_at"], id__lt=target["id"])
    ).count()
    return before // per_page + 1


def with_my_reactions(user, posts: list[Post]) -> list[Post]:
    """Mark each post with the member's own reactions (`post.my_helpful`, `post.my_thinking`), in one query."""
    mine = set()
    if user.is_authenticated and posts:
        mine = set(
            Reaction.objects.filter(user=user, post__in=[post.pk for post in posts]).values_list("post_id", "kind")
        )
    for post in posts:
        post.my_helpful = (post.pk, Reaction.Kind.HELPFUL) in mine
        post.my_thinking = (post.pk, Reaction.Kind.THINKING_OF_YOU) in mine
    return posts


def quote_text(post_id: str | None, *, thread, user) -> str:
    """A quoted post as Markdown, with attribution, to start a reply with."""
    if not post_id or not str(post_id).isdigit():
        return ""
    post = Post.objects.visible_to(user).filter(thread=thread, pk=int(post_id)).select_related("author").first()
    if post is None:
        return ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"> **{post.author.display_name}** wrote:\n>\n{quoted}\n\n"


THREAD_EVENTS = [
    ModerationAction.Action.THREAD_LOCK,
    ModerationAction.Action.THREAD_UNLOCK,
    ModerationAction.Action.THREAD_PIN,
    ModerationAction.Action.THREAD_UNPIN,
    ModerationAction.Action.THREAD_MOVE,
    ModerationAction.Action.THREAD_RENAME,
    ModerationAction.Action.THREAD_SPLIT,
]


def place_thread_events(thread, posts: list, *, first_page: bool, last_page: bool) -> list:
    """Moderators' thread changes as event lines between the posts they came between (one query).

    Each post on the page gets `events_before`; events after the last post of the last page are
    returned. An event older than a later page's first post belongs to an earlier page.
    """
    events = ModerationAction.objects.filter(
        target_type__app_label="community", target_type__model="thread", target_id=str(thread.pk),
        action__in=THREAD_EVENTS,
    ).order_by("created_at", "id")  # fmt: skip
    for post in posts:
        post.events_before = []
    trailing = []
    for event in events:
        following = next((post for post in posts if post.created_at > event.created_at), None)
        if following is None:
            if last_page:
                trailing.append(event)
        elif following is not posts[0] or first_page:
            following.events_before.append(event)
    return trailing
