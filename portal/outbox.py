"""Publish Celery tasks by name, on commit, without ever hanging the caller on a dead broker.

Services publish their side effects here and never import a tasks module: tasks import services,
so the import runs one way. A task is named by its dotted path ("alerts.tasks.plan_alert").

A publish that fails loses nothing that matters: the caller has already committed the row the
task works from (an Alert, a Delivery, a DataExport, a Notification...), and the app's sweeper
publishes it again. The failure costs a logged warning that names the task, never its arguments.

With tasks running eagerly (no broker: `make run` without Redis, the tests) the task runs here,
in-process, and a final failure raises.
"""

import logging
from collections.abc import Iterable, Sequence
from importlib import import_module

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

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
