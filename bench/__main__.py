"""`python -m bench [--quick]` — build the data set once, then measure (see bench/README.md)."""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "bench"


def bench_environment(*, quick: bool, port: int) -> dict[str, str]:
    database = "portal_bench_quick" if quick else "portal_bench"
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"),
        "JOURNAL_KEY": os.environ.get("JOURNAL_KEY", "YmVuY2gtb25seS1qb3VybmFsLWtleS1ub3Qtc2VjcnQ="),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        "LOG_LEVEL": "WARNING",
    }


@dataclass
class Page:
    name: str
    path: str
    member: bool = False


def pages() -> list[Page]:
    """The pages of issue 7, each resolved against the data set."""
    from articles.models import Article
    from bench.dataset import busiest_thread, journal_timeline_path
    from community.models import Forum

    article = Article.objects.published().get(slug="ivig-evidence-and-side-effects")
    thread = busiest_thread()
    forum = Forum.objects.get(slug="newly-diagnosed")
    deep = min(100, -(-forum.threads.filter(is_deleted=False).count() // 25))  # page 100, or the last there is
    return [
        Page("home", "/"),
        Page("article list", "/articles/"),
        Page("article", article.get_absolute_url()),
        Page("forum index", "/community/"),
        Page("forum page 1", forum.get_absolute_url()),
        Page(f"forum page {deep}", f"{forum.get_absolute_url()}?page={deep}"),
        Page("thread, 20 posts", thread.get_absolute_url()),
        Page(MEMBER_THREAD, thread.get_absolute_url(), member=True),
        # Issue 18: members' other pages, each >= 0.40 of the floor.
        *(Page(name, path, member=True) for name, path in member_pages(forum).items()),
        Page("search", "/search/?q=ivig"),
        Page("outcomes", "/community/stories/outcomes/"),
        # Issue 16's target: within 2x the anonymous thread page's latency.
        Page(JOURNAL_TIMELINE, journal_timeline_path(), member=True),
    ]


MEMBER_PAGES = ("home (member)", "forum page 1 (member)", "notifications (member)")


def member_pages(forum) -> dict[str, str]:
    return dict(zip(MEMBER_PAGES, ["/", forum.get_absolute_url(), "/community/notifications/"], strict=True))


def ensure_database(url: str) -> None:
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    try:
        connection = psycopg2.connect(
            dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432, connect_timeout=3
        )
    except psycopg2.OperationalError as error:
        raise SystemExit(f"PostgreSQL is not reachable ({error}).") from error
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def member_cookie() -> str:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.filter(email__endswith="@bench.invalid").order_by("pk").first())
    return f"sessionid={client.cookies['sessionid'].value}"


def queries_per_request(path: str, cookie: str | None) -> int:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies.load(cookie)
    # The view's own cost: with the page cache on, a hit would show 0.
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get(path)  # warm: first-request work is not the steady state
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(context.captured_queries)


def measure_web(*, seconds: int, warmup: int, port: int, env: dict, say, only: str = "") -> tuple[str, dict]:
    from bench import report, server, wrk

    cookie = member_cookie()
    measured: dict[str, dict] = {}
    with server.gunicorn(port=port, env=env, log_path=LOG_DIR / "gunicorn.log") as base:
        chosen = [page for page in pages() if any(word in page.name for word in only.split(","))] if only else pages()
        runs = [Page("floor", "/bench/floor/"), *chosen, Page("floor (again)", "/bench/floor/")]
        for page in runs:
            headers = {"Cookie": cookie} if page.member else {}
            wrk.run(base + page.path, seconds=warmup, headers=headers)
            result = wrk.run(base + page.path, seconds=seconds, headers=headers)
            queries = queries_per_request(page.path, cookie if page.member else None)
            measured[page.name] = {"result": result, "queries": queries, "page": page}
            say(f"  {page.name}: {result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms, {queries} queries")
    floor = statistics.mean([measured["floor"]["result"].requests_per_second,
                             measured["floor (again)"]["result"].requests_per_second])  # fmt: skip
    rows = []
    for name, item in measured.items():
        result = item["result"]
        rows.append([name, f"`{item['page'].path}`" + (" (member)" if item["page"].member else ""),
                     f"{result.requests_per_second:,.0f}", f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}",
                     item["queries"], f"{result.requests_per_second / floor:.2f}", result.errors])  # fmt: skip
    headers = ["page", "path", "req/s", "p50 ms", "p99 ms", "queries (view)", "ratio to floor", "errors"]
    text = report.table(headers, rows)
    text += f"\n\nwrk -t2 -c16, {warmup} s warm-up then {seconds} s per page; floor = mean of first and last run."
    return text, {**measured, "floor_mean": floor}


MEMBER_THREAD = "thread, 20 posts (member, reactions)"
JOURNAL_TIMELINE = "journal timeline, 1,100 check-ins"


