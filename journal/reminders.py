"""The writes of daily check-in reminders: the member's setting, planning a day's reminders, sending them.

A reminder goes at the hour the member chose, in their time zone and language, only on a day when a
child they log for has no check-in yet. One row per member and day (their day) is the outbox: planning
again within the hour creates nothing, and a row is sent once, whatever runs twice.
"""

import datetime
import logging
import smtplib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from journal.models import Caregiver, CheckIn, Reminder, ReminderSetting
from portal import suppression
from portal.emails import absolute_url, build_email, list_id

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 3
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


def plan(*, now: datetime.datetime | None = None) -> list[list[int]]:
    """Create the reminders due this hour (once per member and day) and return the pending ones in batches."""
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
    ids = list(pending.values_list("pk", flat=True))
    return [ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]


def send(*, reminder_ids: list[int]) -> int:
    """Send a batch; each row is claimed while pending (SKIP LOCKED), so nothing goes twice. Returns how many went."""
    sent = 0
    for reminder_id in reminder_ids:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user__journal_reminder")
                .filter(pk=reminder_id, status=Reminder.Status.PENDING)
                .first()
            )
            if reminder is None:
                continue
            reminder.attempts += 1
            if suppression.is_suppressed(reminder.user.email):  # bounced or complained: never mailed again
                reminder.status = Reminder.Status.FAILED
                reminder.save(update_fields=["attempts", "status"])
                continue
            try:
                _message(reminder).send()
            except (smtplib.SMTPException, OSError) as error:
                # Tried again by the next plan within the hour; given up after a few attempts.
                logger.info("journal reminder %s not sent (%s)", reminder.pk, type(error).__name__)
                if reminder.attempts >= MAX_ATTEMPTS:
                    reminder.status = Reminder.Status.FAILED
            else:
                reminder.status, reminder.sent_at = Reminder.Status.SENT, timezone.now()
                sent += 1
            reminder.save(update_fields=["attempts", "status", "sent_at"])
    return sent


def _message(reminder: Reminder):
    setting = reminder.user.journal_reminder
    language = setting.language if setting.language in ReminderSetting.Language.values else "en"
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
