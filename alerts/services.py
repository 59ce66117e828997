"""Every write of the alerts app: subscriptions, contacts, reports, alerts and their delivery.

Delivery: an approval writes the Alert (the outbox row) in its
transaction; on commit the fan-out is published with a bounded wait; `plan_alert` creates one
Delivery per (alert, subscription); `send_deliveries` claims rows one by one with SKIP LOCKED and
commits each outcome; a beat sweeper publishes whatever a lost task or a broker outage left behind.
"""

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from alerts import access, emails
from alerts.models import (
    CONSENT_RETENTION,
    MAX_WINDOW_DAYS,
    Alert,
    Delivery,
    Digest,
    ExposureReport,
    Kind,
    School,
    SchoolContact,
    Scope,
    SendStatus,
    Subscription,
)
from alerts.suppression import is_suppressed
from moderation.audit import record_action
from moderation.models import ModerationAction
from moderation.policy import is_suspended
from portal import limits, outbox
from portal.pagecache import changes_public_pages

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# After this many temporary failures a delivery is given up as failed.
MAX_ATTEMPTS = 8
# At most this many confirmation mails per address and window (the page looks the same either way).
MAX_CONFIRMATIONS_PER_WINDOW = 5
CONFIRMATION_WINDOW = datetime.timedelta(hours=1)
RESEND_AFTER = datetime.timedelta(minutes=10)
# The sweeper leaves younger work to the tasks already on their way.
SWEEP_AFTER = datetime.timedelta(minutes=3)


class TemporaryDeliveryFailure(Exception):
    """Some messages of a batch met a 4xx or a dropped connection: the task retries with backoff."""


class InvalidReportState(Exception):
    """The report was already approved or rejected."""


def batched(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- Subscriptions ------------------------------------------------------------------------------


def subscribe(
    *,
    email: str,
    school: School,
    role: str,
    grade: str = "",
    delivery: str = Subscription.Delivery.IMMEDIATE,
    language: str = Subscription.Language.ENGLISH,
) -> None:
    """Ask `email` to confirm following `school` (double opt-in).

    The caller shows the same page whatever happened, so nobody learns whether an address is
    subscribed; an address that already follows the school gets a reminder mail instead.
    """
    email = email.strip().lower()
    now = timezone.now()
    # A deleted member's address is never mailed again, not even a confirmation (see alerts.suppression).
    if is_suppressed(email):
        logger.info("subscribe: the address is on the suppression list; nothing sent")
        return
    # Nobody may flood an inbox through this form: a few confirmation mails an hour per address.
    recent = Subscription.objects.for_email(email).filter(confirmation_requested_at__gte=now - CONFIRMATION_WINDOW)
    if recent.count() >= MAX_CONFIRMATIONS_PER_WINDOW:
        logger.info("subscribe: confirmation limit reached for an address; nothing sent")
        return
    with transaction.atomic():
        subscription = Subscription.objects.for_email(email).filter(school=school).select_for_update().first()
        if subscription is not None and subscription.is_active:
            if limits.allowed("already_subscribed", _address_key(email)):
                outbox.on_commit("alerts.tasks.send_already_subscribed", subscription.pk)
            return
        if subscription is None:
            subscription = Subscription(email=email, school=school)
        elif subscription.confirmation_requested_at and now - subscription.confirmation_requested_at < RESEND_AFTER:
            return  # a confirmation for this school has just gone out
        subscription.role, subscription.grade = role, grade
        subscription.delivery, subscription.language = delivery, language
        subscription.status = Subscription.Status.PENDING
        subscription.confirmation_requested_at = now
        subscription.save()
        outbox.on_commit("alerts.tasks.send_confirmation", subscription.pk)


def _address_key(email: str) -> str:
    """A limit's key for an address, which is never kept in the cache as it is."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def send_confirmation(*, subscription_id: int) -> bool:
    """Send the one message allowed before consent. Idempotent: only while a request is outstanding."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("school")
            .filter(pk=subscription_id, status=Subscription.Status.PENDING)
            .first()
        )
        if subscription is None or not _confirmation_outstanding(subscription):
            return False
        if _send_single(emails.confirmation_message(subscription=subscription)) == SendStatus.SUPPRESSED:
            suppress(subscription_id=subscription.pk)
            return False
        subscription.confirmation_sent_at = timezone.now()
        subscription.save(update_fields=["confirmation_sent_at"])
    return True


