"""Encryption of the journal at rest, and keyed fingerprints for the few values it must look up.

Every value that describes a child is stored as a Fernet token (AES-128-CBC with an HMAC-SHA256
tag) made with the first key of `settings.JOURNAL_KEYS`; any key of the list decrypts, so a new key
can be put first and the rows re-encrypted at leisure (`manage.py rotate_journal_key`).

A token is random: the same school encrypted twice gives two tokens, so the database cannot be
searched by it. Where the journal must find rows by a value (the children at a school, when an
alert goes out), it stores a keyed fingerprint beside the token: an HMAC of the value under a key
derived from the journal key. Without the key nobody can tell which school a fingerprint stands for.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FINGERPRINT_LENGTH = 64  # hex digits of an HMAC-SHA256


def _keys() -> tuple[str, ...]:
    return tuple(settings.JOURNAL_KEYS)


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


@lru_cache(maxsize=8)
def _fingerprint_key(key: str) -> bytes:
    # A key of its own for fingerprints, derived from the journal key: never the encryption key itself.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal journal fingerprint")
    return hkdf.derive(base64.urlsafe_b64decode(key))


def encrypt(text: str) -> str:
    """A token for `text`, made with the current (first) key."""
    return _cipher(_keys()).encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token made with any of the keys (cryptography.fernet.InvalidToken otherwise)."""
    return _cipher(_keys()).decrypt(token.encode("ascii")).decode()


def fingerprint(value: str) -> str:
    """The keyed fingerprint of `value` under the current key: what a row stores."""
    return _fingerprint(_keys()[0], value)


def fingerprints(value: str) -> list[str]:
    """Its fingerprint under every key: what a lookup matches, so rows not yet rotated are found too."""
    return [_fingerprint(key, value) for key in _keys()]


def _fingerprint(key: str, value: str) -> str:
    return hmac.new(_fingerprint_key(key), value.encode(), hashlib.sha256).hexdigest()
