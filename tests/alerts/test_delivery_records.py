"""How the fan-out writes its outcomes (alerts.services.delivery_records): statements prepared once per
database connection and kept across batches, each message its own transaction committed with
synchronous_commit off (and the setting never leaking past it), BEGIN + claim and record + COMMIT in
one round trip each when no caller's transaction is open."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from alerts import services
from alerts.models import Alert, Delivery
from tests.alerts.factories import SchoolFactory, SubscriptionFactory


def planned_batch(count: int) -> list[int]:
    school = SchoolFactory()
    SubscriptionFactory.create_batch(count, school=school)
    today = datetime.date(2026, 11, 20)
    alert = Alert.objects.create(
        school=school, scope="school", kind="strep", iso_year=2026, iso_week=47,
        window_start=today - datetime.timedelta(days=2), window_end=today,
    )  # fmt: skip
    (batch,) = services.plan_alert(alert_id=alert.pk)
    return batch


def statements(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_a_worker_commits_each_message_in_two_round_trips_with_statements_prepared_once(mail_server):
    connection.close()  # a fresh session, as a worker's first batch
    first, second = planned_batch(3), planned_batch(2)

    with CaptureQueriesContext(connection) as context:
        assert services.send_deliveries(delivery_ids=first).sent == 3
    sql = statements(context)
    assert sum(query.startswith("PREPARE ") for query in sql) == 2
    claims = [query for query in sql if "EXECUTE alerts_delivery_claim" in query]
    records = [query for query in sql if "EXECUTE alerts_delivery_record" in query]
    assert len(claims) == len(records) == 3
    assert all(query.startswith("BEGIN; SET LOCAL synchronous_commit = off;") for query in claims)
    assert all(query.endswith("; COMMIT") for query in records)
    assert connection.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE

    backend = connection.connection.get_backend_pid()
    with CaptureQueriesContext(connection) as context:
        assert services.send_deliveries(delivery_ids=second).sent == 2
    assert not any(query.startswith("PREPARE ") for query in statements(context))  # the same session
    assert connection.connection.get_backend_pid() == backend

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # SET LOCAL ended with each transaction
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail_server.wait_for(5)) == 5


@pytest.mark.django_db(transaction=True)
def test_an_error_mid_batch_rolls_back_the_open_transaction_and_keeps_the_row_pending(mail_server, monkeypatch):
    batch = planned_batch(2)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug while building the message")

    monkeypatch.setattr(services.sending.Batch, "send", broken)
    with pytest.raises(RuntimeError):
        services.send_deliveries(delivery_ids=batch)

    assert connection.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert mail_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_550_in_a_workers_transaction_suppresses_the_subscription_with_the_record(mail_server):
    batch = planned_batch(2)
    refused = Delivery.objects.select_related("subscription").get(pk=batch[0]).subscription
    mail_server.refuse(refused.email, code=550)

    result = services.send_deliveries(delivery_ids=batch)

    assert (result.sent, result.suppressed) == (1, 1)
    assert connection.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE
    refused.refresh_from_db()
    assert refused.status == "suppressed" and refused.suppressed_at
    delivery = Delivery.objects.get(pk=batch[0])
    assert (delivery.status, delivery.attempts, delivery.last_error_code) == ("suppressed", 1, "550")


@pytest.mark.django_db
def test_inside_a_callers_transaction_each_message_gets_a_savepoint(mail_server):
    batch = planned_batch(2)
    with CaptureQueriesContext(connection) as context:
        assert services.send_deliveries(delivery_ids=batch).sent == 2
    sql = statements(context)
    assert not any(query.startswith(("BEGIN", "COMMIT")) or query.endswith("COMMIT") for query in sql)
    assert sum(query.startswith("SAVEPOINT") for query in sql) == 2
    assert connection.in_atomic_block  # the test's own transaction is still open
