"""What /proc says about the processes of a run: peak memory, children, CPU time.

The parsers are pure (tested in tests/bench/test_fanout_helpers.py); the readers below them read
the live files.
"""

import contextlib
import os
from pathlib import Path


def vm_hwm_kb(status_text: str) -> int:
    """The peak resident set ("VmHWM:  123456 kB") from a /proc/<pid>/status text; 0 if absent."""
    for line in status_text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def child_pids(children_texts: list[str]) -> list[int]:
    """Pids listed in /proc/<pid>/task/<tid>/children files (space-separated)."""
    return [int(pid) for text in children_texts for pid in text.split()]


def stat_ticks(stat_text: str, *, children: bool = False) -> int:
    """utime + stime (clock ticks) from a /proc/<pid>/stat text (the name may contain spaces); with
    `children`, plus the reaped children's (cutime + cstime)."""
    fields = stat_text[stat_text.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)


def cpu_deltas(before: dict[str, dict[int, int]], after: dict[str, dict[int, int]]) -> dict[str, int]:
    """Ticks used per group between two snapshots ({group: {pid: ticks}}); a new pid counts in full."""
    return {
        group: sum(ticks - before.get(group, {}).get(pid, 0) for pid, ticks in pids.items())
        for group, pids in after.items()
    }


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _ticks(pids, *, children: bool = False) -> dict[int, int]:
    result = {}
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            result[pid] = stat_ticks(Path(f"/proc/{pid}/stat").read_text(), children=children)
    return result


def _pids_named(*names: str) -> list[int]:
    pids = []
    for path in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if path.read_text().strip() in names:
                pids.append(int(path.parent.name))
    return pids


def cpu_snapshot(groups: dict[str, list[int]]) -> dict[str, dict[int, int]]:
    """CPU ticks per process of each group, plus PostgreSQL and Redis (all their processes here).

    Celery's Django fixup closes the database connection around every task, so backends come and go:
    the postmaster's reaped-children time counts the ones that ended between two snapshots."""
    snapshot = {group: _ticks(pids) for group, pids in groups.items()}
    snapshot["PostgreSQL"] = _ticks(_pids_named("postgres"), children=True)
    snapshot["Redis"] = _ticks(_pids_named("redis-server"))
    return snapshot
