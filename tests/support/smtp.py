"""A real SMTP server for tests: aiosmtpd on a free loopback port.

It records every message it accepts (parsed with `email.message_from_bytes`) and can refuse
chosen recipients with 451 (try later) or 550 (no such mailbox), a number of times or for good.
"""

import asyncio
import email
import logging
import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message

from aiosmtpd.controller import Controller

# aiosmtpd logs every envelope's recipients at INFO; no address goes into our logs, tests included.
logging.getLogger("mail.log").setLevel(logging.WARNING)

REPLIES = {
    451: "451 4.3.0 Temporary failure, please try again later",
    550: "550 5.1.1 Mailbox unavailable",
}


@dataclass
class ReceivedMessage:
    mail_from: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def body(self, subtype: str = "plain") -> str:
        for part in self.message.walk():
            if part.get_content_type() == f"text/{subtype}":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        return ""


class _RecordingHandler:
    def __init__(self, server: "MailServer"):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        self.server._note_recipient()
        if self.server.rcpt_delay:
            # Slow before the message is sent: a client killed now leaves nothing at the server.
            await asyncio.sleep(self.server.rcpt_delay)
        code = self.server._refusal_for(address)
        if code:
            return REPLIES[code]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        if self.server.reply_delay:
            await asyncio.sleep(self.server.reply_delay)
        self.server._record(
            ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
        )
        return "250 2.0.0 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    def __init__(self, reply_delay: float = 0.0):
        self.messages: list[ReceivedMessage] = []
        self.reply_delay = reply_delay
        self.rcpt_delay = 0.0
        self.recipients_started = 0  # RCPT commands received, accepted or not
        self._refusals: dict[str, list] = {}
        self._lock = threading.Condition()
        self.port = free_port()
        self.controller = Controller(_RecordingHandler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "MailServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def refuse(self, address: str, code: int = 451, times: int | None = None) -> None:
        """Answer `code` to RCPT for `address`: `times` times, or always when None."""
        with self._lock:
            self._refusals[address.lower()] = [code, times]

    def _refusal_for(self, address: str) -> int | None:
        with self._lock:
            rule = self._refusals.get(address.lower())
            if not rule:
                return None
            code, times = rule
            if times is not None:
                if times <= 0:
                    return None
                rule[1] = times - 1
            return code

    def _note_recipient(self) -> None:
        with self._lock:
            self.recipients_started += 1

    def _record(self, received: ReceivedMessage) -> None:
        with self._lock:
            self.messages.append(received)
            self._lock.notify_all()

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.recipients_started = 0
            self._refusals.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least `count` messages arrived; fail the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} messages at the SMTP server, got {len(self.messages)}")
                self._lock.wait(remaining)
            return list(self.messages)

    def to(self, address: str) -> list[ReceivedMessage]:
        with self._lock:
            return [m for m in self.messages if address.lower() in (r.lower() for r in m.recipients)]
