"""The Celery worker of a run: `celery -A portal worker` in a subprocess, and its queue."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.fanout.procfs import child_pids, vm_hwm_kb

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / "var" / "bench"


class Worker:
    """`celery -A portal worker` (prefork) with the bench environment, in its own process group."""

    def __init__(self, *, env: dict[str, str], smtp_port: int, concurrency: int):
        self.name = f"fanoutbench{os.getpid()}c{concurrency}@localhost"
        self.concurrency = concurrency
        self.env = {
            **os.environ,
            **env,
            "CELERY_BROKER_URL": env["REDIS_URL"],
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Worker":
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork",
                   f"--concurrency={self.concurrency}", "-n", self.name, "--without-heartbeat",
                   "--without-gossip", "--without-mingle", "--loglevel=WARNING"]  # fmt: skip
        with (LOG_DIR / "fanout-worker.log").open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        from portal.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"the Celery worker exited; see {LOG_DIR / 'fanout-worker.log'}")
            if app.control.ping(destination=[self.name], timeout=0.5) and len(self.pids()) > self.concurrency:
                return
        raise RuntimeError("the Celery worker did not answer a ping")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pids(self) -> list[int]:
        """The worker and every process under it (the pool)."""
        pids, index = [self.process.pid], 0
        while index < len(pids):
            texts = []
            for path in Path(f"/proc/{pids[index]}/task").glob("*/children"):
                with contextlib.suppress(OSError):  # the process may just have exited
                    texts.append(path.read_text())
            pids += child_pids(texts)
            index += 1
        return pids

    def peak_memory_mb(self) -> float:
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                total += vm_hwm_kb(Path(f"/proc/{pid}/status").read_text())
        return total / 1024

    def __exit__(self, *exc) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown of the whole group
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def purge_queue() -> None:
    from portal.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        connection.default_channel.queue_purge(app.conf.task_default_queue)
