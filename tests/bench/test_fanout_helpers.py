"""The pure helpers of bench/fanout/ and bench/search_latency.py (no database, no servers)."""

import pytest

from bench.fanout.data import PLACEHOLDER_ADDRESS, subscriber_address
from bench.fanout.measure import growth, mark
from bench.fanout.procfs import child_pids, cpu_deltas, stat_ticks, vm_hwm_kb
from bench.fanout.runs import for_recipient
from bench.search_latency import percentile, summary

STATUS = """Name:\tcelery
VmPeak:\t  312000 kB
VmHWM:\t   81234 kB
VmRSS:\t   80000 kB
"""


def test_vm_hwm_is_read_from_a_proc_status_text():
    assert vm_hwm_kb(STATUS) == 81234
    assert vm_hwm_kb("Name:\tzombie\n") == 0


def test_child_pids_flattens_the_children_files():
    assert child_pids(["101 102 ", "", "205\n"]) == [101, 102, 205]


def test_the_floor_message_keeps_its_size_shape_per_recipient():
    template = f"To: {PLACEHOLDER_ADDRESS}\r\nSubject: x\r\n\r\nbody\r\n".encode()
    message = for_recipient(template, subscriber_address(7))
    assert message == b"To: parent7@fanout.bench.invalid\r\nSubject: x\r\n\r\nbody\r\n"
    assert not subscriber_address(7).endswith("@bench.invalid")  # dataset.build_members counts those


def test_cpu_ticks_from_proc_stat_even_with_spaces_in_the_name():
    stat = "4242 (celery (pool) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 40 0 0 20 0 1 0 5 0 0"
    assert stat_ticks(stat) == 290
    assert stat_ticks(stat, children=True) == 290  # no reaped children here
    assert stat_ticks(stat.replace(" 250 40 0 0 ", " 250 40 7 3 "), children=True) == 300


def test_cpu_deltas_count_new_processes_in_full():
    before = {"worker": {1: 100, 2: 50}, "PostgreSQL": {9: 10}}
    after = {"worker": {1: 130, 2: 55}, "PostgreSQL": {9: 12, 10: 7}}
    assert cpu_deltas(before, after) == {"worker": 35, "PostgreSQL": 9}


def test_growth_and_marks():
    assert growth(100, 105) == pytest.approx(0.05)
    assert growth(0, 1) == float("inf")
    assert (mark(True), mark(False), mark(None)) == ("yes", "**no**", "—")


def test_nearest_rank_percentiles():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([3.0], 0.95) == 3.0
    assert summary([5.0, 1.0, 9.0]) == {"p50_ms": 5.0, "p95_ms": 9.0, "max_ms": 9.0}
