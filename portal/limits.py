"""One limiter for the writes a person can repeat (reactions, flags, reports, contact requests, mails).

Counts live in the cache (Redis in production) in fixed windows, one counter per (action, who,
window). Posts, threads and edits are counted from their own rows instead (moderation/policy.py).
If Redis is unreachable the counters read as empty and the limits lapse until it returns: a write
is never refused because the cache is down. The numbers are `settings.ACTION_LIMITS`, listed in the README.
"""

import contextlib
import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


class LimitReached(Exception):
    """One more `action` would break a limit. `message` says when the person may do it again."""

    def __init__(self, retry_at: datetime.datetime):
        self.retry_at = retry_at
        local = timezone.localtime(retry_at)
        when = f"{local:%H:%M} UTC" if local.date() == timezone.localdate() else f"{local:%H:%M} UTC on {local:%d %B}"
        self.message = f"You have done this as often as we allow for now. You can do this again at {when}."
        super().__init__(self.message)


def _keys(action: str, who: str) -> list[tuple[str, int, int]]:
    now = int(time.time())
    return [
        (f"limit:{action}:{who}:{seconds}:{now // seconds}", count, (now // seconds + 1) * seconds)
        for count, seconds in settings.ACTION_LIMITS[action]
    ]


def check(action: str, who) -> None:
    """Raise LimitReached if `who` (a member id, an address hash…) may not `action` once more now."""
    keys = _keys(action, str(who))
    counts = cache.get_many([key for key, _, _ in keys])
    full = [ends for key, count, ends in keys if counts.get(key, 0) >= count]
    if full:
        raise LimitReached(datetime.datetime.fromtimestamp(max(full), tz=datetime.UTC))


def consume(action: str, who) -> None:
    """Count one `action` by `who`, or raise LimitReached (and count nothing) if it would break a limit."""
    check(action, who)
    for key, _, ends in _keys(action, str(who)):
        cache.add(key, 0, timeout=ends - int(time.time()) + 60)
        with contextlib.suppress(ValueError):  # expired between add and incr, or the cache is unreachable
            cache.incr(key)


def allowed(action: str, who) -> bool:
    """Count one `action` by `who` if the limit allows it; False (nothing counted) when it does not."""
    try:
        consume(action, who)
    except LimitReached:
        return False
    return True
