"""The email outbox (portal.outbox, portal.OutboundEmail): a row per (kind, object, recipient), claimed
with SKIP LOCKED, sent over one connection per batch, 4xx retried with backoff and jitter, 5xx never,
and swept by beat in batches. Every kind's end-to-end behaviour is in test_email_outbox_kinds.py."""

import ast
import datetime
import json
import logging
import threading

import pytest
import redis
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import delete_account
from portal import outbox, suppression
from portal.celery import app as celery_app
from portal.emails import site_domain
from portal.models import OutboundEmail
from tests.factories import UserFactory
from tests.support.smtp import free_port

NOTE = "tests.note"
ALWAYS = "tests.always"


def _note(*, key: str, to: str, language: str):
    return None if key == "gone" else EmailMessage(subject=f"Note {key}", body="A note.", to=[to])


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch):
    kinds = {NOTE: outbox.EmailKind(_note), ALWAYS: outbox.EmailKind(_note, suppressible=False)}
    monkeypatch.setattr(outbox, "email_kinds", lambda: kinds)


def pending_ids() -> list[int]:
    return list(OutboundEmail.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True))


def enqueue_without_sending(kind: str, key, recipients) -> list[int]:
    """Rows written and committed, their on-commit publish dropped (as if the broker were down)."""
    with transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "on_commit_many", lambda *args, **kwargs: None)
        return outbox.enqueue_email(kind, key, recipients)


@pytest.mark.django_db
def test_the_same_kind_object_and_recipient_is_one_row_and_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_email(NOTE, 7, ["a@example.net", "A@example.net", ("b@example.net", "es")])
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_email(NOTE, 7, ["a@example.net"])  # the action runs a second time
    assert OutboundEmail.objects.filter(kind=NOTE, object_key="7").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.net", "b@example.net"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert OutboundEmail.objects.get(recipient="b@example.net").language == "es"
    # Each message carries its row's Message-ID: a copy after a kill is recognisably the same one.
    for message in mail.outbox:
        row = OutboundEmail.objects.get(recipient=message.to[0])
        assert message.extra_headers["Message-ID"] == f"<outbox-{row.pk}@{site_domain()}>"


@pytest.mark.django_db
def test_rows_are_written_in_the_callers_transaction_and_vanish_with_its_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue_email(NOTE, 1, ["a@example.net"])
        raise RuntimeError("the action failed")
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_batch_send_each_row_once(mail_server):
    ids = enqueue_without_sending(NOTE, 1, [f"parent{n}@example.net" for n in range(20)])
    mail_server.rcpt_delay = 0.02
    results = []

    def worker():
        try:
            results.append(outbox.send_outbound_emails(ids=ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(result.sent for result in results) == 20
    assert all(result.sent for result in results), "both workers took a share"
    assert sorted(m.recipients[0] for m in mail_server.messages) == sorted(f"parent{n}@example.net" for n in range(20))


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for(mail_server):
    (row_id,) = enqueue_without_sending(NOTE, 1, ["locked@example.net"])
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                OutboundEmail.objects.select_for_update().get(pk=row_id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    locked.wait(10)
    try:
        assert outbox.send_outbound_emails(ids=[row_id]).sent == 0
    finally:
        release.set()
        thread.join()
    assert not mail_server.messages
    assert outbox.send_outbound_emails(ids=[row_id]).sent == 1


@pytest.mark.django_db
def test_a_4xx_is_retried_later_with_backoff_and_jitter(mail_server):
    (busy, fine) = enqueue_without_sending(NOTE, 1, ["busy@example.net", "fine@example.net"])
    mail_server.refuse("busy@example.net", code=451, times=1)
    before = timezone.now()
    result = outbox.send_outbound_emails(ids=[busy, fine])
    assert (result.sent, result.to_retry) == (1, [busy])
    row = OutboundEmail.objects.get(pk=busy)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "451")
    # The first retry waits between half of and all of 2 seconds.
    assert (
        before + datetime.timedelta(seconds=1) <= row.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=2)
    )
    assert result.retry_at == row.next_attempt_at

    assert outbox.send_outbound_emails(ids=[busy]).sent == 0  # not due yet: nothing sent early
    OutboundEmail.objects.filter(pk=busy).update(next_attempt_at=timezone.now())
    assert outbox.send_outbound_emails(ids=[busy]).sent == 1
    assert len(mail_server.to("busy@example.net")) == 1
    assert OutboundEmail.objects.get(pk=busy).attempts == 2


def test_backoff_doubles_up_to_five_minutes_and_is_jittered():
    delays = [outbox.retry_delay(attempt).total_seconds() for attempt in range(1, 12)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(300, 2 * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(outbox.retry_delay(3).total_seconds(), 6) for _ in range(20)}) > 1


@pytest.mark.django_db
def test_out_of_attempts_a_row_fails_for_good(mail_server):
    (row_id,) = enqueue_without_sending(NOTE, 1, ["busy@example.net"])
    OutboundEmail.objects.filter(pk=row_id).update(attempts=outbox.MAX_ATTEMPTS - 1)
    mail_server.refuse("busy@example.net", code=451)
    result = outbox.send_outbound_emails(ids=[row_id])
    assert (result.failed, result.to_retry) == (1, [])
    assert OutboundEmail.objects.get(pk=row_id).status == "failed"


@pytest.mark.django_db
def test_a_5xx_fails_at_once_is_never_retried_suppresses_the_mailbox_and_logs_no_address(mail_server, caplog):
    (row_id,) = enqueue_without_sending(NOTE, 1, ["gone@example.net"])
    mail_server.refuse("gone@example.net", code=550)
    with caplog.at_level(logging.DEBUG):
        result = outbox.send_outbound_emails(ids=[row_id])
    assert (result.failed, result.to_retry) == (1, [])
    row = OutboundEmail.objects.get(pk=row_id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "550")
    assert suppression.is_suppressed("gone@example.net")
    assert "gone@example.net" not in caplog.text
    OutboundEmail.objects.filter(pk=row_id).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert outbox.send_outbound_emails(ids=[row_id]).failed == 0
    assert outbox.sweep_outbound_emails(older_than=datetime.timedelta(0)) == 0


@pytest.mark.django_db
def test_a_suppressed_address_is_skipped_unless_the_kind_must_always_go(mail_server):
    suppression.suppress_address("stopped@example.net", reason=suppression.Reason.COMPLAINT)
    note = enqueue_without_sending(NOTE, 1, ["stopped@example.net"])
    always = enqueue_without_sending(ALWAYS, 1, ["stopped@example.net"])
    gone = enqueue_without_sending(NOTE, "gone", ["other@example.net"])
    result = outbox.send_outbound_emails(ids=note + always + gone)
    assert (result.sent, result.skipped) == (1, 2)
    assert [m.message["Subject"] for m in mail_server.messages] == ["Note 1"]
    assert OutboundEmail.objects.get(pk=note[0]).last_error == "suppressed"


@pytest.fixture
def broker():
    """Tasks go to this run's Redis, into an empty queue; yields a reader of the queued task arguments."""
    celery_app.conf.task_always_eager = False
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    queue = celery_app.conf.task_default_queue
    client.delete(queue)

    def queued() -> list:
        messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
        return [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages]

    yield queued
    client.delete(queue)
    celery_app.conf.task_always_eager = True


@pytest.mark.django_db
def test_the_sweeper_publishes_waiting_rows_one_message_per_hundred_and_leaves_them_to_that_task(broker):
    ids = enqueue_without_sending(NOTE, 1, [f"parent{n}@example.net" for n in range(250)])
    fresh = enqueue_without_sending(NOTE, 2, ["fresh@example.net"])
    OutboundEmail.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=10))
    assert outbox.sweep_outbound_emails() == 250
    queued = broker()
    assert [task for task, _ in queued] == [outbox.SEND_TASK] * 3
    batches = [ast.literal_eval(args)[0] for _, args in queued]
    assert sorted(len(batch) for batch in batches) == [50, 100, 100]
    assert sorted(pk for batch in batches for pk in batch) == ids
    assert fresh[0] not in ids
    # Just touched: the next sweep leaves them to the task it published.
    assert outbox.sweep_outbound_emails() == 0
    assert len(broker()) == 3


