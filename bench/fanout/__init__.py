"""Fan-out: a real Celery worker on Redis and a real SMTP server (aiosmtpd, in its own process).

`measure()` times, in one run on one machine:
1. the floor: the same number of messages, of the alert's size and shape, sent by a plain smtplib
   loop over one connection;
2. the portal's fan-out, from `services.approve_report` (the on-commit publish of `plan_alert`) to
   the last message the SMTP server accepted, for a couple of worker concurrencies (the best is kept);
3. the worker's peak memory (sum of VmHWM of the worker and its pool processes) for a small and a
   large audience, each with a fresh worker;
4. the same fan-out with the SMTP server waiting 5 ms before every reply (greeting, MAIL, RCPT, DATA,
   end of data): a network round trip, where parallel connections must carry the speed.

Everything stays on 127.0.0.1. Each run deletes what it created (report, alert, deliveries).

The modules:
- `measure.py`: the sizes, the targets and `measure()`, which runs everything and writes the table;
- `runs.py`: one timed run: the raw smtplib floor, or the portal's fan-out through a worker;
- `data.py`: the bench schools, their subscribers, the moderator and reporter; clean-up after a run;
- `smtp_server.py`: the counting (optionally slow) SMTP server, in a process of its own;
- `worker.py`: the Celery worker subprocess, its pool's peak memory, the queue purge;
- `procfs.py`: reading /proc: peak memory, child processes, CPU ticks per process group.
"""

from bench.fanout.measure import measure

__all__ = ["measure"]
