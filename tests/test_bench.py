"""The benchmarks' short mode runs in CI: every figure printed (at the end of the pytest report),
none asserted, except that no keystroke is lost or reordered, which is behaviour, not speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the benchmarks' short mode: a minute or more

ROOT = Path(__file__).resolve().parent.parent
REPORT_KEY = "guichet/bench-short.txt"  # in pytest's cache: the controller prints it (tests/conftest.py)
ROWS = (
    "start-up to first frame", "first key typed at the first frame", "peak RSS at first frame",
    "keystroke → frame, shipped catalog",
    "keystroke → frame, 10,000 entries", "fast typing, shipped catalog", "fast typing, 10,000 entries",
    "peak RSS of a session", "the same against bare + the SQLModel stack", "slots (", "day sheet (", "handoffs (",
    "purge, sqlite", "card → handoff form (t)", "F2 agencies", "typeahead at 10 ms a key",
    "month statistics, sqlite", "live header figure, sqlite",
)


def _table(output: str) -> dict[str, list[str]]:
    """The report's rows: measure → its cells (guichet, baseline, ratio, target, verdict)."""
    rows = {}
    for line in output.split("\n\nnotes:")[0].splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) == 6 and cells[1] and cells[1] != "guichet":
            rows[cells[0]] = cells[1:]
    return rows


def test_bench_short_prints_every_figure(request: pytest.FixtureRequest) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUICHET_")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--short"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    if request.config.cache is not None:
        request.config.cache.set(REPORT_KEY, done.stdout)
    rows = _table(done.stdout)
    for name in ROWS:
        found = [cells for measure, cells in rows.items() if measure.startswith(name)]
        assert found, f"no row for {name!r} in:\n{done.stdout}"
        for cells in found:
            float(cells[0])  # a figure, whatever its value
    for measure, cells in rows.items():
        if measure.startswith("fast typing"):
            assert cells[0] == "0", f"{measure}: {cells[0]} queries shown wrong or keys lost"


def test_stats_bench_at_a_tiny_size() -> None:
    """bench/stats.py end to end on a few thousand rows (SQLite): every figure printed beside its target, and
    the statistics of the month count exactly the passages it wrote (the bench asserts it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUICHET_")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "stats.py"), "--sizes", "40000,3000,50",
                           "--backends", "sqlite"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = _table(done.stdout)
    for name, target in (("month statistics, sqlite, 40,000 passages", "< 100 ms"),
                         ("live header figure, sqlite, 40,000 passages", "< 5 ms")):
        found = [cells for measure, cells in rows.items() if measure.startswith(name)]
        assert found, f"no row for {name!r} in:\n{done.stdout}"
        for cells in found:
            float(cells[0]), float(cells[1])  # a figure and its baseline, whatever their values
            assert cells[3] == target
    assert "Oct. 2026: 0 passages" not in done.stdout  # 40,000 passages reach back past last month
