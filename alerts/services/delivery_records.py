"""Claiming and recording one delivery per transaction, in as few round trips as PostgreSQL allows.

Each message of a batch: claim its row (`SELECT ... FOR UPDATE SKIP LOCKED`, only while pending),
send, record the outcome, commit. The statements are prepared once per database connection (the
connection outlives batches: CONN_MAX_AGE), and each transaction commits with
`synchronous_commit = off`: the outcome is committed per message and visible at once, but the commit
does not wait for the WAL flush. A PostgreSQL crash can lose the last fraction of a second of
outcomes: those rows are pending again and the sweeper re-sends them (at-least-once, as a worker
killed between the SMTP "250" and the commit already is).

Outside any transaction (a worker), BEGIN, the setting and the claim go to the server in one round
trip, and the record with COMMIT in another. Inside one (a test's, or a caller's atomic block), each
message gets a savepoint instead. Both need the worker to keep its own PostgreSQL session (as a
direct connection does): a pooler in transaction mode would lose the prepared statements.
"""

import contextlib

from django.db import DatabaseError, connection, transaction

from alerts.models import SendStatus

STATEMENTS = {
    # -> (subscription status, attempts so far), or no row: sent already, or another worker holds it
    "alerts_delivery_claim": """
        SELECT s.status, d.attempts FROM alerts_delivery d JOIN alerts_subscription s ON s.id = d.subscription_id
        WHERE d.id = $1 AND d.status = 'pending' FOR UPDATE OF d SKIP LOCKED""",
    # (id, status, error code or NULL to keep it, sent_at or NULL to keep it, attempts to add, now)
    "alerts_delivery_record": """
        UPDATE alerts_delivery SET status = $2, last_error_code = COALESCE($3, last_error_code),
            sent_at = COALESCE($4, sent_at), attempts = attempts + $5, updated_at = $6
        WHERE id = $1""",
}
PREPARE = {
    "alerts_delivery_claim": "PREPARE alerts_delivery_claim(bigint) AS {}",
    "alerts_delivery_record": (
        "PREPARE alerts_delivery_record(bigint, varchar, varchar, timestamptz, integer, timestamptz) AS {}"
    ),
}
RECORD = "EXECUTE alerts_delivery_record(%s, %s, %s, %s, %s, %s)"


class Records:
    """Use as a context manager around a batch; then `claim`, and `record` or `release`, per delivery."""

    def __enter__(self) -> "Records":
        self.cursor = connection.cursor()
        self.savepoints = connection.in_atomic_block or not connection.get_autocommit()
        self.cursor.execute("SELECT name FROM pg_prepared_statements WHERE name = ANY(%s)", [list(STATEMENTS)])
        prepared = {name for (name,) in self.cursor.fetchall()}
        for name, sql in STATEMENTS.items():
            if name not in prepared:
                self.cursor.execute(PREPARE[name].format(sql))
        self.atomic = None
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.atomic is not None:
                with contextlib.suppress(DatabaseError) if exc[0] is not None else contextlib.nullcontext():
                    self.release(exc)
        finally:
            self.cursor.close()

    def claim(self, delivery_id: int) -> tuple[str, int] | None:
        """Begin the delivery's transaction and lock its row if still pending. None: nothing to send
        (the transaction is over already)."""
        claim = "SET LOCAL synchronous_commit = off; EXECUTE alerts_delivery_claim(%s)"
        if self.savepoints:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.cursor.execute(claim, [delivery_id])
        else:
            self.atomic = False  # a transaction of our own is open
            self.cursor.execute("BEGIN; " + claim, [delivery_id])
        row = self.cursor.fetchone()
        if row is None:
            self.release()
        return row

    def record(self, delivery_id: int, *, status: str, code: str | None, sent_at, attempts: int, now) -> None:
        """Write the outcome and commit."""
        params = [delivery_id, status, code, sent_at, attempts, now]
        if self.savepoints:
            self.cursor.execute(RECORD, params)
            atomic, self.atomic = self.atomic, None
            atomic.__exit__(None, None, None)
        else:
            self.cursor.execute(RECORD + "; COMMIT", params)
            self.atomic = None

    def release(self, exc=None) -> None:
        """End the delivery's transaction without a record: rolled back, the row stays as it was."""
        atomic, self.atomic = self.atomic, None
        if atomic is False:
            self.cursor.execute("ROLLBACK")
        elif atomic is not None:
            if exc is None or exc[0] is None:
                transaction.set_rollback(True)
            atomic.__exit__(*(exc or (None, None, None)))


def outcome_status(status: SendStatus, attempts_before: int, max_attempts: int) -> SendStatus:
    """A temporary failure stays pending until the attempts run out."""
    if status == SendStatus.PENDING and attempts_before + 1 >= max_attempts:
        return SendStatus.FAILED
    return status


__all__ = ["Records", "outcome_status"]
