"""Growth (issue 18): the same pages on ten times the data, compared with the data set of the run.

The grown data set is a copy of the run's database (CREATE DATABASE ... TEMPLATE) with every thread
and post copied nine more times by INSERT ... SELECT over generate_series: each copy is an older
year of the same community (dates moved back 400 days per copy), so page 1 of a forum shows the
same threads and the deep pages reach ten times further. The post indexes are dropped during the
copy and rebuilt once after it, and the copied rows skip the foreign-key triggers (they point at
rows copied with them), which is what bulk loads do. Built once, reused on later runs; the build
time is kept in var/bench/ beside the logs.

Each page is then timed in process against each database (a subprocess per database, the page
cache off: a cache hit costs the same at any size, the view's work is what may grow), as p95 of
repeated requests through the test client, and search as p95 of the 20 queries of
bench/search_latency.py.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

COPIES = 9  # plus the original: ten times the posts
YEAR_PER_COPY = "400 days"
FULL_BUILD_TARGET_S, SPREAD_TARGET, SEARCH_TARGET_MS = 360, 0.25, 50.0
ROOT = Path(__file__).resolve().parent.parent


def grown_url(url: str) -> str:
    """The grown database's URL: the run's own with `_x10` after its name."""
    return os.environ.get("BENCH_GROWTH_DATABASE_URL") or url.rsplit("?", 1)[0] + "_x10"


def _connect(url: str, dbname: str | None = None):
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    connection = psycopg2.connect(dbname=dbname or config["NAME"], user=config["USER"], password=config["PASSWORD"],
                                  host=config["HOST"], port=config["PORT"] or 5432)  # fmt: skip
    return connection, config["NAME"]


def copy_columns(columns: list[str], overrides: dict[str, str]) -> str:
    """The SELECT list of a copy: each column as is unless `overrides` says how to derive it."""
    return ", ".join(overrides.get(column, column) for column in columns)


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    return [row[0] for row in cursor.fetchall()]


def build(source_url: str, *, say) -> float:
    """Make the grown copy of `source_url` unless it is there; answer the build's seconds (now or before)."""
    target_url = grown_url(source_url)
    record = ROOT / "var" / "bench" / f"growth-build-{_connect_name(target_url)}.json"
    admin, source = _connect(source_url, "postgres")
    admin.autocommit = True
    target = _connect_name(target_url)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
        exists = cursor.fetchone() is not None
    from community.models import Post

    source_posts = Post.objects.count()
    kept = json.loads(record.read_text()) if record.exists() else {}
    # The mixed load adds a few hundred replies a run: only a data set rebuilt to another size needs a new copy.
    if exists and abs(source_posts - kept.get("source_posts", 0)) <= 0.05 * source_posts:
        admin.close()
        return kept["seconds"]
    say(f"growth: copying {source} ten-fold into {target} (timed)")
    from django.db import connections

    connections.close_all()  # a template database must have no other sessions
    started = time.monotonic()
    import psycopg2

    try:
        with admin.cursor() as cursor:
            if exists:
                cursor.execute(f'DROP DATABASE "{target}"')
            cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    except psycopg2.errors.ObjectInUse as error:
        raise SystemExit(
            f"growth: {source} must have no other sessions to be copied (psql? a worker?): {error}"
        ) from error
    finally:
        admin.close()
    connection, _ = _connect(target_url)
    with connection, connection.cursor() as cursor:
        _grow(cursor)
    connection.close()
    connection, _ = _connect(target_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE community_thread")
        cursor.execute("VACUUM ANALYZE community_post")
    connection.close()
    seconds = time.monotonic() - started
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"seconds": seconds, "source_posts": source_posts}))
    say(f"growth: built in {seconds:.0f} s")
    return seconds


def _connect_name(url: str) -> str:
    import environ

    return environ.Env.db_url_config(url)["NAME"]


