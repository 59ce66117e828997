"""The fan-out: one Delivery per (alert, subscription) that follows it, in batches to send."""

from django.db import transaction
from django.utils import timezone

from alerts.models import Alert, Delivery, Subscription
from alerts.services.common import batched


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
