"""Sending an alert's deliveries in batches over one SMTP connection, each outcome committed.

Per batch: the alert's message is rendered and serialized once per language (`alert_bytes`), each
recipient's message is those bytes with its own address, token and Message-ID put in, and goes over
the batch's one SMTP connection; each row is claimed and its outcome committed in a transaction of
its own, with prepared statements (`delivery_records`). A backend other than SMTP (an email
provider's API, or tests' in-memory outbox) gets each message built as an EmailMessage instead.
"""

import logging
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

from alerts import emails
from alerts.models import Alert, Delivery, SendStatus, Subscription
from alerts.services import alert_bytes
from alerts.services.delivery_records import Records, outcome_status
from alerts.services.smtp import send_bytes, send_one
from alerts.services.subscriptions import suppress

logger = logging.getLogger(__name__)

# After this many temporary failures a delivery is given up as failed.
MAX_ATTEMPTS = 8


@dataclass
class BatchResult:
    sent: int = 0
    suppressed: int = 0
    failed: int = 0
    to_retry: list[int] = field(default_factory=list)


def record_outcome(row, status: SendStatus, code: str, result: BatchResult) -> None:
    """Save one outcome on a model row (the digests' way; deliveries use `delivery_records`)."""
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


@dataclass
class Batch:
    """What the batch's messages need, read once; the per-row claim is the authority on what to send."""

    connection: object
    alerts: dict[int, Alert]
    rendered: dict = field(default_factory=dict)  # alerts.emails' cache: (alert, language) -> RenderedEmail
    templates: dict = field(default_factory=dict)  # (alert, language) -> AlertTemplate or None

    def send(self, *, alert_id: int, subscription_id: int, address: str, language: str):
        alert = self.alerts[alert_id]
        smtp = self.connection.connection if isinstance(self.connection, SmtpBackend) else None
        if smtp is not None and alert_bytes.plain_address(address):
            key = (alert_id, language)
            if key not in self.templates:
                self.templates[key] = alert_bytes.build(alert, language, self.rendered)
            template = self.templates[key]
            if template is not None:
                data = template.message(subscription_id=subscription_id, address=address)
                return send_bytes(smtp, template.sender, address, data)
        subscription = Subscription(pk=subscription_id, email=address, language=language, school=alert.school)
        message = emails.alert_message(
            alert=alert, subscription=subscription, connection=self.connection, rendered=self.rendered
        )
        return send_one(message)


def send_deliveries(*, delivery_ids: list[int]) -> BatchResult:
    """Send one batch over one SMTP connection, committing each row's outcome as it happens.

    Each row is claimed with SELECT ... FOR UPDATE SKIP LOCKED and only while still pending, so
    a batch that runs twice, or two batches sharing ids, send nothing twice. A worker killed
    mid-send leaves its row pending (the transaction dies with it): the sweeper sends it again.
    """
    result = BatchResult()
    rows = {
        pk: row
        for pk, *row in Delivery.objects.filter(pk__in=delivery_ids, status=SendStatus.PENDING).values_list(
            "pk", "alert_id", "subscription_id", "subscription__email", "subscription__language"
        )
    }
    if not rows:
        return result
    alerts = Alert.objects.select_related("school").in_bulk({alert_id for alert_id, *_ in rows.values()})
    with get_connection() as connection, Records() as records:
        batch = Batch(connection=connection, alerts=alerts)
        for index, delivery_id in enumerate(delivery_ids):
            if delivery_id not in rows:
                continue
            alert_id, subscription_id, address, language = rows[delivery_id]
            claimed = records.claim(delivery_id)
            if claimed is None:
                continue  # sent already, or being sent by another worker right now
            subscription_status, attempts = claimed
            if subscription_status != Subscription.Status.ACTIVE:
                now = timezone.now()
                records.record(delivery_id, status=SendStatus.SKIPPED, code=None, sent_at=None, attempts=0, now=now)
                continue
            status, code, usable = batch.send(
                alert_id=alert_id, subscription_id=subscription_id, address=address, language=language
            )
            now = timezone.now()
            status = outcome_status(status, attempts, MAX_ATTEMPTS)
            if status == SendStatus.SUPPRESSED:
                suppress(subscription_id=subscription_id)  # in the delivery's transaction
            sent_at = now if status == SendStatus.SENT else None
            records.record(delivery_id, status=status, code=code, sent_at=sent_at, attempts=1, now=now)
            count(result, delivery_id, status)
            logger.debug("alert %s delivery %s: %s %s", alert_id, delivery_id, status, code)
            if not usable:
                result.to_retry.extend(delivery_ids[index + 1 :])
                break
    return result


def count(result: BatchResult, delivery_id: int, status: SendStatus) -> None:
    if status == SendStatus.SENT:
        result.sent += 1
    elif status == SendStatus.SUPPRESSED:
        result.suppressed += 1
    elif status == SendStatus.FAILED:
        result.failed += 1
    else:
        result.to_retry.append(delivery_id)
