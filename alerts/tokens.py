"""Signed links in alert emails. Each kind has its own salt, so one can never stand in for another.

Tokens carry ids only (never an address): they end up in server logs and mail scanners.
"""

import datetime

from django.core import signing

from alerts.models import Subscription

CONFIRM_SALT = "alerts.subscription.confirm"
UNSUBSCRIBE_SALT = "alerts.subscription.unsubscribe"
# Double opt-in links stay valid for a week.
CONFIRM_MAX_AGE = datetime.timedelta(days=7)


def confirmation_token(subscription: Subscription) -> str:
    # The request time ties the link to this request: an older link stops working after a new subscribe.
    requested = int(subscription.confirmation_requested_at.timestamp()) if subscription.confirmation_requested_at else 0
    return signing.dumps([subscription.pk, requested], salt=CONFIRM_SALT)


def subscription_for_confirmation(token: str) -> Subscription | None:
    try:
        pk, requested = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscription = Subscription.objects.select_related("school").filter(pk=pk).first()
    if subscription is None or subscription.confirmation_requested_at is None:
        return None
    if int(subscription.confirmation_requested_at.timestamp()) != requested:
        return None
    return subscription


def unsubscribe_token(subscription: Subscription, *, all_digests: bool = False) -> str:
    """Never expires: an opt-out must keep working long after the mail was sent (CAN-SPAM)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscription.pk, int(all_digests)])


def subscription_for_unsubscribe(token: str) -> tuple[Subscription | None, bool]:
    try:
        pk, all_digests = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None, False
    return Subscription.objects.select_related("school").filter(pk=pk).first(), bool(all_digests)


def language_of_link(token: str) -> str | None:
    """The language of the subscription a link of ours names, even an expired or superseded one.

    Only to word the "this link does not work" page in the subscriber's language: it proves nothing.
    """
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT)[0]
    except (signing.BadSignature, ValueError, TypeError, IndexError, KeyError):
        try:
            pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)[0]
        except (signing.BadSignature, ValueError, TypeError, IndexError, KeyError):
            return None
    return Subscription.objects.filter(pk=pk).values_list("language", flat=True).first()
