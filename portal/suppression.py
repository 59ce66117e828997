"""The suppression list: addresses the site never mails again, kept as a keyed hash, never the address.

The hash is an HMAC of the lower-cased address under the site's SECRET_KEY (with its own salt), so
the list cannot be reversed by hashing a dictionary of addresses without the key. Rotating
SECRET_KEY empties the list in effect: keep the old key in SECRET_KEY_FALLBACKS if you rotate.

Every sender asks `is_suppressed` before mailing a person (alerts through its subscriptions' status,
which apps' `address_suppressed` hooks set). Provider reports arrive in portal.bounces.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal.hooks import app_modules
from portal.models import SoftBounce, SuppressedAddress

KEY_SALT = "alerts.suppression.address"  # unchanged since the list lived in alerts: old hashes stay valid
SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_WINDOW = datetime.timedelta(days=14)

Reason = SuppressedAddress.Reason


def address_hash(email: str, *, secret: str | None = None) -> str:
    return salted_hmac(KEY_SALT, email.strip().lower(), secret=secret, algorithm="sha256").hexdigest()


def _all_hashes(email: str) -> list[str]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [address_hash(email, secret=secret) for secret in secrets]


def is_suppressed(email: str) -> bool:
    """True when nothing may be sent to `email` any more: the one check every sender makes."""
    return SuppressedAddress.objects.filter(address_hash__in=_all_hashes(email)).exists()


@transaction.atomic
def suppress_address(email: str, *, reason: str = Reason.ACCOUNT_DELETED, provider: str = "") -> bool:
    """Put `email` on the list (once; the first reason stands) and tell the apps. True when it is new."""
    _, created = SuppressedAddress.objects.get_or_create(
        address_hash=address_hash(email), defaults={"reason": reason, "provider": provider[:40]}
    )
    if created:
        for module in app_modules("suppression"):
            hook = getattr(module, "address_suppressed", None)
            if hook is not None:
                hook(email)
    return created


@transaction.atomic
def record_soft_bounce(email: str, *, provider: str = "", at: datetime.datetime | None = None) -> bool:
    """Count a temporary failure; the third within SOFT_BOUNCE_WINDOW suppresses. True when it did."""
    at = at or timezone.now()
    key = address_hash(email)
    SoftBounce.objects.create(address_hash=key, bounced_at=at)
    recent = SoftBounce.objects.filter(address_hash=key, bounced_at__gt=at - SOFT_BOUNCE_WINDOW)
    if recent.count() < SOFT_BOUNCE_LIMIT:
        return False
    SoftBounce.objects.filter(address_hash=key).delete()
    return suppress_address(email, reason=Reason.SOFT_BOUNCES, provider=provider)


@transaction.atomic
def lift(email: str) -> SuppressedAddress | None:
    """Take `email` off the list (the caller checks authority and records it). The row lifted, or None."""
    hashes = _all_hashes(email)
    row = SuppressedAddress.objects.filter(address_hash__in=hashes).first()
    if row is not None:
        SuppressedAddress.objects.filter(address_hash__in=hashes).delete()
        SoftBounce.objects.filter(address_hash__in=hashes).delete()
    return row
