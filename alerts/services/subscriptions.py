"""Subscriptions: double opt-in, consent, more schools, preferences, unsubscribe and suppression."""

import datetime
import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from alerts import emails
from alerts.models import School, Subscription
from portal import limits, outbox
from portal.suppression import is_suppressed

logger = logging.getLogger(__name__)

# At most this many confirmation mails per address and window (the page looks the same either way).
MAX_CONFIRMATIONS_PER_WINDOW = 5
CONFIRMATION_WINDOW = datetime.timedelta(hours=1)
RESEND_AFTER = datetime.timedelta(minutes=10)


def subscribe(
    *,
    email: str,
    school: School,
    role: str,
    grade: str = "",
    delivery: str = Subscription.Frequency.IMMEDIATE,
    language: str = Subscription.Language.ENGLISH,
) -> None:
    """Ask `email` to confirm following `school` (double opt-in).

    The caller shows the same page whatever happened, so nobody learns whether an address is
    subscribed; an address that already follows the school gets a reminder mail instead.
    """
    email = email.strip().lower()
    now = timezone.now()
    # A deleted member's address is never mailed again, not even a confirmation (see portal.suppression).
    if is_suppressed(email):
        logger.info("subscribe: the address is on the suppression list; nothing sent")
        return
    # Nobody may flood an inbox through this form: a few confirmation mails an hour per address.
    recent = Subscription.objects.for_email(email).filter(confirmation_requested_at__gte=now - CONFIRMATION_WINDOW)
    if recent.count() >= MAX_CONFIRMATIONS_PER_WINDOW:
        logger.info("subscribe: confirmation limit reached for an address; nothing sent")
        return
    with transaction.atomic():
        subscription = Subscription.objects.for_email(email).filter(school=school).select_for_update().first()
        if subscription is not None and subscription.is_active:
            if limits.allowed("already_subscribed", _address_key(email)):
                # Once a minute at most, whatever the cache says (the key holds the minute).
                outbox.enqueue_email(
                    emails.ALREADY_SUBSCRIBED,
                    f"{subscription.pk}:{now:%Y%m%d%H%M}",
                    [(subscription.email, subscription.language)],
                )
            return
        if subscription is None:
            subscription = Subscription(email=email, school=school)
        elif subscription.confirmation_requested_at and now - subscription.confirmation_requested_at < RESEND_AFTER:
            return  # a confirmation for this school has just gone out
        subscription.role, subscription.grade = role, grade
        subscription.delivery, subscription.language = delivery, language
        subscription.status = Subscription.Status.PENDING
        subscription.confirmation_requested_at = now
        subscription.save()
        _queue_confirmation(subscription)


def _address_key(email: str) -> str:
    """A limit's key for an address, which is never kept in the cache as it is."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _queue_confirmation(subscription: Subscription) -> None:
    # One email per request: the key holds the time it was asked for.
    key = f"{subscription.pk}:{subscription.confirmation_requested_at.timestamp():.6f}"
    outbox.enqueue_email(emails.CONFIRMATION, key, [(subscription.email, subscription.language)])


def send_confirmation(*, subscription_id: int) -> bool:
    """For a task published before the outbox: the outstanding confirmation's outbox row."""
    subscription = Subscription.objects.filter(pk=subscription_id, status=Subscription.Status.PENDING).first()
    if subscription is None or not _confirmation_outstanding(subscription):
        return False
    _queue_confirmation(subscription)
    return True


def confirmation_email(*, subscription_id: int, requested_at: str, to: str):
    """The outbox's builder: the one message allowed before consent, while that request is outstanding.
    Records when it went."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("school")
        .filter(pk=subscription_id, status=Subscription.Status.PENDING, email=to)
        .first()
    )
    if subscription is None or not _confirmation_outstanding(subscription):
        return None
    if f"{subscription.confirmation_requested_at.timestamp():.6f}" != requested_at:
        return None  # asked again since: that request has its own row
    message = emails.confirmation_message(subscription=subscription)

    def after_sent():
        Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())

    message.after_sent = after_sent
    return message


def _confirmation_outstanding(subscription: Subscription) -> bool:
    return subscription.confirmation_sent_at is None or (
        subscription.confirmation_requested_at is not None
        and subscription.confirmation_requested_at > subscription.confirmation_sent_at
    )


def send_already_subscribed(*, subscription_id: int) -> None:
    """For a task published before the outbox: the reminder's outbox row."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is not None and subscription.is_active:
        key = f"{subscription.pk}:{timezone.now():%Y%m%d%H%M}"
        outbox.enqueue_email(emails.ALREADY_SUBSCRIBED, key, [(subscription.email, subscription.language)])


def already_subscribed_email(*, subscription_id: int, to: str):
    """The outbox's builder: sent instead of a confirmation, while the address still follows the school."""
    subscription = Subscription.objects.select_related("school").filter(pk=subscription_id, email=to).first()
    if subscription is None or not subscription.is_active:
        return None
    return emails.already_subscribed_message(subscription=subscription)


def confirm_subscription(*, subscription: Subscription, ip: str | None) -> bool:
    """Record consent (time and IP). False when the subscription was already confirmed."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status != Subscription.Status.PENDING:
            return False
        subscription.status = Subscription.Status.ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.confirmed_ip = ip
        subscription.save(update_fields=["status", "confirmed_at", "confirmed_ip"])
    return True


def add_school(*, subscription: Subscription, school: School, ip: str | None) -> Subscription:
    """From the confirmation page: the address is proven, so the new school is confirmed at once."""
    if not subscription.is_active:
        raise PermissionDenied("Only a confirmed address can add schools.")
    with transaction.atomic():
        existing = Subscription.objects.for_email(subscription.email).filter(school=school).select_for_update().first()
        target = existing or Subscription(email=subscription.email.lower(), school=school)
        if target.pk and target.is_active:
            return target
        target.role, target.grade = subscription.role, ""
        target.delivery, target.language = subscription.delivery, subscription.language
        target.status = Subscription.Status.ACTIVE
        target.confirmed_at, target.confirmed_ip = timezone.now(), ip
        target.save()
    return target


def unsubscribe(*, subscription: Subscription, all_digests: bool = False) -> None:
    """Idempotent opt-out, applied at once. A suppressed address stays suppressed."""
    Subscription.objects.stopped_by_link(subscription, all_digests=all_digests).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def update_preferences(*, subscription: Subscription, delivery: str, language: str, grade: str) -> None:
    """The subscriber's own choices: how often, which language, and which grade ("" is the whole school)."""
    Subscription.objects.filter(pk=subscription.pk).update(delivery=delivery, language=language, grade=grade)


def suppress(*, subscription_id: int) -> None:
    """Hard bounce or complaint: nothing more goes to this subscription."""
    Subscription.objects.filter(pk=subscription_id).exclude(status=Subscription.Status.SUPPRESSED).update(
        status=Subscription.Status.SUPPRESSED, suppressed_at=timezone.now()
    )