def _confirmation_outstanding(subscription: Subscription) -> bool:
    return subscription.confirmation_sent_at is None or (
        subscription.confirmation_requested_at is not None
        and subscription.confirmation_requested_at > subscription.confirmation_sent_at
    )


def send_already_subscribed(*, subscription_id: int) -> None:
    subscription = Subscription.objects.select_related("school").filter(pk=subscription_id).first()
    if subscription is not None and subscription.is_active:
        _send_single(emails.already_subscribed_message(subscription=subscription))


def confirm_subscription(*, subscription: Subscription, ip: str | None) -> bool:
    """Record consent (time and IP). False when the subscription was already confirmed."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status != Subscription.Status.PENDING:
            return False
        subscription.status = Subscription.Status.ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.confirmed_ip = ip
        subscription.save(update_fields=["status", "confirmed_at", "confirmed_ip"])
    return True


def add_school(*, subscription: Subscription, school: School, ip: str | None) -> Subscription:
    """From the confirmation page: the address is proven, so the new school is confirmed at once."""
    if not subscription.is_active:
        raise PermissionDenied("Only a confirmed address can add schools.")
    with transaction.atomic():
        existing = Subscription.objects.for_email(subscription.email).filter(school=school).select_for_update().first()
        target = existing or Subscription(email=subscription.email.lower(), school=school)
        if target.pk and target.is_active:
            return target
        target.role, target.grade = subscription.role, ""
        target.delivery, target.language = subscription.delivery, subscription.language
        target.status = Subscription.Status.ACTIVE
        target.confirmed_at, target.confirmed_ip = timezone.now(), ip
        target.save()
    return target


def unsubscribe(*, subscription: Subscription, all_digests: bool = False) -> None:
    """Idempotent opt-out, applied at once. A suppressed address stays suppressed."""
    Subscription.objects.stopped_by_link(subscription, all_digests=all_digests).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def update_preferences(*, subscription: Subscription, delivery: str, language: str, grade: str) -> None:
    """The subscriber's own choices: how often, which language, and which grade ("" is the whole school)."""
    Subscription.objects.filter(pk=subscription.pk).update(delivery=delivery, language=language, grade=grade)


def suppress(*, subscription_id: int) -> None:
    """Hard bounce or complaint: nothing more goes to this subscription."""
    Subscription.objects.filter(pk=subscription_id).exclude(status=Subscription.Status.SUPPRESSED).update(
        status=Subscription.Status.SUPPRESSED, suppressed_at=timezone.now()
    )


# --- School contacts ------------------------------------------------------------------------------


def request_contact(*, user: User, school: School, role_at_school: str) -> SchoolContact:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to ask to be a school contact.")
    limits.consume("contact_request", user.pk)
    with transaction.atomic():
        contact, created = SchoolContact.objects.get_or_create(
            user=user, school=school, defaults={"role_at_school": role_at_school}
        )
        if not created and contact.status == SchoolContact.Status.REVOKED:
            contact.status, contact.role_at_school = SchoolContact.Status.REQUESTED, role_at_school
            contact.save(update_fields=["status", "role_at_school"])
            created = True
        if created:  # it waits in the moderators' queue: tell them
            outbox.on_commit("alerts.tasks.tell_moderators_about_contact_request", contact.pk)
    return contact


def tell_moderators_about_contact_request(*, contact_id: int) -> int:
    """Email the moderators (with two-factor) that a contact request waits. Returns how many were told."""
    contact = SchoolContact.objects.select_related("school").get(pk=contact_id)
    if contact.status != SchoolContact.Status.REQUESTED:
        return 0
    moderators = list(
        User.objects.with_two_factor().filter(is_active=True, groups__name=Role.MODERATOR.value).distinct()
    )
    for moderator in moderators:
        emails.contact_request_waiting(moderator=moderator, contact=contact).send()
    return len(moderators)


def tell_contact_about_decision(*, contact_id: int) -> None:
    contact = SchoolContact.objects.select_related("school", "user").get(pk=contact_id)
    if contact.user.is_active and contact.status != SchoolContact.Status.REQUESTED:
        emails.contact_decision(contact=contact).send()


