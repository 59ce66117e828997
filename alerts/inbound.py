"""Alerts' part of inbound unsubscribe (portal.inbound calls it by name): an alert's or a digest's
unsubscribe token, mailed back in the subject, ends what its one-click link ends."""

from alerts import tokens
from alerts.services import unsubscribe as end_subscription


def unsubscribe(token: str) -> bool:
    subscription, all_digests = tokens.subscription_for_unsubscribe(token)
    if subscription is None:
        return False
    end_subscription(subscription=subscription, all_digests=all_digests)
    return True
