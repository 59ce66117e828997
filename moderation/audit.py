from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User
from moderation.models import ModerationAction


def record_action(
    *,
    actor: User | None,
    action: ModerationAction.Action,
    target: models.Model | None = None,
    member: User | None = None,
    reason: str = "",
    details: dict | None = None,
) -> ModerationAction:
    """The one audit-log call. Every moderation state change, in any app, writes one entry.

    Call it inside the transaction of the change it records, so both happen or neither.
    `actor` is None for what the system did by itself (e.g. three flags hid a post).
    """
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        member=member,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_description=_describe(target),
        reason=reason,
        details=details or {},
    )


def _describe(target: models.Model | None) -> str:
    if target is None:
        return ""
    # A member is described by id, never by display name: the log is append-only and must not keep
    # the name of a member who deletes their account (their `member` link shows "Former member N").
    if isinstance(target, User):
        return f"member #{target.pk}"
    return str(target)[:300]
