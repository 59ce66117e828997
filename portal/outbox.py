"""The outbox: Celery tasks published by name, on commit, without ever hanging the caller on a dead
broker; and the one outbox of every automatic email (`enqueue_email`, below).

Services publish their side effects here and never import a tasks module: tasks import services,
so the import runs one way. A task is named by its dotted path ("alerts.tasks.plan_alert").

A publish that fails loses nothing that matters: the caller has already committed the row the
task works from (an Alert, a Delivery, a DataExport, a Notification...), and the app's sweeper
publishes it again. The failure costs a logged warning that names the task, never its arguments.

With tasks running eagerly (no broker: `make run` without Redis, the tests) the task runs here,
in-process, and a final failure raises.

Every automatic email is a portal.OutboundEmail row, unique per (kind, object, recipient), written
in the transaction of the action that causes it (`enqueue_email`). On commit its batch is published
(one broker message per 100 rows); `send_outbound_emails` claims each due row with SKIP LOCKED,
builds the message from its kind's builder (apps' `emails.py: OUTBOX_KINDS`), skips a suppressed
address, sends over one SMTP connection per batch and commits each outcome: sent; 5xx failed for
good (never retried; a mailbox refusal suppresses the address); 4xx or a dropped connection retried
with exponential backoff and jitter. Beat's sweeper publishes whatever waits longer than it should.
Alert deliveries keep their own table (alerts.Delivery), the same design tuned for the fan-out.
"""

import datetime
import logging
import random
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from itertools import islice

from celery import current_app
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from portal import suppression
from portal.emails import message_id
from portal.hooks import app_modules
from portal.models import OutboundEmail

Status = OutboundEmail.Status
PENDING = Status.PENDING

logger = logging.getLogger(__name__)


def publish(name: str, *args, countdown: float | None = None) -> bool:
    """Enqueue the task `name` once with `args`. True when it was published (or ran, eagerly)."""
    return publish_many(name, [args], countdown=countdown)


def publish_many(name: str, calls: Iterable[Sequence], *, countdown: float | None = None) -> bool:
    """Enqueue `name` once per argument tuple, over one broker connection, within about a second.

    `delay()` can block for seconds or longer while the broker is down (celery#4556): here the
    connection is made once, with a short bounded wait, and every message goes over it. False when
    the broker could not be reached (nothing, or only part of `calls`, was published).
    """
    calls = [tuple(args) for args in calls]
    if not calls:
        return True
    app = current_app
    if app.conf.task_always_eager:
        task = _registered_task(name)
        for args in calls:
            # No broker: run it here. Retries run at once, inside apply(); a final failure raises.
            task.apply(args=args, throw=False).get(disable_sync_subtasks=False)
        return True
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            for args in calls:
                app.send_task(name, args=args, countdown=countdown, connection=connection, retry=False)
    except (BrokerError, RedisError, OSError) as error:
        logger.warning("could not publish %s (%s); the sweeper will retry", name, type(error).__name__)
        return False
    return True


