"""The SMTP server of a run: aiosmtpd in its own process, counting what it accepts."""

import multiprocessing
import socket
import time


def _serve(port: int, delay: float, ready, stop, counters) -> None:
    """Child process: aiosmtpd on 127.0.0.1:port, counting accepted messages and distinct recipients.

    counters: [accepted, distinct recipients, monotonic time of the last acceptance]; the time is
    written before the count, so a reader that sees the count also sees its time.
    """
    import asyncio
    import logging

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    seen: set[str] = set()
    accepted, distinct, last_at = counters

    class DelayedSMTP(SMTP):
        async def push(self, status):
            if delay:
                await asyncio.sleep(delay)  # every reply: greeting, EHLO, MAIL, RCPT, DATA, end of data
            await super().push(status)

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):
            seen.update(address.lower() for address in envelope.rcpt_tos)
            last_at.value = time.monotonic()
            distinct.value = len(seen)
            accepted.value += 1
            return "250 2.0.0 Message accepted"

    class DelayedController(Controller):
        def factory(self):
            return DelayedSMTP(self.handler, **self.SMTP_kwargs)

    controller = DelayedController(
        CountingHandler(), hostname="127.0.0.1", port=port, server_hostname="smtp.bench.invalid"
    )
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self, *, delay: float = 0.0):
        context = multiprocessing.get_context("spawn")  # no fork of a process holding DB connections
        self.port, self.delay = free_port(), delay
        self._ready, self._stop = context.Event(), context.Event()
        self._counters = (context.RawValue("q", 0), context.RawValue("q", 0), context.RawValue("d", 0.0))
        self._process = context.Process(
            target=_serve, args=(self.port, delay, self._ready, self._stop, self._counters), daemon=True
        )

    def __enter__(self) -> "SmtpServer":
        self._process.start()
        if not self._ready.wait(30):
            self.__exit__()
            raise RuntimeError("the SMTP server did not start")
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def accepted(self) -> int:
        return self._counters[0].value

    @property
    def distinct(self) -> int:
        return self._counters[1].value

    @property
    def last_at(self) -> float:
        return self._counters[2].value

    def wait_for(self, count: int, *, timeout: float, alive=lambda: True) -> bool:
        deadline = time.monotonic() + timeout
        while self.accepted < count:
            if time.monotonic() > deadline or not alive():
                return False
            time.sleep(0.01)
        return True
