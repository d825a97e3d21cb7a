"""Crash safety: a counter killed (SIGKILL) in the middle of its writes loses nothing it acknowledged.

The worker books and logs handoffs in a loop; it is killed at a random point, again and again on
the same database. Afterwards: PRAGMA integrity_check is ok, every booking and handoff whose call
returned is there, and no half-written record exists (each has its journal entry and history).
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILLS = 22
READY_TIMEOUT = 60.0  # seconds for a worker's start-up, however loaded the machine

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]


def _wait_until_ready(worker: subprocess.Popen[bytes], run: int) -> None:
    """Block until the worker prints "ready" (its loop starts); fail clearly if it never does."""
    assert worker.stdout is not None
    readable, _, _ = select.select([worker.stdout], [], [], READY_TIMEOUT)
    line = worker.stdout.readline() if readable else b""
    if line.strip() == b"ready":
        return
    worker.kill()
    _, err = worker.communicate(timeout=30)
    why = (f"did not say it was ready within {READY_TIMEOUT:.0f} s" if not readable
           else f"stopped before its loop (exit code {worker.returncode}, stdout {line!r})")
    pytest.fail(f"crash worker {run} {why}:\n{err.decode(errors='replace')}")


def _acknowledged(ledger: Path) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {"appointment": set(), "handoff": set()}
    for line in ledger.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():  # the last line may be cut by the kill
            found[parts[0]].add(int(parts[1]))
    return found


def test_sigkill_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    ledger = tmp_path / "ledger.txt"
    ledger.touch()
    # The repository for `tests`, then the caller's path, if any (e.g. a copy of src/ to test).
    python_path = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
    started = 0
    for run in range(KILLS):
        worker = subprocess.Popen([sys.executable, "-m", "tests.store.crash_worker", str(tmp_path), str(ledger),
                                   str(run)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_until_ready(worker, run)
        time.sleep(rng.uniform(0.05, 0.4))  # the loop is running: kill somewhere inside it
        worker.send_signal(signal.SIGKILL)
        _, err = worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL, err.decode(errors="replace")
        started += 1
    database = tmp_path / "data" / "guichet.sqlite3"
    con = sqlite3.connect(database)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        acknowledged = _acknowledged(ledger)
        appointments = {r for (r,) in con.execute("SELECT id FROM appointment")}
        handoffs = {r for (r,) in con.execute("SELECT id FROM handoff")}
        assert acknowledged["appointment"] <= appointments
        assert acknowledged["handoff"] <= handoffs
        assert len(acknowledged["handoff"]) >= KILLS  # the kills really hit a running loop
        journal = {(t, r) for t, r in con.execute("SELECT record_type, record_id FROM journal")}
        assert all(("appointment", a) in journal for a in appointments)  # booked with its journal entry
        assert all(("handoff", h) in journal for h in handoffs)
        with_history = {h for (h,) in con.execute("SELECT DISTINCT handoff_id FROM handoff_event")}
        assert handoffs == with_history
        assert con.execute("SELECT count(*) FROM handoff WHERE message IS NULL OR name = ''").fetchone() == (0,)
        # never two people in one seat
        assert con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM appointment WHERE status IN ('booked','seen','noshow') "
            "GROUP BY agency, kind, channel, start, seat HAVING count(*) > 1)").fetchone() == (0,)
    finally:
        con.close()
    print(f"\n{started} kills; {len(acknowledged['appointment'])} bookings and {len(acknowledged['handoff'])} "
          f"handoffs acknowledged, {len(appointments)} and {len(handoffs)} in the database")
