"""Daily digests: one email per address listing the day's alerts of its schools."""

import datetime
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from alerts import emails
from alerts.models import Alert, Digest, SendStatus, Subscription
from alerts.services.common import batched
from alerts.services.sending import BatchResult, record_outcome
from alerts.services.smtp import send_one
from alerts.services.subscriptions import suppress

logger = logging.getLogger(__name__)


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
    """Each of the address's digest subscriptions with the period's alerts it receives (the same
    rule as the fan-out: `SubscriptionQuerySet.audience_for`), leaving out those with none."""
    subscriptions = list(Subscription.objects.for_email(digest.email).active().digest().select_related("school"))
    alerts = list(
        Alert.objects.sendable()
        .published_between(digest.period_start, digest.period_end)
        .filter(school_id__in=[s.school_id for s in subscriptions])
        .select_related("school")
        .order_by("created_at")
    )
    received = Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).receiving_pairs(alerts)
    items = []
    for subscription in subscriptions:
        followed = [alert for alert in alerts if (subscription.pk, alert.pk) in received]
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
                    Digest.objects.select_for_update(skip_locked=True)
                    .filter(pk=digest_id, status=SendStatus.PENDING)
                    .first()
                )
                if digest is None:
                    continue
                items = _digest_items(digest)
                if not items:
                    digest.status = SendStatus.SKIPPED
                    digest.save(update_fields=["status", "updated_at"])
                    continue
                message = emails.digest_message(digest=digest, items=items, connection=connection)
                status, code, usable = send_one(message)
                record_outcome(digest, status, code, result)
                if status == SendStatus.SUPPRESSED:
                    for subscription, _ in items:
                        suppress(subscription_id=subscription.pk)
                logger.debug("digest %s: %s %s", digest.pk, status, code)
            if not usable:
                result.to_retry.extend(digest_ids[index + 1 :])
                break
    return result
