"""The pure parts of the mixed load, the growth comparison and the results file (bench/mixed.py,
bench/growth.py, bench/report.py): the runs themselves are `make bench`."""

import random

from bench import growth, mixed, report


def test_the_mix_is_eighty_ten_ten():
    rng = random.Random(18)
    kinds = [mixed.choose_kind(rng.random()) for _ in range(20_000)]
    shares = {kind: kinds.count(kind) / len(kinds) for kind in ("read", "reaction", "reply")}
    assert abs(shares["read"] - 0.80) < 0.01
    assert abs(shares["reaction"] - 0.10) < 0.01
    assert abs(shares["reply"] - 0.10) < 0.01


def test_each_reply_is_found_again_by_its_marker_and_only_this_runs():
    bodies = [
        f"Thank you. {mixed.reply_marker('mxab12', 3, 0)}",
        f"Quoting {mixed.reply_marker('mxab12', 3, 1)} and {mixed.reply_marker('mxab12', 40, 7)}",
        f"Another run: {mixed.reply_marker('mxff00', 3, 0)}",
        "mxab12m3n10x is not a marker",
    ]
    assert mixed.markers_in(bodies, "mxab12") == {"mxab12m3n0", "mxab12m3n1", "mxab12m40n7"}


def test_mixed_targets_need_no_errors_every_reply_and_the_latencies():
    figures = {"members": 50, "seconds": 60, "reply_p95_ms": 79.0, "p99_ms": 480.0, "errors": 0, "replies": 300,
               "missing": 0, "anonymous": {"anonymous thread page": 0.6, "anonymous article page": 0.4}}  # fmt: skip
    rows = mixed.target_rows(figures)
    assert [row[-1] for row in rows] == ["met", "met", "met", "**not met**"]
    assert "300/300 replies present" in rows[1][2]
    assert mixed.target_rows({**figures, "missing": 1})[1][-1] == "**not met**"
    assert mixed.target_rows({**figures, "errors": 1})[1][-1] == "**not met**"
    assert mixed.target_rows({**figures, "reply_p95_ms": 81.0})[0][-1] == "**not met**"


def test_a_copy_derives_only_the_columns_it_is_told_to():
    select = growth.copy_columns(["id", "title", "created_at"], {"id": "id + g * 10"})
    assert select == "id + g * 10, title, created_at"


def test_the_grown_database_is_named_after_the_runs(monkeypatch):
    monkeypatch.delenv("BENCH_GROWTH_DATABASE_URL", raising=False)
    assert growth.grown_url("postgres://postgres@127.0.0.1:5432/portal_bench") == (
        "postgres://postgres@127.0.0.1:5432/portal_bench_x10"
    )
    monkeypatch.setenv("BENCH_GROWTH_DATABASE_URL", "postgres://db/other")
    assert growth.grown_url("postgres://postgres@127.0.0.1:5432/portal_bench") == "postgres://db/other"


def test_growth_targets_take_the_worst_page():
    figures = {
        "build_s": 300.0,
        "quick": False,
        "small": {"posts": 100_000},
        "grown": {"posts": 1_000_000, "p95_ms": {"search": 30.0}},
        "spreads": {"forum page 1": 0.05, "thread page": 0.30, "search": 0.1},
    }
    rows = growth.target_rows(figures)
    assert rows[0][-1] == "met"
    assert rows[1][2] == "worst: thread page +30%" and rows[1][-1] == "**not met**"
    assert rows[2][-1] == "met"
    assert growth.target_rows({**figures, "build_s": 361.0})[0][-1] == "**not met**"


def test_results_keep_the_run_before_as_previous_and_drop_older(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path / "RESULTS.md")
    monkeypatch.setattr(report, "machine_description", lambda: "a test machine")
    for n in (1, 2, 3):
        report.write([("Targets", f"run {n} figures")], mode="quick")
    text = (tmp_path / "RESULTS.md").read_text()
    assert text.count(report.LATEST) == 1 and text.count(report.PREVIOUS) == 1
    assert text.index("run 3 figures") < text.index(report.PREVIOUS) < text.index("run 2 figures")
    assert "run 1 figures" not in text


def test_a_slow_reply_is_blamed_on_what_its_profile_shows():
    waiting = mixed.reply_diagnosis(alone_ms=30, sql_ms=10, under_load_p50_ms=200)
    assert "waiting for a worker and a core" in waiting and "own" not in waiting
    both = mixed.reply_diagnosis(alone_ms=245, sql_ms=150, under_load_p50_ms=632)
    assert "waiting for a worker and a core" in both and "own SQL (150 of 245 ms alone)" in both
    own_sql = mixed.reply_diagnosis(alone_ms=100, sql_ms=70, under_load_p50_ms=120)
    assert "own SQL (70 of 100 ms alone)" in own_sql
    own_python = mixed.reply_diagnosis(alone_ms=100, sql_ms=20, under_load_p50_ms=120)
    assert "own Python (80 of 100 ms alone)" in own_python


def test_the_p99_is_blamed_on_the_slowest_kind():
    text = mixed.p99_diagnosis({"read": 900.0, "reaction": 300.0, "reply": 400.0})
    assert text.startswith("The p99 is set by the member reads (900 ms; reaction 300 ms, reply 400 ms)")
    assert "member-page targets" in text
    assert "reply profile" in mixed.p99_diagnosis({"read": 100.0, "reply": 700.0})


def test_a_page_that_grew_in_its_sql_points_at_the_statement():
    small = {"ms": 3.0, "slowest_ms": 1.0, "slowest": "SELECT small"}
    grown = {"ms": 9.0, "slowest_ms": 7.0, "slowest": "SELECT ... OFFSET 24975"}
    text = growth.growth_diagnosis("forum, deepest page", small, grown)
    assert "SQL 3.0 → 9.0 ms" in text and "OFFSET 24975" in text and "keyset pagination" in text
    same = growth.growth_diagnosis("thread page", small, {**grown, "ms": 3.5})
    assert "did not grow with the data" in same
