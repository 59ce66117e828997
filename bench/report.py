"""The results table: printed, and written to bench/RESULTS.md with the previous run kept."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
LATEST, PREVIOUS = "## Latest run", "## Previous run"


def machine_description() -> str:
    import django
    from django.db import connection

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2][2:]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    return (
        f"{os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB; Python {platform.python_version()}, "
        f"Django {django.get_version()}, PostgreSQL {postgres}, Redis {redis}, wrk {wrk}"
    )


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write(sections: list[tuple[str, str]], *, mode: str) -> str:
    """Render this run, print-ready; keep the run before it under "Previous run"."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"{LATEST} — {now}, {mode}", "", f"Machine: {machine_description()}", ""]
    for title, text in sections:
        body += [f"### {title}", "", text, ""]
    latest = "\n".join(body)

    previous = ""
    if RESULTS.exists():
        old = RESULTS.read_text()
        if LATEST in old:
            previous = old[old.index(LATEST) :].split(PREVIOUS)[0].replace(LATEST, PREVIOUS, 1).strip()
    header = (
        "# Benchmark results\n\nWritten by `make bench` (see bench/README.md). Ratios compare each page with "
        "the floor measured in the same run on the same machine: only they are stable on shared machines.\n"
    )
    RESULTS.write_text("\n".join(part for part in (header, latest, previous) if part) + "\n")
    return latest
