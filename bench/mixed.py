"""Mixed load (issue 18): logged-in members reading, reacting and replying while anonymous readers
load a thread page and an article page; every reply looked up in the database afterwards.

Members are Python threads, one keep-nothing HTTP connection each (gunicorn's sync workers close
every connection), each with its own session and CSRF token read from a page the way a browser
does. A member waits a random think time (mean THINK_MEAN_S) between requests, so 50 members make
about 50 requests and 10 writes a second. The anonymous readers are wrk at the floor's settings
(-t2 -c16), the thread page for the first half of the run and the article page for the second,
so their requests per second compare with the floor measured in the same run.
"""

import http.client
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

FULL_MEMBERS, QUICK_MEMBERS = 50, 20
FULL_SECONDS, QUICK_SECONDS = 60, 10
THINK_MEAN_S = 1.0
READ_SHARE, REACTION_SHARE = 0.80, 0.10  # the rest are replies
THREADS_IN_PLAY = 200
REPLY_TARGET_P95_MS, MIXED_TARGET_P99_MS, ANONYMOUS_TARGET_RATIO = 80.0, 500.0, 0.50
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    kind: str  # "read", "reaction" or "reply"
    ms: float
    ok: bool
    status: int


@dataclass
class Plan:
    """What the members act on, resolved against the data set before the clock starts."""

    sessions: list[str]
    read_paths: list[str]
    reply_paths: list[str]
    react_paths: list[str]
    run_marker: str


@dataclass
class MemberLoad:
    samples: list[Sample] = field(default_factory=list)
    replies_posted: list[str] = field(default_factory=list)  # the marker of each reply answered with a redirect
    failures: list[str] = field(default_factory=list)


# --- Pure helpers (tested in tests/bench/test_mixed_helpers.py) ---------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    from bench.search_latency import percentile as nearest_rank

    return nearest_rank(values, fraction) if values else float("nan")


def choose_kind(roll: float) -> str:
    if roll < READ_SHARE:
        return "read"
    return "reaction" if roll < READ_SHARE + REACTION_SHARE else "reply"


def reply_marker(run_marker: str, member: int, n: int) -> str:
    """A word no generated post contains, so each reply can be found again."""
    return f"{run_marker}m{member}n{n}"


def markers_in(bodies, run_marker: str) -> set[str]:
    return {match for body in bodies for match in re.findall(rf"\b{run_marker}m\d+n\d+\b", body)}


# --- Preparing ----------------------------------------------------------------------------------------


def prepare(member_count: int) -> Plan:
    from django.test import Client

    from accounts.models import User
    from bench.dataset import busiest_thread
    from community.models import Forum, Post, Thread

    members = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk")[:member_count])
    sessions = []
    for member in members:
        client = Client()
        client.force_login(member)
        sessions.append(client.cookies["sessionid"].value)
    threads = list(
        Thread.objects.exclude(forum__slug=Forum.STORIES_SLUG)
        .exclude(pk=busiest_thread().pk)  # the anonymous readers' thread: replies to it are not what is measured
        .filter(is_deleted=False, is_locked=False)
        .select_related("forum")
        .order_by("pk")[:THREADS_IN_PLAY]
    )
    posts = Post.objects.filter(thread__in=threads, visibility=Post.Visibility.VISIBLE).values_list("pk", flat=True)
    forums = {thread.forum.get_absolute_url() for thread in threads}
    return Plan(
        sessions=sessions,
        read_paths=[thread.get_absolute_url() for thread in threads] + sorted(forums) + ["/"],
        reply_paths=[f"/community/t/{thread.pk}/reply/" for thread in threads],
        react_paths=[f"/community/posts/{pk}/react/" for pk in posts[:2000]],
        run_marker="mx" + uuid.uuid4().hex[:8],
    )


# --- The members --------------------------------------------------------------------------------------


