"""Alerts' part of the suppression list (portal.suppression calls it by name, as a hook): an address
on the list has every alert subscription suppressed, so no alert or digest goes to it again."""

from django.db.models.functions import Lower
from django.utils import timezone

from alerts.models import Subscription


def address_suppressed(email: str) -> None:
    Subscription.objects.annotate(address=Lower("email")).filter(address=email.strip().lower()).exclude(
        status=Subscription.Status.SUPPRESSED
    ).update(status=Subscription.Status.SUPPRESSED, suppressed_at=timezone.now())
