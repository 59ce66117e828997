"""What goes out by email: one Delivery per alert and subscription, one Digest per address and day.

Both are outbox rows with the same sending state (`SendRecord`): the tasks send what is pending,
the sweeper republishes what stays pending too long.
"""

from django.db import models

from alerts.models.reports import Alert
from alerts.models.subscriptions import Subscription
from alerts.querysets import DeliveryQuerySet, DigestQuerySet


class SendStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"
    SUPPRESSED = "suppressed", "suppressed"
    SKIPPED = "skipped", "skipped"


class SendRecord(models.Model):
    """The sending state of one email: pending until sent, suppressed, skipped or failed for good."""

    Status = SendStatus

    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Delivery(SendRecord):
    """One alert to one subscription. The unique pair makes a re-run of the fan-out create nothing."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscription"], name="alerts_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=models.Q(status=SendStatus.PENDING), name="alerts_delivery_pending"
            ),
        ]

    def __str__(self):
        return f"delivery #{self.pk} ({self.status})"


class Digest(SendRecord):
    """One daily digest to one address; unique per address and day so a re-run sends nothing twice."""

    email = models.EmailField()
    day = models.DateField()
    # The alerts listed are those published in [period_start, period_end).
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()

    objects = DigestQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "day"], name="alerts_digest_once_a_day")]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=models.Q(status=SendStatus.PENDING), name="alerts_digest_pending"
            ),
        ]

    def __str__(self):
        return f"digest #{self.pk} for {self.day} ({self.status})"
