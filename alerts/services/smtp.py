"""Sending one message and reading an SMTP refusal: permanent (5xx), or worth another try."""

import smtplib

from alerts.models import SendStatus
from portal.outbox import smtp_code


class TemporaryDeliveryFailure(Exception):
    """Some messages of a batch met a 4xx or a dropped connection: the task retries with backoff."""


def send_one(message) -> tuple[SendStatus, str, bool]:
    """Send one message. Returns (status, error code, connection still usable)."""
    return attempt(message.send)


def send_bytes(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> tuple[SendStatus, str, bool]:
    """Send a message already serialized, over an open smtplib connection: as `send_one`.

    `sender` and `recipient` are bare addresses (user@domain) that need no quoting."""
    return attempt(lambda: sendmail(smtp, sender, recipient, data))


def sendmail(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> None:
    """`smtplib.SMTP.sendmail` for one recipient, raising the same errors after the same resets, without
    its parsing of both addresses for every message (it cost more CPU than the rest of the send)."""
    smtp.ehlo_or_helo_if_needed()
    size = f" size={len(data)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    smtp.putcmd("mail", f"FROM:<{sender}>{size}")
    code, reply = smtp.getreply()
    if code != 250:
        _after_refusal(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    smtp.putcmd("rcpt", f"TO:<{recipient}>")
    code, reply = smtp.getreply()
    if code not in (250, 251):
        _after_refusal(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.data(data)
    if code != 250:
        _after_refusal(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _after_refusal(smtp: smtplib.SMTP, code: int) -> None:
    """As smtplib: 421 means the server is closing the connection; otherwise reset the transaction."""
    if code == 421:
        smtp.close()
    else:
        smtp._rset()  # smtplib's own reset, which ignores a dropped connection


def attempt(send) -> tuple[SendStatus, str, bool]:
    """Call `send` and read its SMTP refusal, if any: (status, error code, connection still usable)."""
    try:
        send()
    except smtplib.SMTPServerDisconnected:
        return SendStatus.PENDING, "disconnected", False
    except smtplib.SMTPException as error:
        code = smtp_code(error)
        # 5xx is permanent: suppress, never retry. Anything else is worth another try.
        if code is not None and 500 <= code < 600:
            return SendStatus.SUPPRESSED, str(code), True
        return SendStatus.PENDING, str(code or type(error).__name__), True
    except OSError as error:
        return SendStatus.PENDING, type(error).__name__, False
    return SendStatus.SENT, "", True
