"""The moderator queue with 500 items waiting (issue 18): p95 of whole requests, timed in process.

The bench moderator (role and two-factor, bench/dataset.py) asks for `/moderation/` through Django's
test client — every middleware, the session, the view and the template, without the network — a
warm-up, then REQUESTS requests one after another.
"""

import math
import statistics
import time

REQUESTS = 200
TARGET_P95_MS = 50.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(*, say, requests: int = REQUESTS) -> tuple[str, dict]:
    from django.test import Client

    from bench import report
    from bench.dataset import bench_moderator
    from moderation.selectors import waiting_count

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_moderator())
    waiting = waiting_count()
    for _ in range(10):
        response = client.get("/moderation/")
        assert response.status_code == 200, f"/moderation/ answered {response.status_code}"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/moderation/")
        timings.append((time.perf_counter() - started) * 1000)
    result = {"waiting": waiting, "p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}
    say(f"  moderator queue, {waiting} waiting: p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")
    text = report.table(
        ["page", "items waiting", "requests", "p50 ms", "p95 ms"],
        [["moderator queue", waiting, requests, f"{result['p50_ms']:.1f}", f"{result['p95_ms']:.1f}"]],
    )
    text += "\n\nOne request at a time through Django's test client (no network), after 10 warm-up requests."
    return text, result
