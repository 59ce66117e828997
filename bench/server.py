"""gunicorn with production settings on loopback, as deployed (portal/gunicorn_conf.py)."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn(*, port: int, env: dict[str, str], log_path: Path):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "portal/gunicorn_conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        "portal.wsgi:application",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url}; see {log_path}")
