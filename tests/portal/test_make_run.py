"""`PORT=<n> make run` with REDIS_URL set, as a newcomer runs it: the Celery worker it starts mails a
confirmation whose link points at port n (SITE_URL follows PORT), and that link confirms.

The real command in a subprocess, on a free port, with its own SQLite file, its own Redis server and
the test SMTP server; the whole process group is stopped at the end. About 25 seconds.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.smtp import free_port

pytestmark = pytest.mark.worker  # `make run` starts a real Celery worker (and beat) beside the server

STARTUP_SECONDS = 60


def require_make() -> str:
    found = shutil.which("make")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("make is needed to test `make run`.")
    pytest.skip("make not found")


@pytest.fixture
def make_run(tmp_path, mail_server, private_redis):
    """`PORT=<free port> make run` against a fresh SQLite file, a private Redis and the SMTP server."""
    port = free_port()
    env = {
        # A clean environment: none of the test run's DEBUG, SECRET_KEY, SITE_URL or settings module.
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "REDIS_URL": private_redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}",
        "DEMO_PASSWORD": "a long demo passphrase 42",
    }
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        # -o: the suite already runs inside the installed virtualenv; never reinstall it from here.
        process = subprocess.Popen(
            [require_make(), "-o", ".venv/.runtime-installed", "run"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the server, its reloader, the worker and beat
        )
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group (make, the server and its reloader, the worker, beat), then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    time.sleep(1)  # the worker's warm shutdown
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"make run stopped:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"make run did not serve within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


class Browser:
    """Just enough of a browser: cookies, and a form's CSRF token taken from the page."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=10) as response:
            return response.read().decode()

    def post(self, url: str, page: str, data: dict) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        with self.opener.open(url, data=body, timeout=10) as response:
            return response.read().decode()


def test_make_run_on_another_port_mails_a_confirmation_link_that_works(make_run, mail_server):
    base, process, log = make_run
    wait_until_serving(base, process, log)

    browser = Browser()
    form = browser.get(f"{base}/alerts/subscribe/?school=maplewood-elementary")  # a seeded demo school
    sent = browser.post(
        f"{base}/alerts/subscribe/",
        form,
        {"email": "newcomer@example.net", "school": "maplewood-elementary", "role": "parent", "grade": ""}
        | {"delivery": "immediate", "language": "en"},
    )
    assert "Check your email" in sent

    # Sent by the Celery worker `make run` started beside the server (tasks leave the request).
    (message,) = mail_server.wait_for(1, timeout=STARTUP_SECONDS)
    link = re.search(r"http://\S+/alerts/confirm/\S+/", message.body()).group(0)
    assert link.startswith(f"{base}/"), f"the link does not follow PORT: {link}"

    confirm = browser.get(link)
    assert "Confirm my subscription" in confirm
    confirmed = browser.post(link, confirm, {})
    assert "Your alerts are on" in confirmed
    assert "celery@" in (Path(settings.BASE_DIR) / "var" / "celery.log").read_text()  # the worker's own log
