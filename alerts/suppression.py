"""The suppression list of erased addresses: a keyed hash, never the address itself.

The hash is an HMAC of the lower-cased address under the site's SECRET_KEY (with its own salt),
so the list cannot be reversed by hashing a dictionary of addresses without the key. Rotating
SECRET_KEY empties the list in effect: keep the old key in SECRET_KEY_FALLBACKS if you rotate.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac

from alerts.models import SuppressedAddress

KEY_SALT = "alerts.suppression.address"


def address_hash(email: str, *, secret: str | None = None) -> str:
    return salted_hmac(KEY_SALT, email.strip().lower(), secret=secret, algorithm="sha256").hexdigest()


def suppress_address(email: str, *, reason: str = SuppressedAddress.Reason.ACCOUNT_DELETED) -> None:
    SuppressedAddress.objects.get_or_create(address_hash=address_hash(email), defaults={"reason": reason})


def is_suppressed(email: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return SuppressedAddress.objects.filter(
        address_hash__in=[address_hash(email, secret=secret) for secret in secrets]
    ).exists()