class Member(threading.Thread):
    def __init__(self, *, number: int, session: str, plan: Plan, port: int, load: MemberLoad, lock, seed: int):
        super().__init__(daemon=True)
        self.number, self.plan, self.port, self.load, self.lock = number, plan, port, load, lock
        self.cookies = {"sessionid": session}
        self.form_token = ""
        self.rng = random.Random(seed)
        self.ready = threading.Event()
        self.start_at: float = 0.0
        self.stop_at: float = 0.0
        self.replies = 0

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Accept-Encoding": "identity",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}  # fmt: skip
        data = None
        if body is not None:
            data = urlencode({"csrfmiddlewaretoken": self.form_token, **body})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def sign_in_form(self) -> None:
        """A browser's first page: the CSRF cookie and a form token to send back."""
        status, _, text = self.request("GET", self.plan.read_paths[0])
        found = FORM_TOKEN.search(text)
        if status != 200 or not found or "csrftoken" not in self.cookies:
            raise RuntimeError(f"member {self.number}: no CSRF token on {self.plan.read_paths[0]} ({status})")
        self.form_token = found.group(1)

    def act(self, kind: str) -> Sample:
        started = time.perf_counter()
        if kind == "read":
            status, _, _ = self.request("GET", self.rng.choice(self.plan.read_paths))
            ok = status == 200
        elif kind == "reaction":
            status, location, _ = self.request(
                "POST", self.rng.choice(self.plan.react_paths), {"kind": self.rng.choice(["helpful", "thinking"])}
            )
            ok = status == 302 and "/community/t/" in location
        else:
            marker = reply_marker(self.plan.run_marker, self.number, self.replies)
            self.replies += 1
            body = f"Thank you, this helped with the {self.rng.choice(TOPICS)} question. {marker}"
            status, location, _ = self.request("POST", self.rng.choice(self.plan.reply_paths), {"body": body})
            ok = status == 302 and "/community/t/" in location
            if ok:
                with self.lock:
                    self.load.replies_posted.append(marker)
        return Sample(kind, (time.perf_counter() - started) * 1000, ok, status)

    def run(self) -> None:
        try:
            self.sign_in_form()
        except Exception as error:  # noqa: BLE001 — reported as a failure of the run, not raised in a thread
            with self.lock:
                self.load.failures.append(str(error))
            return
        finally:
            self.ready.set()
        while time.monotonic() < self.start_at:
            time.sleep(0.01)
        time.sleep(self.rng.uniform(0, THINK_MEAN_S))  # members do not all arrive in the same instant
        while time.monotonic() < self.stop_at:
            try:
                sample = self.act(choose_kind(self.rng.random()))
            except OSError as error:
                sample = Sample("error", 0.0, False, 0)
                with self.lock:
                    self.load.failures.append(f"member {self.number}: {error}")
            with self.lock:
                self.load.samples.append(sample)
            time.sleep(min(self.rng.expovariate(1 / THINK_MEAN_S), 5 * THINK_MEAN_S))


TOPICS = ("school", "sleep", "antibiotics", "insurance", "infusion", "flare", "appointment")


# --- Measuring ----------------------------------------------------------------------------------------


