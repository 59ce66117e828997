"""Drive a URL with wrk and read its summary."""

import re
import shutil
import subprocess
from dataclasses import dataclass

INSTALL_HINT = "wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu)."
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit(INSTALL_HINT)
    return path


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def parse(output: str) -> LoadResult:
    def percentile(p: int) -> float:
        return _milliseconds(re.search(rf"^\s+{p}%\s+(\S+)", output, re.MULTILINE).group(1))

    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(bad_status.group(1)) if bad_status else 0) + (
        sum(map(int, socket_errors.groups())) if socket_errors else 0
    )
    return LoadResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        errors=errors,
    )


def run(url: str, *, seconds: int, connections: int = 16, threads: int = 2, headers: dict | None = None) -> LoadResult:
    command = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse(output)
