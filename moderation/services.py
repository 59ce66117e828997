"""Every moderation write: flags, decisions on posts, warnings, suspensions and bans.

Permissions are checked here, not only in views. Each decision writes the audit log (through the
community services it calls, or `record_action` directly) in the same transaction, and emails the
member concerned on commit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.authority import require_moderator
from accounts.models import User
from accounts.services import end_sessions
from community import services as community_services
from community.models import Post
from community.permissions import NotAllowed
from moderation import access, policy
from moderation.audit import record_action
from moderation.models import Flag, ModerationAction, Suspension, WatchedWord
from moderation.policy import is_suspended
from portal import limits, suppression
from portal.pagecache import changes_public_pages

Action = ModerationAction.Action
AUTO_HIDE_REASON = "Hidden after several members flagged it, until a moderator reviews it."

__all__ = ["record_action"]  # the audit-log call, also reachable from here


# --- Flags ------------------------------------------------------------------------------------


@transaction.atomic
def flag_post(*, flagger: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member asks moderators to look at a post. The author is never told who flagged.

    Enough flags from different members hide the post at once, pending review; a crisis flag
    emails every moderator immediately.
    """
    if not flagger.is_authenticated or is_suspended(flagger):
        raise NotAllowed("Suspended members cannot flag posts.")
    if post.author_id == flagger.pk:
        raise NotAllowed("You cannot flag your own post.")
    if reason == Flag.Reason.OTHER and not note.strip():
        raise NotAllowed("Please say what is wrong with this post.")
    try:
        limits.consume("flag", flagger.pk)
    except limits.LimitReached as limit:
        raise NotAllowed(f"{limit.message} Your note is kept.") from None
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagger=flagger, reason=reason, note=note.strip())
    except IntegrityError:
        raise NotAllowed("You have already flagged this post. The moderators will look at it.") from None

    flaggers = Flag.objects.open().filter(post=post).values("flagger").distinct().count()
    if post.is_visible and flaggers >= settings.MODERATION_AUTO_HIDE_FLAGS:
        community_services.hide_post(moderator=None, post=post, reason=AUTO_HIDE_REASON)
    # One crisis email per member an hour reaches the moderators; later crisis flags wait, first, in the queue.
    if reason == Flag.Reason.CRISIS and limits.allowed("crisis_email", flagger.pk):
        send_crisis_alert(flag_id=flag.pk)
    return flag


def _resolve_flags(*, moderator: User, post: Post) -> int:
    return Flag.objects.open().filter(post=post).update(resolved_at=timezone.now(), resolved_by=moderator)


# --- Decisions on a post ----------------------------------------------------------------------


@transaction.atomic
def approve(*, moderator: User, post: Post, reason: str = "") -> Post:
    """The post is fine: a held post goes live, a hidden one comes back, flags are closed."""
    require_moderator(moderator)
    if post.visibility == Post.Visibility.HELD:
        community_services.approve_post(moderator=moderator, post=post)
    elif post.visibility == Post.Visibility.HIDDEN:
        community_services.restore_post(moderator=moderator, post=post, reason=reason)
    if _resolve_flags(moderator=moderator, post=post) and post.is_visible:
        record_action(actor=moderator, action=Action.FLAG_DISMISS, target=post, member=post.author, reason=reason)
    return post


@transaction.atomic
def hide(*, moderator: User, post: Post, reason: str) -> Post:
    """Hide the post; its author sees why on the post and gets one email."""
    require_moderator(moderator)
    if not reason.strip():
        raise NotAllowed("Say why the post is hidden: its author will read it.")
    community_services.hide_post(moderator=moderator, post=post, reason=reason.strip())
    _resolve_flags(moderator=moderator, post=post)
    send_post_decision(post_id=post.pk)
    return post


@transaction.atomic
def delete(*, moderator: User, post: Post, reason: str = "") -> Post:
    require_moderator(moderator)
    community_services.delete_post(actor=moderator, post=post, reason=reason)
    _resolve_flags(moderator=moderator, post=post)
    return post


# --- Members ----------------------------------------------------------------------------------


def require_power_over(moderator: User, member: User) -> None:
    """A moderator acting on a member's account, who may (moderation.access decides)."""
    require_moderator(moderator)
    if refusal := access.refusal_to_act_on(moderator, member):
        raise NotAllowed(refusal)


@transaction.atomic
def warn(*, moderator: User, member: User, reason: str, post: Post | None = None) -> None:
    """Warn a member. Decided on a flagged `post`, it also closes that post's flags (the queue item)."""
    require_power_over(moderator, member)
    if not reason.strip():
        raise NotAllowed("Say what the warning is about: the member will read it.")
    entry = record_action(actor=moderator, action=Action.MEMBER_WARN, target=member, member=member, reason=reason)
    if post is not None:
        _resolve_flags(moderator=moderator, post=post)
    send_member_decision(action_id=entry.pk)


