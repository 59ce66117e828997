"""Who sees a post: moderators (or the rules, as `moderator=None`) hide, hold, approve and restore
posts, or delete every post of a member at once. Each change recounts the thread; a post that
becomes visible for the first time tells the thread's followers."""

from django.db import transaction

from accounts.models import User
from community.access import require_moderator
from community.models import Post, Thread
from community.services.derived import refresh_thread
from community.services.notifications import notify_followers

# The audit-log call sits below community in the layering (moderation.audit); moderation.services re-exports it.
from moderation.audit import record_action
from moderation.models import ModerationAction
from portal import pagetopics
from portal.pagecache import changes_public_pages

Action = ModerationAction.Action


def set_visibility(post: Post, visibility: str, reason: str = "") -> None:
    """The one way a single post's visibility changes (call it inside a transaction)."""
    # Lock the thread as a reply does, so concurrent changes recount one after the other.
    Thread.objects.select_for_update().filter(pk=post.thread_id).values_list("pk").first()
    was_visible = post.is_visible
    post.visibility, post.hidden_reason = visibility, reason
    post.was_withheld = post.was_withheld or visibility in (Post.Visibility.HELD, Post.Visibility.HIDDEN)
    post.save(update_fields=["visibility", "hidden_reason", "was_withheld"])
    refresh_thread(post.thread)
    if post.is_visible and not was_visible:
        notify_followers(post)


@changes_public_pages
@transaction.atomic
def delete_all_posts(*, moderator: User, member: User, reason: str) -> int:
    """Every post of `member` becomes a tombstone at once (a ban for spam); their threads are
    recounted, so a thread whose opening post goes stops being public. Returns how many went."""
    require_moderator(moderator)
    posts = Post.objects.filter(author=member).exclude(visibility=Post.Visibility.DELETED)
    thread_ids = set(posts.values_list("thread_id", flat=True))
    deleted = posts.update(visibility=Post.Visibility.DELETED, hidden_reason=reason)
    for thread in Thread.objects.filter(pk__in=thread_ids):
        refresh_thread(thread)
    return deleted


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def hide_post(*, moderator: User | None, post: Post, reason: str) -> Post:
    """Hide a post with a reason. `moderator` None means the system did it (e.g. flags)."""
    if moderator is not None:
        require_moderator(moderator)
    set_visibility(post, Post.Visibility.HIDDEN, reason)
    record_action(actor=moderator, action=Action.POST_HIDE, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def hold_post(*, moderator: User | None, post: Post, reason: str = "") -> Post:
    """Hold a post for review: only its author and moderators see it until approved."""
    if moderator is not None:
        require_moderator(moderator)
    set_visibility(post, Post.Visibility.HELD, reason)
    record_action(actor=moderator, action=Action.POST_HOLD, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """A held post goes live; its thread's followers are notified now."""
    require_moderator(moderator)
    set_visibility(post, Post.Visibility.VISIBLE)
    record_action(actor=moderator, action=Action.POST_APPROVE, target=post, member=post.author)
    return post


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def restore_post(*, moderator: User, post: Post, reason: str = "") -> Post:
    """Undo a hide or a deletion."""
    require_moderator(moderator)
    set_visibility(post, Post.Visibility.VISIBLE)
    record_action(actor=moderator, action=Action.POST_RESTORE, target=post, member=post.author, reason=reason)
    return post
