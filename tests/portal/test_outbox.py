"""portal.outbox: tasks published by name, after the commit, over one bounded broker connection."""

import ast
import json
import logging
import re
import socket
import time
from importlib import import_module
from pathlib import Path

import pytest
import redis

from portal import outbox
from portal.celery import app as celery_app

NOTE = "tests.portal.test_outbox.note"
FAIL = "tests.portal.test_outbox.fail"
TASK_NAME = re.compile(r"[a-z_]+\.tasks\.[a-z_]+")
noted: list = []


@celery_app.task(name=NOTE)
def note(value):
    noted.append(value)


@celery_app.task(name=FAIL)
def fail():
    raise ValueError("the task failed")


@pytest.fixture(autouse=True)
def _nothing_noted():
    noted.clear()


@pytest.fixture
def broker():
    """Tasks go to this run's Redis, into an empty queue; yields a reader of the queued messages."""
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge(celery_app.conf.task_default_queue)
        client = redis.Redis.from_url(celery_app.conf.broker_url)

        def queued() -> list[dict]:
            # kombu's Redis transport pushes each message, as JSON, on a list named after the queue.
            return [json.loads(raw)["headers"] for raw in client.lrange(celery_app.conf.task_default_queue, 0, -1)]

        yield queued
        channel.queue_purge(celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = True


@pytest.fixture
def broker_down():
    """A broker address where nothing listens (a port just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.broker_url = original
    celery_app.conf.task_always_eager = True


def test_eager_mode_runs_the_task_in_process_by_its_name():
    assert outbox.publish(NOTE, "first") is True
    assert outbox.publish_many(NOTE, [("second",), ("third",)]) is True
    assert noted == ["first", "second", "third"]


def test_eager_mode_raises_a_failed_task():
    with pytest.raises(ValueError, match="the task failed"):
        outbox.publish(FAIL)


@pytest.mark.django_db
def test_on_commit_publishes_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.on_commit(NOTE, "after commit")
        outbox.on_commit_many(NOTE, [("one",), ("two",)])
    assert noted == []
    for callback in callbacks:
        callback()
    assert noted == ["after commit", "one", "two"]


def test_broker_down_returns_false_at_once_and_logs_the_task_name_only(broker_down, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="portal.outbox"):
        published = outbox.publish_many(NOTE, [("parent@example.org",), ("second@example.org",)])
    assert published is False
    assert time.monotonic() - started < 3
    (record,) = [r for r in caplog.records if r.name == "portal.outbox"]
    assert record.levelno == logging.WARNING
    assert NOTE in record.getMessage() and "the sweeper will retry" in record.getMessage()
    assert "example.org" not in caplog.text
    assert noted == []


def test_many_calls_go_over_one_connection_with_their_countdown(broker, monkeypatch):
    opened, carried_by = [], []
    connection_for_write, send_task_message = celery_app.connection_for_write, celery_app.amqp.send_task_message

    def opening(*args, **kwargs):
        opened.append(connection_for_write(*args, **kwargs))
        return opened[-1]

    def recording_send(producer, name, message, **options):
        carried_by.append(producer.connection)
        return send_task_message(producer, name, message, **options)

    monkeypatch.setattr(celery_app, "connection_for_write", opening)
    monkeypatch.setattr(celery_app.amqp, "send_task_message", recording_send)

    assert outbox.publish_many(NOTE, [(1,), (2,), (3,)], countdown=30) is True

    # Every message went over the connection the outbox opened (with its bounded wait), none
    # over one of Celery's pooled connections.
    assert len(carried_by) == 3 and all(connection is opened[0] for connection in carried_by)
    messages = broker()
    assert [m["task"] for m in messages] == [NOTE] * 3
    assert sorted(m["argsrepr"] for m in messages) == ["(1,)", "(2,)", "(3,)"]
    assert all(m["eta"] for m in messages)  # the countdown travels with each message
    assert noted == []  # published, not run here


def test_an_empty_batch_publishes_nothing_and_opens_no_connection(broker, monkeypatch):
    monkeypatch.setattr(celery_app, "connection_for_write", lambda *a, **k: pytest.fail("a connection was opened"))
    assert outbox.publish_many(NOTE, []) is True
    assert broker() == []


def test_every_task_named_in_the_apps_exists():
    # A task is published (and scheduled) by its dotted name: a misspelt name would only show as a
    # task that never runs.
    root = Path(__file__).resolve().parents[2]
    sources = [
        path for app in root.glob("*/apps.py") for path in app.parent.rglob("*.py") if "migrations" not in path.parts
    ]
    named = {
        node.value
        for path in sources
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TASK_NAME.fullmatch(node.value)
    }
    assert len(named) > 10  # the scan finds them
    for name in sorted(named):
        import_module(name.rsplit(".", 1)[0])
    assert sorted(name for name in named if name not in celery_app.tasks) == []
