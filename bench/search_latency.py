"""Search latency: 20 representative queries through the functions `/search/` calls, timed in process.

Each source is `portal.hooks.app_hooks("search", "search")` called as `search(query, user=AnonymousUser())`,
exactly as the view does; "combined" is one query through all of them (the page's search work, without
the template). One warm-up round, then up to ROUNDS rounds within a time budget. When the p95 misses
the target, the slowest query's SQL of each source is run again under EXPLAIN ANALYZE.
"""

import math
import time

QUERIES = (
    "ivig",
    "strep throat",
    "504 plan",
    "insurance appeal denied",
    "tics after strep",
    "headache after infusion",
    "amoxicillin",
    "plasma exchange",
    "sleep",
    "school nurse",
    "ocd anxiety",
    "rage",
    "tonsillectomy",
    "neurologist",
    "prednisone flare",
    "bedwetting regression",
    "titers bloodwork",
    "handwriting",
    "azithromycin",
    "restricted eating",
)
ROUNDS = 10
BUDGET_SECONDS = 45
TARGET_P95_MS = 50.0
PLAN_LINES = 40


# --- Pure helpers (tested in tests/bench/test_fanout_helpers.py) --------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0.95 = p95) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95), "max_ms": max(values)}


def source_name(search) -> str:
    return search.__module__.split(".")[0]


# --- Measuring ----------------------------------------------------------------------------------------


def _run(sources, query: str, user) -> dict[str, float]:
    """One execution of `query` through every source: milliseconds per source."""
    timings = {}
    for search in sources:
        started = time.perf_counter()
        section = search(query, user=user)
        len(section.results)  # results are lists already; nothing left lazy
        timings[source_name(search)] = (time.perf_counter() - started) * 1000
    return timings


def explain(search, query: str, user) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every SQL statement one source runs for `query`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        search(query, user=user)
    plans = []
    with connection.cursor() as cursor:
        for captured in context.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured["sql"])
            plan = [row[0] for row in cursor.fetchall()]
            if len(plan) > PLAN_LINES:
                plan = [*plan[:PLAN_LINES], f"... ({len(plan) - PLAN_LINES} more lines)"]
            plans.append(f"-- {captured['sql'][:300]}{'…' if len(captured['sql']) > 300 else ''}\n" + "\n".join(plan))
    return "\n\n".join(plans)


def corpus_line() -> str:
    from django.contrib.auth.models import AnonymousUser

    from alerts.models import School
    from articles.models import Article
    from community.access import searchable_posts

    posts = searchable_posts(AnonymousUser()).count()
    return (
        f"Searched {posts:,} visible posts, {Article.objects.published().count():,} "
        f"published articles and {School.objects.count():,} schools; {len(QUERIES)} queries "
        f"({', '.join(QUERIES[:6])}, …)"
    )


def measure(*, say) -> tuple[str, dict]:
    from django.contrib.auth.models import AnonymousUser

    from bench import report
    from portal.hooks import app_hooks

    user = AnonymousUser()
    sources = list(app_hooks("search", "search"))
    names = [source_name(search) for search in sources]
    for query in QUERIES:  # warm-up: connections, caches, the first plan of each statement
        _run(sources, query, user)

    samples: dict[str, list[float]] = {name: [] for name in [*names, "combined"]}
    per_query: dict[str, list[float]] = {query: [] for query in QUERIES}
    started, rounds = time.monotonic(), 0
    while rounds < ROUNDS and (rounds == 0 or time.monotonic() - started < BUDGET_SECONDS):
        for query in QUERIES:
            timings = _run(sources, query, user)
            for name, ms in timings.items():
                samples[name].append(ms)
            total = sum(timings.values())
            samples["combined"].append(total)
            per_query[query].append(total)
        rounds += 1

    stats = {name: summary(values) for name, values in samples.items()}
    rows = [[name, f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}", f"{s['max_ms']:.1f}"] for name, s in stats.items()]
    combined = stats["combined"]
    met = combined["p95_ms"] <= TARGET_P95_MS
    text = report.table(["source", "p50 ms", "p95 ms", "max ms"], rows)
    text += (
        f"\n\n{corpus_line()}. {rounds} rounds after a warm-up = {len(samples['combined'])} executions each, "
        f"as anonymous, in process (no HTTP, no template). Target: combined p95 ≤ {TARGET_P95_MS:.0f} ms — "
        f"{'met' if met else '**not met**'}."
    )
    slowest = sorted(QUERIES, key=lambda query: percentile(per_query[query], 0.5), reverse=True)[:3]
    text += "\nSlowest queries (p50, all sources): " + ", ".join(
        f"“{query}” {percentile(per_query[query], 0.5):.1f} ms" for query in slowest
    )
    say(f"  search: p50 {combined['p50_ms']:.1f} ms, p95 {combined['p95_ms']:.1f} ms over {rounds} rounds")

    figures = {**combined, "sources": stats, "rounds": rounds, "slowest": slowest}
    if not met:
        # Why: the plans of the slowest query, per source that takes a real share of the time.
        plans = []
        for search, name in zip(sources, names, strict=True):
            if stats[name]["p95_ms"] >= TARGET_P95_MS / 10:
                plans.append(f"### {name}: “{slowest[0]}”\n{explain(search, slowest[0], user)}")
        figures["plans"] = "\n\n".join(plans)
        text += "\n\nEXPLAIN ANALYZE of the slowest query:\n\n```\n" + figures["plans"] + "\n```"
    return text, figures
