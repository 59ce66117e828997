"""A member's moderation data: flags they raised, and the decisions moderators made about them.

The export never says who flagged the member or which moderator decided: it says what was
decided and why. Erasure removes the notes the member wrote on flags; the audit log is
append-only and keeps pointing at the member's id, shown as "Former member N" from then on.
"""

from django.utils import timezone

from accounts.models import User
from moderation.models import Flag, ModerationAction, Suspension

COVERS = {
    "moderation.Flag": "flags the member raised exported with their notes; the notes erased",
    "moderation.ModerationAction": "decisions about the member exported (never who flagged or decided); "
    "append-only, so it keeps the member's id and shows “Former member N”",
    "moderation.Suspension": "exported with the reason; kept as the record of a decision",
    "moderation.WatchedWord": "phrases set by moderators; not about a member",
}


def _time(value):
    return value.isoformat() if value else None


def export(user: User) -> dict:
    decisions = ModerationAction.objects.filter(member=user).order_by("created_at", "id")
    return {
        "moderation": {
            "flags_raised": [
                {
                    "post_id": flag.post_id,
                    "reason": flag.get_reason_display(),
                    "note": flag.note,
                    "created_at": _time(flag.created_at),
                    "resolved_at": _time(flag.resolved_at),
                }
                for flag in Flag.objects.filter(flagger=user).order_by("created_at", "id")
            ],
            "decisions_about_you": [
                {
                    "decision": entry.get_action_display(),
                    "about": entry.target_description,
                    "reason": entry.reason,
                    "at": _time(entry.created_at),
                }
                for entry in decisions
            ],
            "suspensions": [
                {
                    "reason": suspension.reason,
                    "starts_at": _time(suspension.starts_at),
                    "ends_at": _time(suspension.ends_at),
                    "permanent": suspension.is_ban,
                    "lifted_at": _time(suspension.lifted_at),
                }
                for suspension in Suspension.objects.filter(member=user).order_by("starts_at", "id")
            ],
        }
    }


def erase(user: User, *, delete_posts: bool) -> None:
    # The flag itself stays (moderators act on it); the member's own words on it go.
    Flag.objects.filter(flagger=user).exclude(note="").update(note="")
    if delete_posts:
        # Their posts are going: nothing is left for a moderator to look at (resolved by the system).
        Flag.objects.open().filter(post__author=user).update(resolved_at=timezone.now())