@pytest.mark.django_db
def test_a_sweep_with_the_broker_down_publishes_nothing_and_keeps_the_rows_due(settings):
    ids = enqueue_without_sending(NOTE, 1, ["waiting@example.net"])
    OutboundEmail.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=10))
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    try:
        assert outbox.sweep_outbound_emails() == 0
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = original, True
    assert OutboundEmail.objects.get().next_attempt_at < timezone.now() - datetime.timedelta(minutes=5)


@pytest.mark.django_db
def test_erasing_a_member_deletes_the_outbox_rows_of_their_address_and_exports_them_first():
    from accounts.member_data import export

    member = UserFactory(email="Rowan.Parent@example.org")
    enqueue_without_sending(NOTE, 1, ["rowan.parent@example.org"])
    enqueue_without_sending(NOTE, 1, ["someone.else@example.org"])
    assert [row["kind"] for row in export(member)["automatic_emails"]] == [NOTE]
    delete_account(user=member)
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == ["someone.else@example.org"]


@pytest.mark.django_db
def test_finished_rows_are_deleted_after_thirty_days_and_waiting_ones_never():
    sent, waiting = enqueue_without_sending(NOTE, 1, ["sent@example.net", "waiting@example.net"])
    OutboundEmail.objects.filter(pk=sent).update(status="sent")
    OutboundEmail.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert outbox.delete_finished_rows() == 1
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [waiting]


@pytest.mark.django_db
def test_one_smtp_connection_per_batch_and_a_refused_connection_is_retried_with_backoff(mail_server, settings):
    ids = enqueue_without_sending(NOTE, 1, [f"parent{n}@example.net" for n in range(3)])
    sessions = []
    original = mail_server.controller.handler.handle_RCPT

    async def counting(server, session, envelope, address, options):
        sessions.append(id(session))
        return await original(server, session, envelope, address, options)

    mail_server.controller.handler.handle_RCPT = counting
    assert outbox.send_outbound_emails(ids=ids).sent == 3
    assert len(set(sessions)) == 1

    more = enqueue_without_sending(NOTE, 2, ["a@example.net", "b@example.net"])
    settings.EMAIL_PORT = free_port()  # nothing listens: the server is down
    result = outbox.send_outbound_emails(ids=more)
    assert (result.sent, sorted(result.to_retry)) == (0, sorted(more))
    first = OutboundEmail.objects.get(pk=more[0])
    assert (first.status, first.attempts, first.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert first.next_attempt_at > timezone.now()
