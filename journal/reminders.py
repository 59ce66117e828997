"""The writes of daily check-in reminders: the member's setting, planning a day's reminders, sending them.

A reminder goes at the hour the member chose, in their time zone and language, only on a day when a
child they log for has no check-in yet. One Reminder per member and day (their day), and with it one
row of the email outbox (portal.outbox, kind "journal.reminder"): planning again creates nothing, and
the email is sent once, whatever runs twice. The message is built when it goes and holds nothing from
the journal; a child's check-in logged meanwhile makes it unnecessary and it is skipped.
"""

import datetime
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from journal.models import Caregiver, CheckIn, Reminder, ReminderSetting
from portal import outbox, suppression
from portal.emails import absolute_url, build_email, list_id

logger = logging.getLogger(__name__)

REMINDER_EMAIL = "journal.reminder"
# The time zones offered (IANA names); UTC first.
TIME_ZONES = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Stockholm",
    "Atlantic/Canary",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
]


def save_setting(*, user, enabled: bool, hour: int, time_zone: str, language: str) -> ReminderSetting:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to set a reminder.")
    if not 0 <= hour <= 23:
        raise ValidationError({"hour": "An hour from 0 to 23."})
    if time_zone not in TIME_ZONES:
        raise ValidationError({"time_zone": "Choose a time zone from the list."})
    if language not in ReminderSetting.Language.values:
        raise ValidationError({"language": "Choose a language from the list."})
    setting, _ = ReminderSetting.objects.update_or_create(
        user=user, defaults={"enabled": enabled, "hour": hour, "time_zone": time_zone, "language": language}
    )
    return setting


def _local_now(setting: ReminderSetting, now: datetime.datetime) -> datetime.datetime:
    try:
        return now.astimezone(ZoneInfo(setting.time_zone))
    except ZoneInfoNotFoundError:
        return now.astimezone(datetime.UTC)


def plan(*, now: datetime.datetime | None = None) -> int:
    """Create the reminders due this hour (once per member and day) with their outbox rows. How many rows wait."""
    now = now or timezone.now()
    due = {}
    for setting in ReminderSetting.objects.filter(enabled=True, user__is_active=True):
        local = _local_now(setting, now)
        if local.hour == setting.hour:
            due[setting.user_id] = local.date()
    children: dict[int, set[int]] = {}
    for user_id, child_id in Caregiver.objects.filter(
        user_id__in=list(due), role__in=[Caregiver.Role.OWNER, Caregiver.Role.CAN_LOG]
    ).values_list("user_id", "child_id"):
        children.setdefault(user_id, set()).add(child_id)
    logged = set(
        CheckIn.objects.filter(
            child_id__in={child for ids in children.values() for child in ids}, date__in=set(due.values())
        ).values_list("child_id", "date")
    )
    Reminder.objects.bulk_create(
        [
            Reminder(user_id=user_id, day=day)
            for user_id, day in due.items()
            if any((child_id, day) not in logged for child_id in children.get(user_id, ()))
        ],
        ignore_conflicts=True,
    )
    pending = Reminder.objects.filter(
        status=Reminder.Status.PENDING, created_at__gte=now - datetime.timedelta(hours=1)
    ).order_by("pk")
    return queue(reminder_ids=list(pending.values_list("pk", flat=True)))


@transaction.atomic
def queue(*, reminder_ids: list[int]) -> int:
    """One outbox row per pending reminder (the same row if it exists), published on commit. How many."""
    rows = 0
    for reminder in Reminder.objects.filter(pk__in=reminder_ids, status=Reminder.Status.PENDING).select_related(
        "user__journal_reminder"
    ):
        rows += len(outbox.enqueue_email(REMINDER_EMAIL, reminder.pk, [(reminder.user.email, _language(reminder))]))
    return rows


def reminder_email(*, reminder_id: int, to: str):
    """The outbox's builder: the day's reminder, or None when it is no longer needed. Marks the
    Reminder sent once the message went."""
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("user__journal_reminder")
        .filter(pk=reminder_id, status=Reminder.Status.PENDING)
        .first()
    )
    if reminder is None or not reminder.user.is_active or reminder.user.email != to:
        return None
    if suppression.is_suppressed(to):  # bounced or complained: never mailed again
        reminder.status = Reminder.Status.FAILED
        reminder.save(update_fields=["status"])
        return None
    if not reminder.user.journal_reminder.enabled or not _children_without_check_in(reminder):
        return None
    message = _message(reminder)

    def after_sent():
        reminder.status, reminder.sent_at, reminder.attempts = Reminder.Status.SENT, timezone.now(), 1
        reminder.save(update_fields=["attempts", "status", "sent_at"])

    message.after_sent = after_sent
    return message


def _children_without_check_in(reminder: Reminder) -> bool:
    children = Caregiver.objects.filter(
        user_id=reminder.user_id, role__in=[Caregiver.Role.OWNER, Caregiver.Role.CAN_LOG]
    ).values_list("child_id", flat=True)
    logged = CheckIn.objects.filter(child_id__in=children, date=reminder.day).values_list("child_id", flat=True)
    return bool(set(children) - set(logged))


def _language(reminder: Reminder) -> str:
    language = reminder.user.journal_reminder.language
    return language if language in ReminderSetting.Language.values else "en"


def _message(reminder: Reminder):
    language = _language(reminder)
    settings_url = absolute_url(reverse("journal:reminders"))
    with translation.override(language):
        subject = {"en": "Time for today's check-in", "es": "Es hora del registro de hoy"}[language]
        return build_email(
            to=reminder.user.email,
            # Nothing from the journal: no child, no rating, only the link.
            subject=f"[PANDAS Parent Network] {subject}",
            template=f"journal/email/{language}/reminder",
            context={
                "user": reminder.user,
                "journal_url": absolute_url(reverse("journal:home")),
                "settings_url": settings_url,
            },
            headers={"List-Id": list_id("reminders.journal"), "List-Unsubscribe": f"<{settings_url}>"},
        )