def on_commit(name: str, *args, countdown: float | None = None) -> None:
    """Publish the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(name, *args, countdown=countdown))


def on_commit_many(name: str, calls: Iterable[Sequence], *, countdown: float | None = None) -> None:
    """`publish_many` once the current transaction commits."""
    calls = [tuple(args) for args in calls]
    transaction.on_commit(lambda: publish_many(name, calls, countdown=countdown))


def _registered_task(name: str):
    # A worker autodiscovers every tasks module; in-process, load the one that defines the task.
    import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


# --- The email outbox: one row per (kind, object, recipient) ---------------------------------------

SEND_TASK = "portal.tasks.send_outbound_emails"
BATCH_SIZE = 100
# After this many temporary failures (4xx, a dropped connection) a row is given up as failed.
MAX_ATTEMPTS = 8
RETRY_BASE = datetime.timedelta(seconds=2)
RETRY_MAX = datetime.timedelta(minutes=5)
# The sweeper leaves younger rows to the task published on commit.
SWEEP_AFTER = datetime.timedelta(minutes=3)
# A finished row (and the address in it) is kept this long, to answer "was it sent?", then deleted.
RETENTION = datetime.timedelta(days=30)
# RFC 5321 mailbox refusals: the address itself is bad, so it goes on the suppression list.
MAILBOX_REFUSED = {550, 551, 553}


@dataclass(frozen=True)
class EmailKind:
    """How to make one kind of automatic email: `build(key=..., to=..., language=...)` returns the
    message for that recipient, or None when it no longer applies (the row is skipped). It runs in the
    row's transaction; a message with an `after_sent` callable has it called there once it was sent
    (community marks the replies it covered). `suppressible` False means it goes even to a suppressed
    address (a crisis flag must reach the moderators)."""

    build: Callable[..., EmailMessage | None]
    suppressible: bool = True


def email_kinds() -> dict[str, EmailKind]:
    """Every kind, from the apps' `emails.py: OUTBOX_KINDS` (the portal never imports an app by name)."""
    kinds: dict[str, EmailKind] = {}
    for module in app_modules("emails"):
        kinds.update(getattr(module, "OUTBOX_KINDS", {}))
    return kinds


Recipient = str | tuple[str, str]  # an address, or (address, language)


def enqueue_email(
    kind: str, key: object, recipients: Iterable[Recipient], *, countdown: float | None = None
) -> list[int]:
    """Write one outbox row per recipient, in the caller's transaction, and publish them on commit
    (`countdown` seconds later: a short debounce; the sweeper would send them after SWEEP_AFTER).

    A row that exists already (same kind, object and address) is left as it is: calling this twice
    sends nothing twice. Returns the ids of the rows still waiting for that kind and object."""
    rows, seen = [], set()
    for recipient in recipients:
        address, language = (recipient, "") if isinstance(recipient, str) else recipient
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        rows.append(OutboundEmail(kind=kind, object_key=str(key), recipient=address, language=language or ""))
    if not rows:
        return []
    with transaction.atomic():
        OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            OutboundEmail.objects.filter(
                kind=kind, object_key=str(key), recipient__in=[row.recipient for row in rows], status=PENDING
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    on_commit_many(SEND_TASK, [(batch,) for batch in _batched(ids)], countdown=countdown)
    return ids


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    to_retry: list[int] = field(default_factory=list)
    retry_at: datetime.datetime | None = None


def send_outbound_emails(*, ids: Sequence[int]) -> SendResult:
    """Send the due rows among `ids` over one SMTP connection, committing each outcome as it happens.

    Each row is claimed with SELECT ... FOR UPDATE SKIP LOCKED while pending and due, so a batch that
    runs twice, or two workers sharing ids, send nothing twice. A worker killed mid-send leaves its
    row pending (its transaction dies with it) and the sweeper publishes it again.
    """
    result, kinds, connection = SendResult(), email_kinds(), None
    try:
        for index, row_id in enumerate(ids):
            with transaction.atomic():
                row = (
                    OutboundEmail.objects.select_for_update(skip_locked=True)
                    .filter(pk=row_id, status=PENDING, next_attempt_at__lte=timezone.now())
                    .first()
                )
                if row is None:
                    continue  # sent already, not due yet, or being sent by another worker right now
                kind = kinds.get(row.kind)
                message = kind.build(key=row.object_key, to=row.recipient, language=row.language) if kind else None
                if message is None or (kind.suppressible and suppression.is_suppressed(row.recipient)):
                    _record(row, Status.SKIPPED, "" if message is None else "suppressed", result)
                    continue
                if connection is None:
                    connection = get_connection()
                message.connection = connection
                # A fixed Message-ID per row: a duplicate after a kill is recognisable as one.
                message.extra_headers["Message-ID"] = message_id(f"outbox-{row.pk}")
                status, code, usable = _send_one(message, connection)
                _record(row, status, code, result)
                if status == Status.SENT and callable(after_sent := getattr(message, "after_sent", None)):
                    after_sent()
                if status == Status.FAILED and code.isdigit() and int(code) in MAILBOX_REFUSED:
                    suppression.suppress_address(row.recipient, reason=suppression.Reason.HARD_BOUNCE)
            if not usable:
                result.to_retry.extend(ids[index + 1 :])
                break
    finally:
        if connection is not None:
            connection.close()
    return result


def _send_one(message, connection) -> tuple[str, str, bool]:
    """(status, error code, connection still usable). 5xx is permanent: failed, never retried."""
    try:
        # An SMTP connection is opened once for the batch (send() alone would open and close one per
        # message); backends without one (locmem, the providers' HTTP APIs) manage themselves.
        if getattr(connection, "connection", "not smtp") is None:
            connection.open()
        message.send()
    except smtplib.SMTPServerDisconnected:
        return PENDING, "disconnected", False
    except smtplib.SMTPException as error:
        code = smtp_code(error)
        if code is not None and 500 <= code < 600:
            return Status.FAILED, str(code), True
        return PENDING, str(code or type(error).__name__)[:40], True
    except OSError as error:
        return PENDING, type(error).__name__[:40], False
    return Status.SENT, "", True


def smtp_code(error: Exception) -> int | None:
    """The SMTP reply code of a refusal (the first recipient's when several were refused), or None."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return codes[0] if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff with jitter: 2 s, 4 s, 8 s ... up to 5 minutes, each between half and all of it."""
    ceiling = min(RETRY_MAX, RETRY_BASE * 2 ** (attempts - 1))
    return ceiling * random.uniform(0.5, 1.0)


def _record(row: OutboundEmail, status: str, code: str, result: SendResult) -> None:
    now = timezone.now()
    row.last_error = code
    if status == Status.SKIPPED:
        result.skipped += 1
    else:
        row.attempts += 1
    if status == Status.SENT:
        row.sent_at = now
        result.sent += 1
    elif status == Status.FAILED:
        result.failed += 1
        logger.info("outbox %s #%s refused for good (%s)", row.kind, row.pk, code)
    elif status == PENDING:
        if row.attempts >= MAX_ATTEMPTS:
            status = Status.FAILED
            result.failed += 1
        else:
            row.next_attempt_at = now + retry_delay(row.attempts)
            result.to_retry.append(row.pk)
            result.retry_at = min(filter(None, [result.retry_at, row.next_attempt_at]))
    row.status = status
    row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])