def targets_table(web: dict, search: dict, fan: dict, queue: dict | None = None, extra_rows=()) -> str:
    """Issue 7's targets, each with the figure measured in this run."""
    from bench import report

    def ratio(name: str) -> float:
        return web[name]["result"].requests_per_second / web["floor_mean"]

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    deep = next(name for name in web if name.startswith("forum page ") and name != "forum page 1")
    p50_first, p50_deep = web["forum page 1"]["result"].p50_ms, web[deep]["result"].p50_ms
    spread = abs(p50_deep - p50_first) / p50_first
    memory_growth = fan["peak_mem_large_mb"] / fan["peak_mem_small_mb"] - 1
    size = fan["size"]
    from bench.fanout.measure import TARGET_RATIO, TARGET_SECONDS_PER_10K

    fan_seconds = TARGET_SECONDS_PER_10K * size / 10_000  # the 10,000-message target, as a rate
    rows = [
        ["anonymous article page", ">= 0.60 of the floor", f"{ratio('article'):.2f}", met(ratio("article") >= 0.6)],
        ["anonymous thread page, 20 posts", ">= 0.50 of the floor", f"{ratio('thread, 20 posts'):.2f}",
         met(ratio("thread, 20 posts") >= 0.5)],
        ["member thread page, 20 posts, reactions", ">= 0.30 of the floor", f"{ratio(MEMBER_THREAD):.2f}",
         met(ratio(MEMBER_THREAD) >= 0.3)],
        *member_target_rows(web, ratio, met),
        [f"forum p50 at {deep} vs page 1", "within 10%", f"{p50_deep:.1f} vs {p50_first:.1f} ms ({spread:.0%})",
         met(spread <= 0.10)],
        ["search p95", "<= 50 ms", f"{search['p95_ms']:.1f} ms", met(search["p95_ms"] <= 50)],
        [f"{size:,}-message alert, local SMTP", f"<= {fan_seconds:g} s", f"{fan['duration_s']:.1f} s",
         met(fan["duration_s"] <= fan_seconds)],
        ["  ... ratio to the raw smtplib floor", f">= {TARGET_RATIO:.2f}", f"{fan['ratio']:.2f}",
         met(fan["ratio"] >= TARGET_RATIO)],
        ["  ... worker memory, small vs full size", "within 10%",
         f"{fan['peak_mem_small_mb']:.0f} vs {fan['peak_mem_large_mb']:.0f} MB ({memory_growth:+.0%})",
         met(abs(memory_growth) <= 0.10)],
        [f"{size:,}-message alert, 5 ms SMTP replies", "<= 60 s", f"{fan['delayed_duration_s']:.1f} s",
         met(fan["delayed_duration_s"] <= 60)],
    ]  # fmt: skip
    if JOURNAL_TIMELINE in web:
        timeline, thread = web[JOURNAL_TIMELINE]["result"].p50_ms, web["thread, 20 posts"]["result"].p50_ms
        figure = f"{timeline:.1f} vs {thread:.1f} ms ({timeline / thread:.1f}x)"
        rows.append(["journal timeline, 3 years, p50 vs the anonymous thread page", "within 2x", figure,
                     met(timeline <= 2 * thread)])  # fmt: skip
    if queue:
        rows.append([f"moderator queue, {queue['waiting']} items, p95", "<= 50 ms", f"{queue['p95_ms']:.1f} ms",
                     met(queue["p95_ms"] <= 50)])  # fmt: skip
    return report.table(["measure", "target", "this run", ""], [*rows, *extra_rows])


def member_target_rows(web: dict, ratio, met) -> list[list]:
    """Issue 18: members' home, forum page and notifications, each >= 0.40 of the floor."""
    return [[name, ">= 0.40 of the floor", f"{ratio(name):.2f}", met(ratio(name) >= 0.4)]
            for name in MEMBER_PAGES if name in web]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller data set and shorter runs (< 3 minutes)")
    parser.add_argument("--port", type=int, default=8765)
    only_help = "'fanout': only the alert fan-out; other words: only the web pages whose names contain one of these "
    only_help += "comma-separated words (and the floor, and the moderator queue); RESULTS.md is left alone"
    parser.add_argument("--only", default="", help=only_help)
    options = parser.parse_args(argv)

    from bench import wrk

    if options.only != "fanout":
        wrk.require_wrk()
    env = bench_environment(quick=options.quick, port=options.port)
    os.environ.update(env)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    ensure_database(env["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset, fanout, growth, mixed, queue_latency, report, search_latency

    def say(message: str) -> None:
        print(message, flush=True)

    started = time.monotonic()
    say("Preparing the database and static files")
    call_command("migrate", verbosity=0)
    if options.only == "fanout":
        say("Alert fan-out")
        fanout_text, _ = fanout.measure(quick=options.quick, env=env, say=say)
        say("\n" + fanout_text)
        say(f"Measured in {time.monotonic() - started:.0f} s (not written to bench/RESULTS.md)")
        return
    call_command("collectstatic", verbosity=0, interactive=False)
    sizes = dataset.QUICK if options.quick else dataset.FULL
    dataset.build(sizes, say=say)

    seconds, warmup = (2, 1) if options.quick else (10, 2)
    say("Web pages")
    web_text, web = measure_web(seconds=seconds, warmup=warmup, port=options.port, env=env, say=say, only=options.only)
    say("Moderator queue")
    queue_text, queue = queue_latency.measure(say=say, requests=100 if options.quick else queue_latency.REQUESTS)
    if options.only:
        say("\n" + web_text + "\n\n" + queue_text)
        return
    say("Mixed load")
    mixed_text, mixed_figures = mixed.measure(quick=options.quick, port=options.port, env=env,
                                              floor_mean=web["floor_mean"], say=say)  # fmt: skip
    say("Search")
    search_text, search = search_latency.measure(say=say)
    say("Growth")
    growth_text, growth_figures = growth.measure(quick=options.quick, source_url=env["DATABASE_URL"], say=say)
    say("Alert fan-out")
    fanout_text, fan = fanout.measure(quick=options.quick, env=env, say=say)

    own_rows = [*mixed.target_rows(mixed_figures), *growth.target_rows(growth_figures)]
    sections = [
        ("Targets", targets_table(web, search, fan, queue, own_rows)),
        ("Web pages", web_text),
        ("Moderator queue", queue_text),
        ("Mixed load", mixed_text),
        ("Search", search_text),
        ("Growth", growth_text),
        ("Alert fan-out", fanout_text),
    ]
    latest = report.write(sections, mode="quick" if options.quick else "full")
    say("\n" + latest)
    say(f"Written to {report.RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