def verify_contact(*, contact: SchoolContact, moderator: User) -> SchoolContact:
    access.require_moderator(moderator, "verify school contacts")
    with transaction.atomic():
        contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == SchoolContact.Status.VERIFIED:
            return contact
        contact.status = SchoolContact.Status.VERIFIED
        contact.verified_at, contact.verified_by = timezone.now(), moderator
        contact.save(update_fields=["status", "verified_at", "verified_by"])
        record_action(
            actor=moderator, action=ModerationAction.Action.CONTACT_VERIFY, target=contact, member=contact.user
        )
        outbox.on_commit("alerts.tasks.tell_contact_about_decision", contact.pk)
    return contact


def revoke_contact(*, contact: SchoolContact, moderator: User, reason: str = "") -> SchoolContact:
    access.require_moderator(moderator, "revoke school contacts")
    with transaction.atomic():
        contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == SchoolContact.Status.REVOKED:
            return contact
        contact.status = SchoolContact.Status.REVOKED
        contact.save(update_fields=["status"])
        record_action(
            actor=moderator,
            action=ModerationAction.Action.CONTACT_REVOKE,
            target=contact,
            member=contact.user,
            reason=reason,
        )
        outbox.on_commit("alerts.tasks.tell_contact_about_decision", contact.pk)
    return contact


# --- Reports and alerts -----------------------------------------------------------------------------


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
        outbox.on_commit("alerts.tasks.notify_contacts", report.pk)
    return report


def approve_report(*, report: ExposureReport, moderator: User) -> Alert:
    access.require_moderator(moderator, "approve exposure reports")
    with transaction.atomic():
        report = ExposureReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ExposureReport.Status.PENDING:
            raise InvalidReportState(f"This report was already {report.get_status_display()}.")
        alert = _publish_report(report, reviewer=moderator)
        record_action(
            actor=moderator, action=ModerationAction.Action.REPORT_APPROVE, target=report, member=report.reporter
        )
    return alert


def reject_report(*, report: ExposureReport, moderator: User, reason: str = "") -> ExposureReport:
    access.require_moderator(moderator, "reject exposure reports")
    with transaction.atomic():
        report = ExposureReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ExposureReport.Status.PENDING:
            raise InvalidReportState(f"This report was already {report.get_status_display()}.")
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
    """Tell the school's verified contacts about a report (under review or published). Once."""
    with transaction.atomic():
        report = (
            ExposureReport.objects.select_for_update(of=("self",))
            .select_related("school")
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
        messages = [
            emails.contact_notice_message(report=report, school=report.school, to=contact.user.email)
            for contact in contacts
            # A contact hears of at most a few reports a day; the rest wait for the moderators.
            if limits.allowed("report_notice", contact.user_id)
        ]
        for message in messages:
            _send_single(message)
        report.contacts_notified_at = timezone.now()
        report.save(update_fields=["contacts_notified_at"])
    return len(messages)


# --- Fan-out ------------------------------------------------------------------------------------------


def plan_alert(*, alert_id: int) -> list[list[int]]:
    """Create the alert's deliveries (a re-run creates nothing) and return its pending ids in batches."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            return []
        audience = Subscription.objects.audience_for(alert)
        if not Alert.objects.sendable().filter(pk=alert.pk).exists():
            audience = audience.none()  # the school sends confirmed cases only
        immediate_ids = audience.immediate().values_list("pk", flat=True)
        Delivery.objects.bulk_create(
            [Delivery(alert_id=alert.pk, subscription_id=pk) for pk in immediate_ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        if alert.planned_at is None or not alert.audience_size:
            alert.planned_at = alert.planned_at or timezone.now()
            alert.audience_size = audience.count()
            alert.save(update_fields=["planned_at", "audience_size"])
    pending = Delivery.objects.pending().filter(alert_id=alert_id).order_by("pk").values_list("pk", flat=True)
    return list(batched(pending))


@dataclass
class BatchResult:
    sent: int = 0
    suppressed: int = 0
    failed: int = 0
    to_retry: list[int] = field(default_factory=list)


def _error_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return codes[0] if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def _send_one(message) -> tuple[SendStatus, str, bool]:
    """Send one message. Returns (status, error code, connection still usable)."""
    try:
        message.send()
    except smtplib.SMTPServerDisconnected:
        return SendStatus.PENDING, "disconnected", False
    except smtplib.SMTPException as error:
        code = _error_code(error)
        # 5xx is permanent: suppress, never retry. Anything else is worth another try.
        if code is not None and 500 <= code < 600:
            return SendStatus.SUPPRESSED, str(code), True
        return SendStatus.PENDING, str(code or type(error).__name__), True
    except OSError as error:
        return SendStatus.PENDING, type(error).__name__, False
    return SendStatus.SENT, "", True


def _send_single(message) -> SendStatus:
    """Send a one-off message. A temporary failure raises for the task to retry — without the
    SMTP error itself, whose text names the recipient and would end up in the worker's log."""
    status, code, _ = _send_one(message)
    if status == SendStatus.PENDING:
        raise TemporaryDeliveryFailure(f"temporary SMTP failure {code}")
    if status == SendStatus.SUPPRESSED:
        logger.info("one-off message refused permanently (%s)", code)
    return status


def _record(row, status: SendStatus, code: str, result: BatchResult) -> None:
    row.attempts += 1
    row.last_error_code = code
    if status == SendStatus.SENT:
        row.sent_at = timezone.now()
        result.sent += 1
    elif status == SendStatus.SUPPRESSED:
        result.suppressed += 1
    elif row.attempts >= MAX_ATTEMPTS:
        status = SendStatus.FAILED
        result.failed += 1
    else:
        result.to_retry.append(row.pk)
    row.status = status
    row.save(update_fields=["attempts", "last_error_code", "sent_at", "status", "updated_at"])


def send_deliveries(*, delivery_ids: list[int]) -> BatchResult:
    """Send one batch over one SMTP connection, committing each row's outcome as it happens.

    Each row is claimed with SELECT ... FOR UPDATE SKIP LOCKED and only while still pending, so
    a batch that runs twice, or two batches sharing ids, send nothing twice. A worker killed
    mid-send leaves its row pending (the transaction dies with it): the sweeper sends it again.
    """
    result, rendered = BatchResult(), {}
    # What the messages need, read once for the batch; the per-row claim below is the authority.
    rows = Delivery.objects.filter(pk__in=delivery_ids, status=SendStatus.PENDING).select_related(
        "alert__school", "subscription"
    )
    deliveries = {delivery.pk: delivery for delivery in rows}
    with get_connection() as connection:
        for index, delivery_id in enumerate(delivery_ids):
            delivery = deliveries.get(delivery_id)
            if delivery is None:
                continue
            with transaction.atomic():
                claimed = list(
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk=delivery_id, status=SendStatus.PENDING)
                    .values_list("subscription__status", flat=True)
                )
                if not claimed:
                    continue  # sent already, or being sent by another worker right now
                if claimed[0] != Subscription.Status.ACTIVE:
                    delivery.status = SendStatus.SKIPPED
                    delivery.save(update_fields=["status", "updated_at"])
                    continue
                message = emails.alert_message(
                    alert=delivery.alert, subscription=delivery.subscription, connection=connection, rendered=rendered
                )
                status, code, usable = _send_one(message)
                _record(delivery, status, code, result)
                if status == SendStatus.SUPPRESSED:
                    suppress(subscription_id=delivery.subscription_id)
                logger.debug("alert %s delivery %s: %s %s", delivery.alert_id, delivery.pk, status, code)
            if not usable:
                result.to_retry.extend(delivery_ids[index + 1 :])
                break
    return result


# --- Digests ------------------------------------------------------------------------------------------


