"""One timed run: the raw smtplib floor, or the portal's fan-out from approval to the last message."""

import os
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from bench.fanout.data import (
    MODERATOR_EMAIL,
    PLACEHOLDER_ADDRESS,
    REPORTER_EMAIL,
    SCHOOL_SLUG,
    cleanup,
    subscriber_address,
)
from bench.fanout.procfs import TICKS_PER_SECOND, cpu_deltas, cpu_snapshot
from bench.fanout.smtp_server import SmtpServer
from bench.fanout.worker import Worker, purge_queue


@dataclass
class Run:
    count: int
    accepted: int
    distinct: int
    seconds: float | None  # None: timed out
    concurrency: int = 0
    peak_memory_mb: float = 0.0
    cpu_ms_per_message: dict[str, float] | None = None

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        if self.seconds is None:
            return f"timed out: {self.accepted:,}/{self.count:,} accepted"
        return f"{self.count:,} in {self.seconds:.2f} s = {self.per_second:,.0f}/s"

    def cpu_text(self) -> str:
        parts = sorted((self.cpu_ms_per_message or {}).items(), key=lambda item: -item[1])
        return ", ".join(f"{group} {ms:.2f} ms" for group, ms in parts if ms >= 0.005)


def _cpu_per_message(before, after, count: int) -> dict[str, float]:
    return {group: ticks / TICKS_PER_SECOND * 1000 / count for group, ticks in cpu_deltas(before, after).items()}


def for_recipient(template: bytes, address: str) -> bytes:
    """The pre-rendered floor message with its placeholder recipient replaced (same size and shape)."""
    return template.replace(PLACEHOLDER_ADDRESS.encode(), address.encode())


def floor_message() -> tuple[str, bytes]:
    """An alert for the bench school as the portal builds it, for a placeholder recipient: (from, bytes)."""
    from django.utils import timezone

    from alerts import emails
    from alerts.models import Alert, School, Subscription

    school = School.objects.get(slug=SCHOOL_SLUG)
    today = timezone.localdate()
    year, week, _ = today.isocalendar()
    alert = Alert(pk=0, school=school, scope="school", kind="strep", iso_year=year, iso_week=week,
                  window_start=today - timedelta(days=1), window_end=today)  # fmt: skip
    message = emails.alert_message(
        alert=alert, subscription=Subscription(pk=0, email=PLACEHOLDER_ADDRESS, school=school)
    )
    return message.from_email, message.message().as_bytes(linesep="\r\n")  # as Django's SMTP backend


def raw_floor(*, count: int, delay: float = 0.0, timeout: float) -> Run:
    """A plain smtplib loop over one connection, until the server accepted the last message."""
    sender, template = floor_message()
    messages = [(subscriber_address(n), for_recipient(template, subscriber_address(n))) for n in range(count)]
    with SmtpServer(delay=delay) as server:
        before = cpu_snapshot({"SMTP server": [server.pid], "smtplib client": [os.getpid()]})
        started = time.monotonic()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as smtp:
            for address, data in messages:
                smtp.sendmail(sender, [address], data)
                if time.monotonic() - started > timeout:
                    break
        done = server.wait_for(count, timeout=5)
        after = cpu_snapshot({"SMTP server": [server.pid], "smtplib client": [os.getpid()]})
        run = Run(count, server.accepted, server.distinct, server.last_at - started if done else None)
        run.cpu_ms_per_message = _cpu_per_message(before, after, count)
        return run


def portal_run(*, env: dict, slug: str, count: int, concurrency: int, delay: float, timeout: float) -> Run:
    """Approve a report for the school; time until the SMTP server accepted `count` messages."""
    from django.utils import timezone

    from accounts.models import User
    from alerts import services
    from alerts.models import Delivery, School

    school = School.objects.get(slug=slug)
    reporter, moderator = User.objects.get(email=REPORTER_EMAIL), User.objects.get(email=MODERATOR_EMAIL)
    today = timezone.localdate()
    cleanup()
    purge_queue()
    try:
        with (
            SmtpServer(delay=delay) as server,
            Worker(env=env, smtp_port=server.port, concurrency=concurrency) as worker,
        ):
            report = services.submit_report(reporter=reporter, school=school, kind="strep",
                                            window_start=today - timedelta(days=1), window_end=today)  # fmt: skip
            groups = {"worker": worker.pids(), "SMTP server": [server.pid], "bench process": [os.getpid()]}
            before = cpu_snapshot(groups)
            started = time.monotonic()
            alert = services.approve_report(report=report, moderator=moderator)  # on commit: plan_alert
            done = server.wait_for(count, timeout=timeout, alive=worker.alive)
            seconds = server.last_at - started if done else None
            after = cpu_snapshot({**groups, "worker": worker.pids()})
            # Let the worker record the last outcomes before the rows go away.
            deadline = time.monotonic() + 15
            while Delivery.objects.filter(alert=alert, status="pending").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)  # and count any duplicate that would still arrive
            run = Run(count, server.accepted, server.distinct, seconds, concurrency, worker.peak_memory_mb())
            run.cpu_ms_per_message = _cpu_per_message(before, after, count)
            return run
    finally:
        cleanup()
        purge_queue()