def _grow(cursor) -> None:
    cursor.execute("SET session_replication_role = replica")  # no FK triggers: copies point at copies
    cursor.execute("SELECT coalesce(max(id), 0) FROM community_thread")
    thread_step = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM community_post")
    post_step = cursor.fetchone()[0]
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'community_post' AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = 'community_post'::regclass)"
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    older = f"g * interval '{YEAR_PER_COPY}'"
    copies = {
        "community_thread": {
            "id": f"id + g * {thread_step}",
            "created_at": f"created_at - {older}",
            "last_activity_at": f"last_activity_at - {older}",
            "last_post_id": f"last_post_id + g * {post_step}",
        },
        "community_post": {
            "id": f"id + g * {post_step}",
            "thread_id": f"thread_id + g * {thread_step}",
            "created_at": f"created_at - {older}",
            "edited_at": f"edited_at - {older}",
        },
    }
    for table, overrides in copies.items():  # names and numbers from this module and the schema, no input
        columns = _columns(cursor, table)
        select = copy_columns(columns, overrides)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select}"  # noqa: S608
            f" FROM {table}, generate_series(1, {COPIES}) AS g"
        )
    for _, definition in indexes:
        cursor.execute(definition)
    for table in ("community_thread", "community_post"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )


# --- Timing the pages, in a subprocess per database ----------------------------------------------------


