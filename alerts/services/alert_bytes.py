"""An alert's message as bytes, built once per batch and language, with each recipient's parts put in.

Building and serializing a MIME message with Python's email package costs more CPU than sending it.
So a batch builds the message `alerts.emails.alert_message` makes for a placeholder subscription, once
per language, serializes it as Django's SMTP backend does, and cuts it around the placeholder's parts:
its address (To), its unsubscribe token (links, List-Unsubscribe and its mailto subject), its
Message-ID and the Date. Each recipient's message is the pieces joined with their own parts.

The template is refused (`None`: the caller builds messages one by one) unless every placeholder part
appears as often as the rendered text says it must, unencoded: a body sent quoted-printable could
split a token, and a substitution must never miss a copy. Addresses that Django's sanitizer would
rewrite (non-ASCII, quoted local parts) also take the one-by-one way (`plain_address`).
"""

import re
import time
from dataclasses import dataclass
from email.utils import formatdate, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.mail.message import sanitize_address

from alerts import emails, tokens
from alerts.models import Alert, Subscription

# Ids no real subscription has; its token and Message-ID are then unique strings in the message.
PLACEHOLDER_PK = 987_654_321_987
PLACEHOLDER_ADDRESS = "recipient-placeholder-3f9c@placeholder.invalid"

# A dot-atom address of ASCII letters, digits and the usual symbols: Django sends it unchanged.
PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)


def plain_address(address: str) -> bool:
    return bool(PLAIN_ADDRESS.fullmatch(address))


@dataclass(frozen=True, slots=True)
class _Id:
    """What `tokens.unsubscribe_token` reads of a subscription, without building a model instance."""

    pk: int


@dataclass(frozen=True, slots=True)
class AlertTemplate:
    sender: str  # the envelope sender's bare address, as Django's SMTP backend would give it
    pieces: tuple  # bytes, or the name of a recipient's part

    def message(self, *, subscription_id: int, address: str) -> bytes:
        token = tokens.unsubscribe_token(_Id(subscription_id))
        parts = {
            "address": address.encode(),
            "token": token.encode(),
            "quoted_token": quote_token(token).encode(),
            "message_id": message_id_part(subscription_id).encode(),
            "date": date_header(),
        }
        return b"".join(piece if isinstance(piece, bytes) else parts[piece] for piece in self.pieces)


def quote_token(token: str) -> str:
    """`urllib.parse.quote(token)` for a signed token: its alphabet is URL-safe base64, "." and ":"."""
    return token.replace(":", "%3A")


_date = [0, b""]


def date_header() -> bytes:
    """The Date header's value Django would write now; it changes once a second."""
    second = int(time.time())
    if _date[0] != second:
        _date[:] = [second, formatdate(second, localtime=settings.EMAIL_USE_LOCALTIME).encode()]
    return _date[1]


def message_id_part(subscription_id: int) -> str:
    return f".subscription-{subscription_id}@"


def _cut(piece, value: bytes, name: str) -> list:
    if not isinstance(piece, bytes):
        return [piece]
    chunks = piece.split(value)
    return [item for chunk in chunks[:-1] for item in (chunk, name)] + [chunks[-1]]


def build(alert: Alert, language: str, rendered: dict) -> AlertTemplate | None:
    """The alert's message for `language` with its recipient's parts cut out, or None (see the module)."""
    placeholder = Subscription(pk=PLACEHOLDER_PK, email=PLACEHOLDER_ADDRESS, language=language, school=alert.school)
    message = emails.alert_message(alert=alert, subscription=placeholder, rendered=rendered)
    mime = message.message()
    data = mime.as_bytes(linesep="\r\n")  # as django.core.mail.backends.smtp.EmailBackend._send
    token = tokens.unsubscribe_token(placeholder)
    texts = [message.subject, message.body, *(content for content, _ in message.alternatives)]
    parts = {
        "address": (PLACEHOLDER_ADDRESS, 1),
        "token": (token, 1 + sum(text.count(token) for text in texts)),  # + List-Unsubscribe's link
        "quoted_token": (quote(token), 1 + sum(text.count(quote(token)) for text in texts)),  # + its mailto
        "message_id": (message_id_part(PLACEHOLDER_PK), 1),
        "date": (mime["Date"], 1),
    }
    if quote(token) == token or quote(token) != quote_token(token):
        return None  # the two would overlap (tokens hold a ":"), or the token's alphabet changed
    for value, expected in parts.values():
        if data.count(value.encode()) != expected:
            return None
    pieces = [data]
    for name, (value, _) in parts.items():  # cut around each part; the parts never overlap
        pieces = [cut for piece in pieces for cut in _cut(piece, value.encode(), name)]
    sender = parseaddr(sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET))[1]
    return AlertTemplate(sender=sender, pieces=tuple(piece for piece in pieces if piece != b""))
