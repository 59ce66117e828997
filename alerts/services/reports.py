"""Exposure reports: checked, submitted, approved or rejected by a moderator (or published at once
for a verified contact), folded into their week's alert, and told to the school's contacts."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from accounts.authority import require_moderator
from accounts.models import User
from alerts import emails
from alerts.models import MAX_WINDOW_DAYS, Alert, ExposureReport, Kind, School, SchoolContact, Scope
from moderation.audit import record_action
from moderation.models import ModerationAction
from moderation.policy import is_suspended
from portal import limits, outbox
from portal.pagecache import changes_public_pages


class InvalidReportState(Exception):
    """The report was already approved or rejected."""


def validate_report(*, school: School, scope: str, scope_label: str, window_start, window_end) -> None:
    """The rules a report must meet, checked here as well as in the form (services are the door)."""
    errors = {}
    today = timezone.localdate()
    if window_start > today:
        errors["window_start"] = "The exposure cannot start in the future."
    if window_end > today:
        errors["window_end"] = "The exposure cannot end in the future."
    if window_end < window_start:
        errors["window_end"] = "The last day must be on or after the first day."
    elif (window_end - window_start).days + 1 > MAX_WINDOW_DAYS:
        errors["window_end"] = f"An exposure window is at most {MAX_WINDOW_DAYS} days. Report each period separately."
    if scope == Scope.CLASSROOM and not school.allow_classroom_scope:
        errors["scope"] = "This school has not allowed classroom-level alerts: choose the grade or the whole school."
    if scope in (Scope.GRADE, Scope.CLASSROOM) and not scope_label:
        errors["scope_label"] = "Say which grade or classroom."
    elif scope == Scope.CLASSROOM and school.allow_classroom_scope and _school_classroom(school, scope_label) is None:
        # The label is emailed to a whole school: only one the school itself keeps, never free text.
        errors["scope_label"] = (
            f"Choose one of the school's classrooms: {', '.join(school.classrooms)}."
            if school.classrooms
            else "This school has not listed its classrooms yet: choose the grade or the whole school."
        )
    if errors:
        raise ValidationError(errors)


def _school_classroom(school: School, label: str) -> str | None:
    """`label` as the school spells it, if it is one of the school's classrooms."""
    return next((room for room in school.classrooms if room.casefold() == label.strip().casefold()), None)


def submit_report(
    *,
    reporter: User,
    school: School,
    kind: str,
    window_start: datetime.date,
    window_end: datetime.date,
    scope: str = Scope.SCHOOL,
    scope_label: str = "",
    note_to_moderators: str = "",
) -> ExposureReport:
    """A member's report waits for a moderator; a verified contact's report is published at once."""
    if not reporter.is_authenticated or not reporter.is_active:
        raise PermissionDenied("Log in to report an exposure.")
    if is_suspended(reporter):
        raise PermissionDenied("Your account is suspended, so it cannot report exposures for now.")
    # Whitespace is no label: "   " must fail "say which grade or classroom", not be saved empty.
    scope_label = "" if scope == Scope.SCHOOL else scope_label.strip()
    validate_report(
        school=school, scope=scope, scope_label=scope_label, window_start=window_start, window_end=window_end
    )
    if scope == Scope.CLASSROOM:
        scope_label = _school_classroom(school, scope_label)
    limits.consume("exposure_report", reporter.pk)
    verified = SchoolContact.objects.is_verified(user=reporter, school=school)
    with transaction.atomic():
        report = ExposureReport.objects.create(
            school=school,
            scope=scope,
            scope_label=scope_label,
            kind=kind,
            window_start=window_start,
            window_end=window_end,
            note_to_moderators=note_to_moderators,
            reporter=reporter,
            by_verified_contact=verified,
        )
        if verified:
            _publish_report(report, reviewer=None)
            record_action(
                actor=None,
                action=ModerationAction.Action.REPORT_APPROVE,
                target=report,
                member=reporter,
                reason="Published at once: the reporter is a verified contact of the school.",
            )
        # The notices are outbox rows of this transaction: a broker outage now loses none.
        notify_contacts(report_id=report.pk)
    return report