def run_load(*, plan: Plan, port: int, base: str, seconds: int, anonymous_paths: list[tuple[str, str]], say):
    """Members for `seconds`; wrk on each anonymous page in turn for an equal share of that time."""
    from bench import wrk

    load, lock = MemberLoad(), threading.Lock()
    members = [
        Member(number=n, session=session, plan=plan, port=port, load=load, lock=lock, seed=n)
        for n, session in enumerate(plan.sessions)
    ]
    for member in members:
        member.start()
    for member in members:
        member.ready.wait(timeout=60)
    start_at = time.monotonic() + 0.5
    for member in members:
        member.start_at, member.stop_at = start_at, start_at + seconds
    time.sleep(max(0.0, start_at - time.monotonic()) + 1)  # the members are arriving
    anonymous = {}
    share = max(2, (seconds - 2) // len(anonymous_paths))
    for name, path in anonymous_paths:
        anonymous[name] = wrk.run(base + path, seconds=share)
        say(f"  {name} during the mixed load: {anonymous[name].requests_per_second:.0f} req/s")
    for member in members:
        member.join(timeout=seconds + 60)
    return load, anonymous


def replies_found(plan: Plan) -> set[str]:
    from community.models import Post

    return markers_in(
        Post.objects.filter(body__contains=plan.run_marker).values_list("body", flat=True), plan.run_marker
    )


def profile_reply(plan: Plan, count: int = 20) -> tuple[str, float, float]:
    """Where a reply's time goes, in process: queries and SQL time per reply, and the top functions."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    client.cookies["sessionid"] = plan.sessions[0]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as context:
        profiler.enable()
        for n in range(count):
            response = client.post(plan.reply_paths[n % len(plan.reply_paths)],
                                   {"body": f"Profiled reply, school question. {plan.run_marker}p{n}"})  # fmt: skip
            assert response.status_code == 302, response.status_code
        profiler.disable()
    elapsed_ms = (time.perf_counter() - started) * 1000 / count
    sql_ms = sum(float(query["time"]) for query in context.captured_queries) * 1000 / count
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
    top = [line for line in out.getvalue().splitlines() if re.match(r"\s+[\d/]+\s+\d+\.\d+", line)][:8]
    slowest = sorted(context.captured_queries, key=lambda query: -float(query["time"]))[:3]
    text = (
        f"In process (test client, one member, no load): {elapsed_ms:.1f} ms per reply, "
        f"{len(context.captured_queries) / count:.0f} queries ({sql_ms:.1f} ms of SQL; "
        f"slowest single statements of the {count} replies: "
        + "; ".join(f"{float(query['time']) * 1000:.1f} ms `{query['sql'][:80]}…`" for query in slowest)
        + "). Top functions by own time (ncalls tottime percall cumtime percall):\n\n```\n"
        + "\n".join(top)
        + "\n```"
    )
    return text, elapsed_ms, sql_ms


def measure(*, quick: bool, port: int, env: dict, floor_mean: float, say) -> tuple[str, dict]:
    from bench import report, server
    from bench.__main__ import LOG_DIR
    from bench.dataset import busiest_thread

    member_count, seconds = (QUICK_MEMBERS, QUICK_SECONDS) if quick else (FULL_MEMBERS, FULL_SECONDS)
    from articles.models import Article

    plan = prepare(member_count)
    article = Article.objects.published().get(slug="ivig-evidence-and-side-effects")
    anonymous_paths = [
        ("anonymous thread page", busiest_thread().get_absolute_url()),
        ("anonymous article page", article.get_absolute_url()),
    ]
    with server.gunicorn(port=port, env=env, log_path=LOG_DIR / "gunicorn-mixed.log") as base:
        for _, path in anonymous_paths:  # warm: the pages in the cache, as on a site with readers
            from bench import wrk

            wrk.run(base + path, seconds=1)
        load, anonymous = run_load(plan=plan, port=port, base=base, seconds=seconds,
                                   anonymous_paths=anonymous_paths, say=say)  # fmt: skip
    found = replies_found(plan)
    missing = sorted(set(load.replies_posted) - found)

    by_kind = {kind: [s.ms for s in load.samples if s.kind == kind] for kind in ("read", "reaction", "reply")}
    all_ms = [s.ms for s in load.samples if s.kind != "error"]
    errors = [s for s in load.samples if not s.ok]
    anonymous_errors = sum(result.errors for result in anonymous.values())
    statuses = {}
    for sample in errors:
        statuses[f"{sample.kind} {sample.status}"] = statuses.get(f"{sample.kind} {sample.status}", 0) + 1
    rows = []
    labels = {"read": "member reads", "reaction": "member reactions", "reply": "member replies"}
    for kind, values in by_kind.items():
        rows.append([labels[kind], len(values), f"{len(values) / seconds:.1f}", f"{percentile(values, 0.5):.1f}",
                     f"{percentile(values, 0.95):.1f}", f"{percentile(values, 0.99):.1f}",
                     sum(1 for s in errors if s.kind == kind)])  # fmt: skip
    rows.append(["all member requests", len(all_ms), f"{len(all_ms) / seconds:.1f}", f"{percentile(all_ms, 0.5):.1f}",
                 f"{percentile(all_ms, 0.95):.1f}", f"{percentile(all_ms, 0.99):.1f}", len(errors)])  # fmt: skip
    for name, result in anonymous.items():
        rows.append([name, f"{result.requests:,}", f"{result.requests_per_second:,.0f}", f"{result.p50_ms:.1f}",
                     "—", f"{result.p99_ms:.1f}", result.errors])  # fmt: skip
    text = report.table(["requests", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "errors"], rows)
    text += (
        f"\n\n{member_count} members for {seconds} s, each a thread waiting a random think time (mean "
        f"{THINK_MEAN_S:.0f} s) between requests: {READ_SHARE:.0%} reads (their own view of {THREADS_IN_PLAY} "
        f"threads, the forums those are in, home), {REACTION_SHARE:.0%} reactions, the rest replies; POSTs carry "
        "the CSRF cookie and form token read from a page. Anonymous readers: wrk -t2 -c16 on each page for "
        f"half the run. Replies answered with a redirect: {len(load.replies_posted)}; found in the database "
        f"afterwards: {len(set(load.replies_posted) & found)}"
        + (f"; **missing: {', '.join(missing[:5])}**" if missing else "")
        + (f". Errors by kind and status: {statuses}" if statuses else "")
        + (f". Failures: {'; '.join(load.failures[:3])}" if load.failures else "")
        + "."
    )
    reply_p95 = percentile(by_kind["reply"], 0.95)
    say(f"  members: {len(all_ms)} requests, p99 {percentile(all_ms, 0.99):.1f} ms, reply p95 {reply_p95:.1f} ms, "
        f"{len(errors)} errors, {len(missing)} replies missing")  # fmt: skip
    figures = {
        "members": member_count,
        "seconds": seconds,
        "reply_p95_ms": percentile(by_kind["reply"], 0.95),
        "p99_ms": percentile(all_ms, 0.99),
        "errors": len(errors) + anonymous_errors + len(load.failures),
        "replies": len(load.replies_posted),
        "missing": len(missing),
        "anonymous": {name: result.requests_per_second / floor_mean for name, result in anonymous.items()},
    }
    if figures["reply_p95_ms"] > REPLY_TARGET_P95_MS:
        profile, alone_ms, sql_ms = profile_reply(plan)
        text += "\n\nWhy a reply takes what it does — " + profile
        text += "\n\n" + reply_diagnosis(
            alone_ms=alone_ms, sql_ms=sql_ms, under_load_p50_ms=percentile(by_kind["reply"], 0.5)
        )
    if figures["p99_ms"] > MIXED_TARGET_P99_MS:
        text += "\n\n" + p99_diagnosis({kind: percentile(values, 0.99) for kind, values in by_kind.items() if values})
    return text, figures


def reply_diagnosis(*, alone_ms: float, sql_ms: float, under_load_p50_ms: float) -> str:
    """What would close the reply target, from where the profile says the time goes: waiting under the
    load, the reply's own SQL, or its own Python (either or both of the first and one of the others)."""
    parts = []
    if under_load_p50_ms > 2 * alone_ms:
        parts.append(
            f"a reply alone takes {alone_ms:.0f} ms, under the load its p50 is {under_load_p50_ms:.0f} ms: most "
            "of that is waiting for a worker and a core that the members' page renders hold; cheaper member "
            "pages (issue 18's member-page targets) or more cores per member (docs/scaling.md) close that part"
        )
    if alone_ms > REPLY_TARGET_P95_MS or not parts:
        if sql_ms > alone_ms / 2:
            parts.append(
                f"the reply's own SQL ({sql_ms:.0f} of {alone_ms:.0f} ms alone) is most of its own time: fewer "
                "statements per reply (the slowest above first) or a faster disk for the commit"
            )
        else:
            parts.append(
                f"the reply's own Python ({alone_ms - sql_ms:.0f} of {alone_ms:.0f} ms alone) is most of its own "
                "time: the top functions above"
            )
    return "What would close it: " + "; and ".join(parts) + "."


def p99_diagnosis(p99_by_kind: dict[str, float]) -> str:
    slowest = max(p99_by_kind, key=p99_by_kind.get)
    others = ", ".join(f"{kind} {ms:.0f} ms" for kind, ms in p99_by_kind.items() if kind != slowest)
    return f"The p99 is set by the member {slowest}s ({p99_by_kind[slowest]:.0f} ms; {others}). " + (
        "Member reads are full renders (see their queries and ratio in Web pages): the member-page targets close it."
        if slowest == "read"
        else "Writes wait for the same workers and cores as the reads: see the reply profile."
    )


def target_rows(mixed: dict) -> list[list[str]]:
    """The rows of the targets table this part owns."""

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    clean = mixed["errors"] == 0 and mixed["missing"] == 0
    rows = [
        ["posting a reply (POST → redirect), under the mixed load", f"p95 <= {REPLY_TARGET_P95_MS:.0f} ms",
         f"{mixed['reply_p95_ms']:.1f} ms", met(mixed["reply_p95_ms"] <= REPLY_TARGET_P95_MS)],
        [f"mixed load, {mixed['seconds']} s: {mixed['members']} members (80% reads, 10% reactions, 10% replies)"
         " plus anonymous readers", f"0 errors, every reply present, p99 <= {MIXED_TARGET_P99_MS:.0f} ms",
         f"{mixed['errors']} errors, {mixed['replies'] - mixed['missing']}/{mixed['replies']} replies present, "
         f"p99 {mixed['p99_ms']:.1f} ms", met(clean and mixed["p99_ms"] <= MIXED_TARGET_P99_MS)],
    ]  # fmt: skip
    for name, ratio in mixed["anonymous"].items():
        rows.append([f"{name} during the mixed load", f">= {ANONYMOUS_TARGET_RATIO:.2f} of the floor",
                     f"{ratio:.2f}", met(ratio >= ANONYMOUS_TARGET_RATIO)])  # fmt: skip
    return rows
