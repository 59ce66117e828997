"""Done-when: a school with 2,000 confirmed subscribers, a real Celery worker on Redis, the real
SMTP server — exactly one message per address, also when the fan-out runs twice and when a
worker is killed mid-way and the sweeper finishes the job."""

import datetime
import time
from collections import Counter

import pytest
from django.contrib.admin import helpers

from accounts.roles import Role
from alerts import services, tasks
from alerts.models import Alert, Delivery, ExposureReport, Subscription
from portal import outbox
from portal.celery import app as celery_app
from tests.alerts.factories import ExposureReportFactory, SchoolFactory
from tests.alerts.worker_process import WorkerProcess, wait_until
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

AUDIENCE = 2000


def school_with_subscribers(count: int):
    school = SchoolFactory()
    Subscription.objects.bulk_create(
        Subscription(email=f"parent{n}@example.net", school=school, status="active", confirmed_ip="127.0.0.1")
        for n in range(count)
    )
    return school


def approve_now(report) -> Alert:
    moderator = UserFactory(roles=[Role.MODERATOR])
    return services.approve_report(report=report, moderator=moderator)


def assert_each_address_once(mail_server, count: int) -> None:
    received = Counter(m.recipients[0] for m in mail_server.messages)
    assert len(received) == count
    assert set(received.values()) == {1}


@pytest.fixture
def broker(settings):
    """Tasks go to Redis (this run's REDIS_URL), from an empty queue."""
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)
    yield celery_app.conf.broker_url
    celery_app.conf.task_always_eager = True


def test_two_thousand_subscribers_get_exactly_one_message_each_even_if_fan_out_runs_twice(mail_server, celery_worker):
    school = school_with_subscribers(AUDIENCE)
    started = time.monotonic()
    alert = approve_now(ExposureReportFactory(school=school))  # commits; on commit publishes plan_alert
    tasks.plan_alert.delay(alert.pk)  # the fan-out task a second time
    mail_server.wait_for(AUDIENCE, timeout=120)
    wait_until(lambda: not Delivery.objects.filter(alert=alert, status="pending").exists())
    elapsed = time.monotonic() - started

    tasks.plan_alert.delay(alert.pk)  # and a third time, after the fact
    time.sleep(1)
    assert Delivery.objects.filter(alert=alert).count() == AUDIENCE
    assert Delivery.objects.filter(alert=alert, status="sent").count() == AUDIENCE
    assert len(mail_server.messages) == AUDIENCE
    assert_each_address_once(mail_server, AUDIENCE)
    alert.refresh_from_db()
    assert alert.audience_size == AUDIENCE
    assert elapsed < 90


def test_worker_killed_mid_batch_then_the_sweeper_finishes_with_at_most_one_duplicate(mail_server, broker):
    school = school_with_subscribers(AUDIENCE)
    first = WorkerProcess(broker_url=broker, smtp_port=mail_server.port).start()
    try:
        alert = approve_now(ExposureReportFactory(school=school))
        outbox.publish("alerts.tasks.plan_alert", alert.pk)
        wait_until(lambda: len(mail_server.messages) >= 250, timeout=60)
    finally:
        first.kill()
    sent_before_sweep = len(mail_server.messages)
    assert sent_before_sweep < AUDIENCE, "the worker finished before it could be killed"

    second = WorkerProcess(broker_url=broker, smtp_port=mail_server.port).start()
    try:
        # The killed task stays unacknowledged in Redis for an hour: the sweeper does not wait.
        services.sweep(older_than=datetime.timedelta(0))
        wait_until(lambda: not Delivery.objects.filter(alert=alert, status="pending").exists(), timeout=120)
        wait_until(lambda: len({m.recipients[0] for m in mail_server.messages}) == AUDIENCE, timeout=60)
    finally:
        second.stop()

    received = Counter(m.recipients[0] for m in mail_server.messages)
    assert len(received) == AUDIENCE  # every address received it
    assert sum(received.values()) - AUDIENCE <= 1  # at most one duplicate for the one kill
    assert Delivery.objects.filter(alert=alert, status="sent").count() == AUDIENCE


def test_redis_stopped_while_a_report_is_approved_then_the_sweeper_delivers(
    client, mail_server, private_redis, settings
):
    original_broker = celery_app.conf.broker_url
    try:
        # Cache and broker on a Redis of this test's own (as in tests/portal/test_healthz.py).
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": private_redis.url,
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            }
        }
        celery_app.conf.broker_url = private_redis.url
        celery_app.conf.task_always_eager = False
        school = SchoolFactory()
        Subscription.objects.create(email="waiting@example.net", school=school, status="active")
        report = ExposureReportFactory(school=school)
        admin = UserFactory(is_staff=True, is_superuser=True)
        client.login(email=admin.email, password=DEFAULT_PASSWORD)

        private_redis.stop()
        started = time.monotonic()
        response = client.post(
            "/admin/alerts/exposurereport/",
            {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [report.pk]},
        )
        took = time.monotonic() - started
        assert response.status_code == 302  # back to the list, no 5xx
        assert took < 2, f"the approval took {took:.1f}s while Redis was down"
        report.refresh_from_db()
        assert report.status == ExposureReport.Status.APPROVED
        alert = report.alert
        assert alert.planned_at is None  # the outbox row waits for the sweeper
        assert not mail_server.messages

        private_redis.start()
        worker = WorkerProcess(broker_url=private_redis.url, smtp_port=mail_server.port).start()
        try:
            assert services.sweep(older_than=datetime.timedelta(0)).alerts == 1
            (message,) = mail_server.wait_for(1, timeout=60)
        finally:
            worker.stop()
        assert message.recipients == ["waiting@example.net"]
        wait_until(lambda: Delivery.objects.filter(alert=alert, status="sent").count() == 1)
    finally:
        celery_app.conf.broker_url = original_broker
        celery_app.conf.task_always_eager = True


def test_451_with_a_real_worker_is_delivered_on_retry(mail_server, celery_worker):
    school = SchoolFactory()
    Subscription.objects.create(email="busy@example.net", school=school, status="active")
    Subscription.objects.create(email="fine@example.net", school=school, status="active")
    mail_server.refuse("busy@example.net", code=451, times=1)
    alert = approve_now(ExposureReportFactory(school=school))
    mail_server.wait_for(2, timeout=60)
    assert len(mail_server.to("busy@example.net")) == 1
    wait_until(lambda: Delivery.objects.filter(alert=alert, status="sent").count() == 2)
    busy = Delivery.objects.get(alert=alert, subscription__email="busy@example.net")
    assert busy.attempts == 2