def publish_retries(result: SendResult) -> None:
    """Publish the rows a batch must try again, to run when the first of them is due (the sweeper
    catches them too if this is lost)."""
    if result.to_retry:
        countdown = max(0.0, (result.retry_at - timezone.now()).total_seconds()) if result.retry_at else 0.0
        publish_many(SEND_TASK, [(batch,) for batch in _batched(result.to_retry)], countdown=countdown)


def sweep_outbound_emails(*, older_than: datetime.timedelta = SWEEP_AFTER, limit: int = 10_000) -> int:
    """Beat, every minute: publish rows a lost task or a broker outage left waiting, one broker message
    per batch of 100. Touched rows are left to that task for the next `older_than`. How many went.
    Finished rows past RETENTION are deleted (at most 1,000 a run)."""
    now = timezone.now()
    delete_finished_rows(now=now)
    due = list(
        OutboundEmail.objects.filter(status=PENDING, next_attempt_at__lte=now - older_than)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    batches = list(_batched(due))
    if not batches or not publish_many(SEND_TASK, [(batch,) for batch in batches]):
        return 0
    OutboundEmail.objects.filter(pk__in=due, status=PENDING).update(next_attempt_at=now)
    return len(due)


def delete_finished_rows(*, now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - RETENTION
    old = OutboundEmail.objects.exclude(status=PENDING).filter(created_at__lt=cutoff).order_by("pk")
    return OutboundEmail.objects.filter(pk__in=list(old.values_list("pk", flat=True)[:1000])).delete()[0]


def _batched(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk
