"""Subscriptions (an address following a school) and the addresses never to be mailed again."""

import datetime

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from alerts.models.schools import School
from alerts.querysets import SubscriptionQuerySet

# How long an unsubscribed address and its consent record are kept (the privacy page says so).
CONSENT_RETENTION = datetime.timedelta(days=30)


class Subscription(models.Model):
    """One address following one school. Nothing but the confirmation mail goes out until CONFIRMED."""

    class SubscriberRole(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        STAFF = "staff", "School staff"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("Daily digest")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for confirmation"
        ACTIVE = "active", "confirmed"
        UNSUBSCRIBED = "unsubscribed", "unsubscribed"
        SUPPRESSED = "suppressed", "suppressed (hard bounce or complaint)"

    email = models.EmailField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subscriptions")
    role = models.CharField(max_length=10, choices=SubscriberRole.choices, default=SubscriberRole.PARENT)
    grade = models.CharField(max_length=10, blank=True)
    delivery = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Outbox for the confirmation mail: requested by the subscribe service, sent by a task.
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # Consent record (double opt-in): when, and from which address, the subscriber confirmed.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "school", name="alerts_subscription_email_school_unique"),
        ]
        indexes = [
            models.Index(fields=["school", "status", "delivery"]),
            models.Index(Lower("email"), name="alerts_sub_email_lower"),
        ]

    def __str__(self):
        return f"subscription #{self.pk} to {self.school.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