@transaction.atomic
def suspend(*, moderator: User, member: User, days: int, reason: str, post: Post | None = None) -> Suspension:
    """The member can read but not post, react, flag or report until the suspension ends by itself.
    Decided on a flagged `post`, it also closes that post's flags (the queue item)."""
    require_power_over(moderator, member)
    if days < 1:
        raise NotAllowed("A suspension lasts at least one day.")
    if not reason.strip():
        raise NotAllowed("Say why the member is suspended: they will read it.")
    suspension = Suspension.objects.create(
        member=member, reason=reason.strip(), ends_at=timezone.now() + timedelta(days=days), created_by=moderator
    )
    entry = record_action(
        actor=moderator, action=Action.MEMBER_SUSPEND, target=member, member=member, reason=f"{days} days: {reason}"
    )
    if post is not None:
        _resolve_flags(moderator=moderator, post=post)
    transaction.on_commit(lambda: end_sessions(user=member))
    send_member_decision(action_id=entry.pk)
    return suspension


@changes_public_pages
@transaction.atomic
def ban_and_delete_posts(*, moderator: User, member: User, reason: str) -> int:
    """For spam: every post of the member disappears in one step and they can never post again."""
    require_power_over(moderator, member)
    deleted = community_services.delete_all_posts(moderator=moderator, member=member, reason="Removed as spam.")
    Flag.objects.open().filter(post__author=member).update(resolved_at=timezone.now(), resolved_by=moderator)
    Suspension.objects.create(member=member, reason=reason.strip() or "Spam.", ends_at=None, created_by=moderator)
    record_action(
        actor=moderator,
        action=Action.MEMBER_BAN,
        target=member,
        member=member,
        reason=f"{reason.strip() or 'Spam.'} ({deleted} posts deleted)",
    )
    transaction.on_commit(lambda: end_sessions(user=member))
    return deleted


@transaction.atomic
def lift_suspension(*, moderator: User, member: User, reason: str = "") -> int:
    """End the member's current suspension (or ban) now; they are told by email. Returns how many
    suspensions were running (two can overlap: all of them end)."""
    require_power_over(moderator, member)
    lifted = Suspension.objects.active().filter(member=member).update(lifted_at=timezone.now())
    if not lifted:
        raise NotAllowed(f"{member.display_name} is not suspended.")
    entry = record_action(
        actor=moderator, action=Action.MEMBER_UNSUSPEND, target=member, member=member, reason=reason.strip()
    )
    send_member_decision(action_id=entry.pk)
    return lifted


# --- Watched words ----------------------------------------------------------------------------


def add_watched_word(*, moderator: User, phrase: str, kind: str = WatchedWord.Kind.HOLD) -> WatchedWord:
    """Watch a phrase (again): a phrase watched already takes the new kind."""
    require_moderator(moderator)
    word, _ = WatchedWord.objects.update_or_create(
        phrase=phrase.strip().lower(),
        defaults={"kind": WatchedWord.Kind(kind)},
        create_defaults={"kind": WatchedWord.Kind(kind), "created_by": moderator},
    )
    return word


def remove_watched_word(*, moderator: User, word: WatchedWord) -> None:
    require_moderator(moderator)
    word.delete()


# --- Telling people (run by moderation.tasks) ---------------------------------------------------


def send_crisis_alert(*, flag_id: int) -> int:
    """Email every moderator about a crisis flag (outbox rows). Returns how many rows were written."""
    return policy.tell_moderators_about_crisis(flag_id=flag_id)


def send_post_decision(*, post_id: int) -> None:
    policy.tell_author_about_post(Post.objects.select_related("author").get(pk=post_id))


def send_member_decision(*, action_id: int) -> None:
    policy.tell_member_about_decision(ModerationAction.objects.select_related("member").get(pk=action_id))


# --- The email suppression list (portal.suppression) --------------------------------------------------


@transaction.atomic
def lift_suppression(*, moderator: User, email: str, reason: str):
    """Mail `email` again, on its owner's request: the row lifted, or None when it was not suppressed.
    The audit log keeps why it had been suppressed and when, never the address."""
    require_moderator(moderator)
    lifted = suppression.lift(email)
    if lifted is not None:
        record_action(
            actor=moderator,
            action=Action.SUPPRESSION_LIFT,
            reason=reason,
            details={
                "suppressed_for": lifted.reason,
                "provider": lifted.provider,
                "suppressed_at": lifted.created_at.isoformat(),
            },
        )
    return lifted