def page_paths(deepest: int) -> dict[str, str]:
    from bench.dataset import busiest_thread
    from community.models import Forum

    forum = Forum.objects.get(slug="newly-diagnosed")
    deep = min(deepest, -(-forum.threads.filter(is_deleted=False).count() // 25))
    return {
        "forum page 1": forum.get_absolute_url(),
        "forum, deepest page": f"{forum.get_absolute_url()}?page={deep}",
        "thread page": busiest_thread().get_absolute_url(),
    }


def time_pages(*, deepest: int, repeats: int, search_rounds: int) -> dict:
    """In this process's database: p95 ms of each page (page cache off) and of search, and the SQL
    time of one request of each page with its slowest statement (what explains a page that grew)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.search_latency import QUERIES, _run, percentile
    from community.models import Post
    from portal.hooks import app_hooks

    client = Client(HTTP_HOST="127.0.0.1")
    figures = {"posts": Post.objects.count(), "paths": page_paths(deepest), "p95_ms": {}, "sql": {}}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name, path in figures["paths"].items():
            for _ in range(3):
                assert client.get(path).status_code == 200, path
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            figures["p95_ms"][name] = percentile(timings, 0.95)
            with CaptureQueriesContext(connection) as context:
                client.get(path)
            slowest = max(context.captured_queries, key=lambda query: float(query["time"]))
            figures["sql"][name] = {
                "ms": sum(float(query["time"]) for query in context.captured_queries) * 1000,
                "slowest_ms": float(slowest["time"]) * 1000,
                "slowest": slowest["sql"][:160],
            }
    sources = list(app_hooks("search", "search"))
    for query in QUERIES:
        _run(sources, query, AnonymousUser())
    timings = [sum(_run(sources, query, AnonymousUser()).values()) for _ in range(search_rounds) for query in QUERIES]
    figures["p95_ms"]["search"] = percentile(timings, 0.95)
    return figures


def _time_in(url: str, *, deepest: int, repeats: int, search_rounds: int, migrate: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    output = subprocess.run(
        [sys.executable, "-m", "bench.growth", str(deepest), str(repeats), str(search_rounds), str(int(migrate))],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def measure(*, quick: bool, source_url: str, say) -> tuple[str, dict]:
    """Time the run's data set, the grown one, then the run's again: its mean is the baseline, so a
    machine that got busier or quieter in between does not read as growth."""
    from bench import report

    build_seconds = build(source_url, say=say)
    repeats, search_rounds = (10, 1) if quick else (40, 2)
    small = _time_in(source_url, deepest=100, repeats=repeats, search_rounds=search_rounds, migrate=False)
    # The copy is migrated when it is timed: a migration added since it was built reaches it too.
    grown = _time_in(grown_url(source_url), deepest=1000, repeats=repeats, search_rounds=search_rounds, migrate=True)
    again = _time_in(source_url, deepest=100, repeats=repeats, search_rounds=search_rounds, migrate=False)
    rows, spreads = [], {}
    for name in small["p95_ms"]:
        before = (small["p95_ms"][name] + again["p95_ms"][name]) / 2
        after = grown["p95_ms"][name]
        spreads[name] = after / before - 1
        label = name
        if name == "forum, deepest page":
            pages = [figures["paths"][name].rsplit("=", 1)[1] for figures in (small, grown)]
            label = f"forum page {pages[0]} vs {pages[1]}"
        sql = "—"
        if name in small["sql"]:
            sql = f"{small['sql'][name]['ms']:.1f} → {grown['sql'][name]['ms']:.1f}"
        rows.append([label, f"{before:.1f}", f"{after:.1f}", f"{spreads[name]:+.0%}", sql])
    headers = ["page (page cache off)", f"p95 ms, {small['posts']:,} posts", f"p95 ms, {grown['posts']:,} posts",
               "change", "SQL ms per request"]  # fmt: skip
    text = report.table(headers, rows)
    text += (
        f"\n\nThe grown data set: the run's database copied with every thread and post nine more times, each copy "
        f"a year older (INSERT ... SELECT over generate_series; indexes rebuilt after), built in {build_seconds:.0f} s "
        f"(kept and reused while it exists). Each page timed in process, {repeats} requests after 3 warm-ups, "
        "as anonymous with the page cache off, on the run's data set before and after the grown one (the mean of "
        f"the two is the baseline); search = the 20 queries of the Search section, {search_rounds} round(s)."
    )
    grew = [name for name, spread in spreads.items() if spread > SPREAD_TARGET and name in grown["sql"]]
    for name in grew:
        text += "\n\n" + growth_diagnosis(name, small["sql"][name], grown["sql"][name])
    say("  growth: " + ", ".join(f"{name} {spread:+.0%}" for name, spread in spreads.items()))
    return text, {"build_s": build_seconds, "small": small, "grown": grown, "spreads": spreads, "quick": quick}


def growth_diagnosis(name: str, small: dict, grown: dict) -> str:
    """Why a page grew past the target and what would close it, from its SQL at both sizes."""
    text = (
        f"{name} grew: SQL {small['ms']:.1f} → {grown['ms']:.1f} ms per request; slowest statement "
        f"{small['slowest_ms']:.1f} → {grown['slowest_ms']:.1f} ms: `{grown['slowest']}…`. "
    )
    if grown["ms"] - small["ms"] >= 1.0 and grown["ms"] > 1.25 * small["ms"]:
        return text + (
            "What would close it: that statement's plan (EXPLAIN ANALYZE it on the grown database): an index "
            "that serves its order, or a bounded query (keyset pagination instead of OFFSET for deep pages)."
        )
    return text + (
        "The SQL did not grow with the data: the difference is outside the database (a busy machine, or "
        "Python work that grew); rerun on a quiet machine before changing code."
    )


def target_rows(growth: dict) -> list[list[str]]:
    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    small, grown = growth["small"]["posts"], growth["grown"]["posts"]
    worst = max(growth["spreads"], key=lambda name: growth["spreads"][name])
    search_ms = growth["grown"]["p95_ms"]["search"]
    rows = [
        [f"data set of {grown:,} posts built", f"<= {FULL_BUILD_TARGET_S / 60:.0f} minutes" if not growth["quick"]
         else "(quick: a tenth of the full size)", f"{growth['build_s']:.0f} s",
         met(growth["build_s"] <= FULL_BUILD_TARGET_S)],
        [f"forum pages 1 and deepest, thread page, search at {grown:,} vs {small:,} posts",
         f"p95 within {SPREAD_TARGET:.0%}", f"worst: {worst} {growth['spreads'][worst]:+.0%}",
         met(all(spread <= SPREAD_TARGET for spread in growth["spreads"].values()))],
        [f"search p95 at {grown:,} posts", f"<= {SEARCH_TARGET_MS:.0f} ms", f"{search_ms:.1f} ms",
         met(search_ms <= SEARCH_TARGET_MS)],
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    # One database's timings as JSON (run by _time_in with DATABASE_URL set): bench settings, no server.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    deepest, repeats, search_rounds, migrate = map(int, sys.argv[1:5])
    if migrate:
        call_command("migrate", verbosity=0)
        from community.services.derived import recount_forums

        # The copy was made in SQL, past the services that keep each forum's count of public threads.
        recount_forums()
    print(json.dumps(time_pages(deepest=deepest, repeats=repeats, search_rounds=search_rounds)))
