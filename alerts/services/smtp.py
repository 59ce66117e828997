"""Sending one message and reading an SMTP refusal: permanent (5xx), or worth another try."""

import logging
import smtplib

from alerts.models import SendStatus

logger = logging.getLogger(__name__)


class TemporaryDeliveryFailure(Exception):
    """Some messages of a batch met a 4xx or a dropped connection: the task retries with backoff."""


def error_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return codes[0] if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def send_one(message) -> tuple[SendStatus, str, bool]:
    """Send one message. Returns (status, error code, connection still usable)."""
    try:
        message.send()
    except smtplib.SMTPServerDisconnected:
        return SendStatus.PENDING, "disconnected", False
    except smtplib.SMTPException as error:
        code = error_code(error)
        # 5xx is permanent: suppress, never retry. Anything else is worth another try.
        if code is not None and 500 <= code < 600:
            return SendStatus.SUPPRESSED, str(code), True
        return SendStatus.PENDING, str(code or type(error).__name__), True
    except OSError as error:
        return SendStatus.PENDING, type(error).__name__, False
    return SendStatus.SENT, "", True


def send_single(message) -> SendStatus:
    """Send a one-off message. A temporary failure raises for the task to retry — without the
    SMTP error itself, whose text names the recipient and would end up in the worker's log."""
    status, code, _ = send_one(message)
    if status == SendStatus.PENDING:
        raise TemporaryDeliveryFailure(f"temporary SMTP failure {code}")
    if status == SendStatus.SUPPRESSED:
        logger.info("one-off message refused permanently (%s)", code)
    return status
