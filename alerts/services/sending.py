"""Sending an alert's deliveries in batches over one SMTP connection, each outcome committed."""

import logging
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from alerts import emails
from alerts.models import Delivery, SendStatus, Subscription
from alerts.services.smtp import send_one
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
                status, code, usable = send_one(message)
                record_outcome(delivery, status, code, result)
                if status == SendStatus.SUPPRESSED:
                    suppress(subscription_id=delivery.subscription_id)
                logger.debug("alert %s delivery %s: %s %s", delivery.alert_id, delivery.pk, status, code)
            if not usable:
                result.to_retry.extend(delivery_ids[index + 1 :])
                break
    return result
