"""Threads: starting one (with its opening post), and the moderators' thread tools: lock, pin,
move, rename, split and delete, each recorded in the audit log (the thread page shows them as events)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import User
from community import permissions
from community.access import require_moderator
from community.models import Follow, Forum, Post, Thread
from community.permissions import NotAllowed, require_can_post
from community.services.derived import index_for_search, refresh_thread, thread_deleted, thread_moved
from community.services.posts import add_post, require_readable

# The audit-log call sits below community in the layering (moderation.audit); moderation.services re-exports it.
from moderation.audit import record_action
from moderation.models import ModerationAction
from portal import pagetopics
from portal.pagecache import changes_public_pages

Action = ModerationAction.Action


@changes_public_pages(pages=pagetopics.of_thread)
@transaction.atomic
def create_thread(*, author: User, forum: Forum, title: str, body: str) -> Thread:
    """A new thread with its opening post (`thread.opening`); the author follows it."""
    require_can_post(author)
    require_readable(author, forum)
    permissions.check_pace(author, "thread")
    now = timezone.now()
    # Not public until its opening post is visible: refresh_thread (in add_post) makes it so and counts it.
    thread = Thread.objects.create(
        forum=forum, title=title.strip(), author=author, last_activity_at=now, opening_visible=False
    )
    thread.opening = add_post(author=author, thread=thread, body=body, is_opening=True)
    return thread


@changes_public_pages(pages=pagetopics.of_thread)
@transaction.atomic
def lock_thread(*, moderator: User, thread: Thread, locked: bool = True, reason: str = "") -> Thread:
    require_moderator(moderator)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    record_action(
        actor=moderator,
        action=Action.THREAD_LOCK if locked else Action.THREAD_UNLOCK,
        target=thread,
        member=thread.author,
        reason=reason,
    )
    return thread


@changes_public_pages(pages=pagetopics.of_thread)
@transaction.atomic
def pin_thread(*, moderator: User, thread: Thread, pinned: bool = True) -> Thread:
    require_moderator(moderator)
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    record_action(actor=moderator, action=Action.THREAD_PIN if pinned else Action.THREAD_UNPIN, target=thread)
    return thread


@changes_public_pages
@transaction.atomic
def move_thread(*, moderator: User, thread: Thread, forum: Forum, reason: str = "") -> Thread:
    require_moderator(moderator)
    old = thread.forum.name
    thread_moved(thread, forum)
    where = f"from {old} to {forum.name}"
    record_action(
        actor=moderator, action=Action.THREAD_MOVE, target=thread, reason=f"{where} — {reason}" if reason else where
    )
    return thread


@changes_public_pages(pages=pagetopics.of_thread)
@transaction.atomic
def rename_thread(*, moderator: User, thread: Thread, title: str, reason: str = "") -> Thread:
    require_moderator(moderator)
    # Recorded before the change, so the log keeps the old title as the target's description. The
    # thread's public event line shows only the reason: a rename may remove a child's name.
    record_action(actor=moderator, action=Action.THREAD_RENAME, target=thread, reason=reason)
    thread.title = title.strip()
    # The slug follows the title; old links redirect to the new slug. Only these two columns: a full
    # save would write back the derived state (public or not, forum) as this object last read it.
    thread.save(update_fields=["title", "slug"])
    opening = thread.posts.filter(is_opening=True).first()
    if opening:
        index_for_search(opening)
    return thread


@changes_public_pages(pages=pagetopics.of_split)
@transaction.atomic
def split_thread(*, moderator: User, thread: Thread, posts: list[Post], title: str, reason: str = "") -> Thread:
    """Move chosen replies into a new thread in the same forum; the earliest opens it."""
    require_moderator(moderator)
    posts = sorted(
        (p for p in posts if p.thread_id == thread.pk and not p.is_opening), key=lambda p: (p.created_at, p.pk)
    )
    if not posts:
        raise NotAllowed("Choose at least one reply to split off.")
    new = Thread.objects.create(
        forum=thread.forum, title=title.strip(), author=posts[0].author, last_activity_at=posts[-1].created_at,
        opening_visible=False,  # refresh_thread below makes it public (and counts it) once it has its opening post
    )  # fmt: skip
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(thread=new, is_opening=False)
    Post.objects.filter(pk=posts[0].pk).update(is_opening=True)
    Follow.objects.bulk_create(
        [Follow(thread=new, user_id=author_id) for author_id in {p.author_id for p in posts}], ignore_conflicts=True
    )
    for changed in (thread, new):
        refresh_thread(changed)
    index_for_search(Post.objects.get(pk=posts[0].pk))
    count = f"{len(posts)} {ngettext('reply', 'replies', len(posts))}"
    note = f" — {reason}" if reason else ""
    # The titles stay in the audit log (moderators only); the threads' event lines link each other.
    record_action(
        actor=moderator,
        action=Action.THREAD_SPLIT,
        target=thread,
        reason=f"{count} split off into “{new.title}”{note}",
        details={"thread": new.pk, "direction": "into"},
    )
    record_action(
        actor=moderator,
        action=Action.THREAD_SPLIT,
        target=new,
        reason=f"split from “{thread.title}”{note}",
        details={"thread": thread.pk, "direction": "from"},
    )
    return new


@changes_public_pages(pages=pagetopics.of_thread)
@transaction.atomic
def delete_thread(*, moderator: User, thread: Thread, reason: str = "") -> Thread:
    require_moderator(moderator)
    thread_deleted(thread)
    record_action(actor=moderator, action=Action.THREAD_DELETE, target=thread, member=thread.author, reason=reason)
    return thread