@contextmanager
def _deciding(report: ExposureReport, *, moderator: User, doing: str) -> Iterator[ExposureReport]:
    """The guard of every decision on a report: a moderator only, and only while the report waits.

    Yields the report locked in the decision's transaction; a report decided meanwhile (in the
    queue, the admin or another tab) raises InvalidReportState.
    """
    require_moderator(moderator, doing)
    with transaction.atomic():
        report = ExposureReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ExposureReport.Status.PENDING:
            raise InvalidReportState(f"This report was already {report.get_status_display()}.")
        yield report


def approve_report(*, report: ExposureReport, moderator: User) -> Alert:
    with _deciding(report, moderator=moderator, doing="approve exposure reports") as report:
        alert = _publish_report(report, reviewer=moderator)
        record_action(
            actor=moderator, action=ModerationAction.Action.REPORT_APPROVE, target=report, member=report.reporter
        )
    return alert


def reject_report(*, report: ExposureReport, moderator: User, reason: str = "") -> ExposureReport:
    with _deciding(report, moderator=moderator, doing="reject exposure reports") as report:
        report.status = ExposureReport.Status.REJECTED
        report.reviewed_by, report.reviewed_at = moderator, timezone.now()
        report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        record_action(
            actor=moderator,
            action=ModerationAction.Action.REPORT_REJECT,
            target=report,
            member=report.reporter,
            reason=reason,
        )
    return report


@changes_public_pages
def _publish_report(report: ExposureReport, *, reviewer: User | None) -> Alert:
    """Fold the report into its week's alert (one per school, scope and ISO week), creating it if new.

    Runs inside the caller's transaction: the new Alert is the outbox row; its fan-out is published
    on commit, and the sweeper plans it if that publish is lost.
    """
    iso_year, iso_week, _ = report.window_start.isocalendar()
    alert, created = Alert.objects.get_or_create(
        school=report.school,
        scope=report.scope,
        scope_label=report.scope_label,
        iso_year=iso_year,
        iso_week=iso_week,
        defaults={"kind": report.kind, "window_start": report.window_start, "window_end": report.window_end},
    )
    confirmed_now = not created and alert.kind == Kind.SUSPECTED and report.kind != Kind.SUSPECTED
    if not created:
        # A second report of the same week adds to the count; subscribers are not mailed twice.
        Alert.objects.filter(pk=alert.pk).update(
            report_count=F("report_count") + 1,
            window_start=Least("window_start", report.window_start),
            window_end=Greatest("window_end", report.window_end),
            # A test confirmed the week's suspected case: the alert now says so.
            **({"kind": report.kind} if confirmed_now else {}),
        )
    report.status = ExposureReport.Status.APPROVED
    report.reviewed_by, report.reviewed_at, report.alert = reviewer, timezone.now(), alert
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "alert"])
    # A school that sends confirmed cases only held the suspected alert back: the confirmed one goes out.
    if created or (confirmed_now and report.school.confirmed_cases_only):
        outbox.on_commit("alerts.tasks.plan_alert", alert.pk)
        # The journal records it for the children at the school, in a task of its own (published by name:
        # alerts never import the journal, nor wait for it).
        outbox.on_commit("journal.tasks.record_exposures", alert.pk)
    return alert


def notify_contacts(*, report_id: int) -> int:
    """Tell the school's verified contacts about a report (under review or published). Once: one
    outbox row per contact, written in the caller's transaction (submit_report's own). Returns how
    many rows were written; a report whose contacts were told already writes none."""
    with transaction.atomic():
        report = (
            ExposureReport.objects.select_for_update(of=("self",))
            .filter(pk=report_id, contacts_notified_at__isnull=True)
            .first()
        )
        if report is None:
            return 0
        contacts = (
            SchoolContact.objects.verified()
            .filter(school_id=report.school_id)
            .exclude(user_id=report.reporter_id)
            .select_related("user")
        )
        recipients = [
            contact.user.email
            for contact in contacts
            # A contact hears of at most a few reports a day; the rest wait for the moderators.
            if limits.allowed("report_notice", contact.user_id)
        ]
        outbox.enqueue_email(emails.CONTACT_NOTICE, report.pk, recipients)
        report.contacts_notified_at = timezone.now()
        report.save(update_fields=["contacts_notified_at"])
    return len(recipients)