def plan_digests(*, now: datetime.datetime | None = None) -> list[list[int]]:
    """Create today's Digest rows (one per address with something to read) and return pending ids.

    Unique (address, day): a second run the same day creates nothing.
    """
    now = now or timezone.now()
    day, period_start = now.date(), now - datetime.timedelta(days=1)
    schools = Alert.objects.sendable().published_between(period_start, now).values("school_id")
    addresses = {
        email.lower()
        for email in Subscription.objects.active()
        .digest()
        .filter(school_id__in=schools)
        .values_list("email", flat=True)
    }
    Digest.objects.bulk_create(
        [Digest(email=email, day=day, period_start=period_start, period_end=now) for email in sorted(addresses)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    pending = Digest.objects.pending().filter(day=day).order_by("pk").values_list("pk", flat=True)
    return list(batched(pending))


def _digest_items(digest: Digest) -> list[tuple[Subscription, list[Alert]]]:
    subscriptions = list(Subscription.objects.for_email(digest.email).active().digest().select_related("school"))
    alerts = list(
        Alert.objects.sendable()
        .published_between(digest.period_start, digest.period_end)
        .filter(school_id__in=[s.school_id for s in subscriptions])
        .select_related("school")
        .order_by("created_at")
    )
    items = []
    for subscription in subscriptions:
        followed = [
            alert
            for alert in alerts
            if alert.school_id == subscription.school_id
            and (alert.scope != Scope.GRADE or not subscription.grade or alert.scope_label == subscription.grade)
        ]
        if followed:
            items.append((subscription, followed))
    return items


def send_digests(*, digest_ids: list[int]) -> BatchResult:
    """Like `send_deliveries`, for daily digests: nothing is sent to an address with nothing to read."""
    result = BatchResult()
    with get_connection() as connection:
        for index, digest_id in enumerate(digest_ids):
            with transaction.atomic():
                digest = (
                    Digest.objects.select_for_update(skip_locked=True).filter(pk=digest_id, status="pending").first()
                )
                if digest is None:
                    continue
                items = _digest_items(digest)
                if not items:
                    digest.status = SendStatus.SKIPPED
                    digest.save(update_fields=["status", "updated_at"])
                    continue
                message = emails.digest_message(digest=digest, items=items, connection=connection)
                status, code, usable = _send_one(message)
                _record(digest, status, code, result)
                if status == SendStatus.SUPPRESSED:
                    for subscription, _ in items:
                        suppress(subscription_id=subscription.pk)
                logger.debug("digest %s: %s %s", digest.pk, status, code)
            if not usable:
                result.to_retry.extend(digest_ids[index + 1 :])
                break
    return result


# --- The sweeper ------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    alerts: int = 0
    deliveries: int = 0
    digests: int = 0
    reports: int = 0
    confirmations: int = 0
    consent_records_deleted: int = 0


def sweep(*, older_than: datetime.timedelta = SWEEP_AFTER) -> SweepResult:
    """Publish what a lost task or a broker outage left behind. Runs from beat every minute.

    Re-publishing is safe: every task re-checks its rows' state before sending.
    """
    result = SweepResult()
    for alert_id in Alert.objects.needing_plan(older_than=older_than).values_list("pk", flat=True)[:100]:
        result.alerts += outbox.publish("alerts.tasks.plan_alert", alert_id)
    for model, task, counter in (
        (Delivery, "alerts.tasks.send_deliveries", "deliveries"),
        (Digest, "alerts.tasks.send_digests", "digests"),
    ):
        stale = list(model.objects.stale(older_than=older_than).order_by("pk").values_list("pk", flat=True)[:10_000])
        for chunk in batched(stale):
            if outbox.publish(task, chunk):
                # Touch the rows so the next sweep leaves them to the task just published.
                model.objects.filter(pk__in=chunk, status="pending").update(updated_at=timezone.now())
                setattr(result, counter, getattr(result, counter) + len(chunk))
    for report_id in ExposureReport.objects.needing_contact_notice(older_than=older_than).values_list("pk", flat=True)[
        :100
    ]:
        result.reports += outbox.publish("alerts.tasks.notify_contacts", report_id)
    cutoff = timezone.now() - older_than
    waiting = Subscription.objects.filter(
        status=Subscription.Status.PENDING, confirmation_requested_at__lt=cutoff
    ).filter(
        models.Q(confirmation_sent_at__isnull=True) | models.Q(confirmation_sent_at__lt=F("confirmation_requested_at"))
    )
    for subscription_id in waiting.values_list("pk", flat=True)[:100]:
        result.confirmations += outbox.publish("alerts.tasks.send_confirmation", subscription_id)
    result.consent_records_deleted = delete_old_consent_records()
    return result


def delete_old_consent_records(*, now: datetime.datetime | None = None) -> int:
    """Retention: an unsubscribed subscription (its address and consent record) is kept 30 days,
    to answer a question about a mail sent, then deleted; so is the record of a digest sent to an
    address (the day's row only has to outlive the day). At most 1,000 of each per run."""
    cutoff = (now or timezone.now()) - CONSENT_RETENTION
    expired = Subscription.objects.filter(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at__lt=cutoff)
    ids = list(expired.order_by("pk").values_list("pk", flat=True)[:1000])
    Subscription.objects.filter(pk__in=ids).delete()
    old_digests = Digest.objects.filter(day__lt=cutoff.date()).exclude(status=SendStatus.PENDING)
    Digest.objects.filter(pk__in=list(old_digests.order_by("pk").values_list("pk", flat=True)[:1000])).delete()
    return len(ids)
