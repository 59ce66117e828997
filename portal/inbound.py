"""Mail to the List-Unsubscribe `mailto:` address (anymail's inbound webhooks, normalized messages).

The address is the sender's own mailbox and the subject is "unsubscribe <token>" (portal.emails.
list_headers): the signed token of the one-click link, so the email stops exactly what that link
stops. Each app that mails such tokens says whether a token is its own, in
`<app>/inbound.py: unsubscribe(token) -> bool`. Nothing of the message is kept or logged; a
message without a token of ours changes nothing.
"""

import logging
import re

from anymail.signals import inbound
from django.dispatch import receiver

from portal.hooks import app_modules

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"\bunsubscribe[\s:]+(\S+)", re.IGNORECASE)


def tokens_in(subject: str) -> list[str]:
    """Candidate tokens, as sent and without the punctuation a mail client may wrap around them."""
    found = TOKEN.search(subject or "")
    if not found:
        return []
    token = found.group(1)
    return list(dict.fromkeys([token, token.strip("<>()[]\"'.,;")]))


def unsubscribe(subject: str) -> bool:
    """Stop what the token in `subject` names. True when some app recognised it."""
    for token in tokens_in(subject):
        for module in app_modules("inbound"):
            if module.unsubscribe(token):
                return True
    return False


@receiver(inbound, dispatch_uid="portal.inbound.on_inbound")
def on_inbound(sender, event, esp_name: str, **kwargs) -> None:
    message = event.message
    done = unsubscribe(message.subject if message is not None else "")
    logger.info("inbound email from %s: unsubscribed %s", str(esp_name).lower(), done)
