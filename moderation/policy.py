"""What the community asks moderation before a member writes: suspended? held? too fast?

Imports nothing from the community app, so community services can call it freely.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from moderation.models import Suspension, WatchedWord
from portal import outbox

_writing_system_content: ContextVar[bool] = ContextVar("writing_system_content", default=False)


@contextmanager
def system_content() -> Iterator[None]:
    """Content the portal writes itself (the demo seed, imports) is not a member posting: no
    pre-moderation holds and no rate limits inside this block. Suspensions still apply."""
    token = _writing_system_content.set(True)
    try:
        yield
    finally:
        _writing_system_content.reset(token)


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: timedelta


class RateLimited(Exception):
    """Too many posts too fast. `message` says, in the member's words, when they may post again."""

    def __init__(self, retry_at: datetime):
        self.retry_at = retry_at
        wait = max(1, int((retry_at - timezone.now()).total_seconds()))
        if wait < 120:
            when = f"in {wait} seconds"
        elif wait < 2 * 3600:
            when = f"in {wait // 60} minutes"
        else:
            when = f"after {timezone.localtime(retry_at):%H:%M} UTC on {timezone.localtime(retry_at):%d %B}"
        self.message = f"You are posting faster than our limits allow. You can post again {when}. Your text is kept."
        super().__init__(self.message)


def active_suspension(user) -> Suspension | None:
    if not user.is_authenticated:
        return None
    return Suspension.objects.active().filter(member=user).order_by("ends_at").last()


def is_suspended(user) -> bool:
    # A request's user comes with the answer (moderation/request_user.py): no query of its own.
    known = getattr(user, "moderation_suspended_now", None)
    if known is not None:
        return known
    return active_suspension(user) is not None


def _phrases_in(text: str, kind: str) -> list[str]:
    # Curly apostrophes as typed on phones (U+2019) count as straight ones.
    lowered = text.lower().replace("\u2019", "'")
    phrases = WatchedWord.objects.filter(kind=kind).values_list("phrase", flat=True)
    return [phrase for phrase in phrases if phrase.lower() in lowered]


def watched_words_in(text: str) -> list[str]:
    """The hold phrases in `text`: the post waits for a moderator."""
    return _phrases_in(text, WatchedWord.Kind.HOLD)


def crisis_phrases_in(text: str) -> list[str]:
    """The crisis phrases in `text`: the writer is shown help at once and moderators are told.
    Moderators' own posts are checked too: anyone can be in crisis."""
    return _phrases_in(text, WatchedWord.Kind.CRISIS)


def crisis_phrases() -> list[str]:
    """Every crisis phrase, for the compose pages' script that shows help while someone types."""
    return list(WatchedWord.objects.filter(kind=WatchedWord.Kind.CRISIS).values_list("phrase", flat=True))


def watched_words_reason(*, author, text: str) -> str:
    """Why an edited post should wait for a moderator again ("" = it stays as it is)."""
    if author.is_moderator or _writing_system_content.get():
        return ""
    words = watched_words_in(text)
    if words:
        return "Posts that mention " + ", ".join(f"“{w}”" for w in words) + " are checked by a moderator first."
    return ""


def edit_hold_reason(*, author, text: str, was_withheld: bool) -> str:
    """Why an edited post should wait for a moderator, or "" to publish the edit at once.

    A post a moderator once had to check (held or hidden) goes back to the queue like a new post:
    an approved first post must not be edited into a child's name. Any edit is checked for watched words.
    """
    if author.is_moderator or _writing_system_content.get():
        return ""
    if was_withheld:
        return "Edits to a post that a moderator has checked are checked again before they appear."
    return watched_words_reason(author=author, text=text)


def hold_reason(*, author, text: str, earlier_posts: int) -> str:
    """Why a new post should wait for a moderator, or "" to publish it at once.

    `earlier_posts` is how many posts the author wrote before this one.
    """
    if author.is_moderator or _writing_system_content.get():
        return ""
    if earlier_posts < settings.MODERATION_HOLD_FIRST_POSTS:
        return "New members' first posts are checked by a moderator before they appear."
    return watched_words_reason(author=author, text=text)


def check_rate_limit(*, author, action: str, recent: list[datetime]) -> None:
    """Raise RateLimited if one more `action` ("post", "thread" or "edit") would break the member's limits.

    `recent` is the times of the author's own recent posts, threads or edits; stricter limits
    apply in a member's first week.
    """
    if author.is_moderator or _writing_system_content.get():
        return
    new_member = timezone.now() - author.date_joined < timedelta(days=7)
    limits = settings.MODERATION_RATE_LIMITS["new_member" if new_member else "member"][action]
    now = timezone.now()
    for limit in (RateLimit(count, timedelta(seconds=seconds)) for count, seconds in limits):
        in_window = sorted(t for t in recent if t > now - limit.window)
        if len(in_window) >= limit.count:
            raise RateLimited(retry_at=in_window[-limit.count] + limit.window)


# --- What moderation tells people, as outbox rows written in the caller's transaction ----------------
# Here (not in moderation.services) so that community's services, below the moderation tools, write
# them too; moderation.emails builds the messages when they are sent (portal.outbox).

CRISIS_EMAIL = "moderation.crisis"
POST_DECISION_EMAIL = "moderation.post_decision"
MEMBER_DECISION_EMAIL = "moderation.member_decision"


def tell_moderators_about_crisis(*, flag_id: int) -> int:
    """One email per moderator about a crisis flag (none again for the same flag). How many rows."""
    # Only moderators who can act on it: the others have no moderator power until they set up two-factor.
    moderators = User.objects.with_two_factor().filter(is_active=True, groups__name=Role.MODERATOR.value).distinct()
    addresses = list(moderators.values_list("email", flat=True))
    outbox.enqueue_email(CRISIS_EMAIL, flag_id, addresses)
    return len(addresses)


def tell_author_about_post(post) -> None:
    """The author hears once that their post is held for a moderator, or hidden by one."""
    if post.visibility in (post.Visibility.HELD, post.Visibility.HIDDEN):
        outbox.enqueue_email(POST_DECISION_EMAIL, f"{post.pk}:{post.visibility}", [post.author.email])


def tell_member_about_decision(entry) -> None:
    """A warning, a suspension or its end (an audit-log `entry`), told to the member once."""
    outbox.enqueue_email(MEMBER_DECISION_EMAIL, entry.pk, [entry.member.email])
