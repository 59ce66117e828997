"""What the email provider tells us about delivery (anymail's tracking webhooks, normalized events).

A hard bounce or a complaint puts the address on the suppression list at once; a soft bounce
counts, and the third in fourteen days does too (portal.suppression). Only the event's kind, the
provider's name and the time are kept: never the message, the provider's description or the
address itself. Logs say what happened, never to whom.
"""

import logging

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from portal import suppression

logger = logging.getLogger(__name__)

# Bounces the providers report as "bounced" that are temporary all the same: Postmark's bounce Type,
# Amazon SES's bounceType (Undetermined counts as soft: three suppress), SendGrid's bounce "type"
# ("blocked" is its soft bounce) and Brevo's own event name.
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}
SES_SOFT_BOUNCE_TYPES = {"Transient", "Undetermined"}


def is_soft(esp_event) -> bool:
    if not isinstance(esp_event, dict):
        return False
    bounce = esp_event.get("bounce")
    if isinstance(bounce, dict):  # Amazon SES
        return bounce.get("bounceType") in SES_SOFT_BOUNCE_TYPES
    return (
        esp_event.get("Type") in SOFT_BOUNCE_TYPES  # Postmark
        or esp_event.get("type") == "blocked"  # SendGrid
        or esp_event.get("event") == "soft_bounce"  # Brevo
    )


def classify(event) -> str | None:
    """ "hard_bounce", "complaint", "soft_bounce", or None for events that change nothing."""
    if event.event_type == EventType.COMPLAINED:
        return "complaint"
    if event.event_type == EventType.DEFERRED:
        return "soft_bounce"
    if event.event_type == EventType.BOUNCED:
        return "soft_bounce" if is_soft(event.esp_event) else "hard_bounce"
    return None


def provider_name(esp_name) -> str:
    """The name EMAIL_PROVIDER uses for it: anymail's "Amazon SES" is amazon_ses."""
    return str(esp_name).lower().replace(" ", "_")


@receiver(tracking, dispatch_uid="portal.bounces.on_tracking")
def on_tracking(sender, event, esp_name: str, **kwargs) -> None:
    outcome = classify(event)
    if outcome is None or not event.recipient:
        return
    provider = provider_name(esp_name)
    if outcome == "soft_bounce":
        suppressed = suppression.record_soft_bounce(event.recipient, provider=provider)
    else:
        reason = suppression.Reason.COMPLAINT if outcome == "complaint" else suppression.Reason.HARD_BOUNCE
        suppressed = suppression.suppress_address(event.recipient, reason=reason, provider=provider)
    logger.info("email %s reported by %s; suppressed now: %s", outcome, provider, suppressed)
