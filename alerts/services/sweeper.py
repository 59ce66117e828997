"""The sweeper (beat, every minute): publishes what a lost task or a broker outage left behind,
and deletes consent records past their retention."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from alerts.models import CONSENT_RETENTION, Alert, Delivery, Digest, ExposureReport, SendStatus, Subscription
from alerts.services.common import batched
from portal import outbox

# The sweeper leaves younger work to the tasks already on their way.
SWEEP_AFTER = datetime.timedelta(minutes=3)


@dataclass
class SweepResult:
    alerts: int = 0
    deliveries: int = 0
    digests: int = 0
    reports: int = 0
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
                model.objects.pending().filter(pk__in=chunk).update(updated_at=timezone.now())
                setattr(result, counter, getattr(result, counter) + len(chunk))
    for report_id in ExposureReport.objects.needing_contact_notice(older_than=older_than).values_list("pk", flat=True)[
        :100
    ]:
        result.reports += outbox.publish("alerts.tasks.notify_contacts", report_id)
    # Confirmations, contact notices and the other one-off mails are rows of the email outbox, swept by
    # portal.outbox (beat's portal-outbox-sweep).
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
