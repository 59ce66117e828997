"""Whether a member may write at all, how fast, and whether it waits for a moderator: the
community's posting policy, asking moderation's rules (suspensions, limits, pre-moderation).
Who may see or act on a given thread or post is decided in community.access."""

from datetime import timedelta

from django.utils import timezone

# A refusal with its reason in the member's words; defined in accounts, beside the moderator check.
from accounts.authority import NotAllowed as NotAllowed
from community.models import PostRevision
from moderation import policy


def can_post(user) -> bool:
    """May this person write at all (threads, replies, stories, reactions)? Suspended members may not."""
    return bool(user.is_authenticated and user.is_active and not policy.is_suspended(user))


def suspension_message(suspension) -> str:
    if suspension.is_ban:
        return f"Your account can no longer post. Reason: {suspension.reason}"
    until = f"{timezone.localtime(suspension.ends_at):%d %B %Y, %H:%M} UTC"
    return f"Your account is suspended until {until}: you can read but not post. Reason: {suspension.reason}"


def require_can_post(user) -> None:
    if not user.is_authenticated:
        raise NotAllowed("Please log in to post.")
    if not user.is_active:
        raise NotAllowed("Your account cannot post.")
    suspension = policy.active_suspension(user)
    if suspension:
        raise NotAllowed(suspension_message(suspension))


def check_pace(user, action: str) -> None:
    """Raise NotAllowed (with when to try again) if `user` is writing too fast; `action` is "thread",
    "post" or "edit". The limits are moderation's (settings.MODERATION_RATE_LIMITS); the compose forms
    keep the text."""
    written = {
        "thread": user.threads,
        "post": user.community_posts,
        "edit": PostRevision.objects.filter(editor=user),
    }[action]
    recent = list(
        written.filter(created_at__gte=timezone.now() - timedelta(days=1)).values_list("created_at", flat=True)
    )
    try:
        policy.check_rate_limit(author=user, action=action, recent=recent)
    except policy.RateLimited as limited:
        raise NotAllowed(limited.message) from None


def hold_reason(user, text: str) -> str:
    """Why a new post should wait for a moderator before it appears ("" = publish now): a new
    member's first posts and posts with watched words (moderation's rules)."""
    return policy.hold_reason(author=user, text=text, earlier_posts=user.community_posts.count())


def edit_hold_reason(user, post, text: str) -> str:
    """Why an edited post should wait for a moderator again: a post a moderator once checked goes back
    to the queue; no edit may slip in watched words."""
    return policy.edit_hold_reason(author=user, text=text, was_withheld=post.was_withheld)
