"""Peak memory of a counter session, guichet against the bare app, each in a fresh process.

Usage: ``python bench/memory.py [--short]``

guichet (``python bench/_launch.py memory guichet``): types « apl pas versee », opens the
booking screen (F4) and waits for its workers, goes back, types « separation », Entrée, « t »
(the handoff form), Échap, then the day sheet (F3) and the handoffs' follow-up (F9): the session
issue 16 names, typed from the first frame; and the same session once guichet has rested (its
first quiet moments: the screens' warm-up and the top-level screens made ahead, ui/ahead.py), as
a counter's day goes. The bare app types the same two texts; the floors add the SQLModel stack
(``bare-storage``), then guichet's other libraries too (``bare-libs``). Each child prints its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) at the end. The median of a few runs is kept.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import BENCH, Row, child_env, median, print_table, write_workstation

LAUNCH = BENCH / "_launch.py"


def launch(which: str, home: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(LAUNCH), "memory", which], env=child_env(home),
                          capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"memory {which}: no report (exit {done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def measure(short: bool) -> list[Row]:
    runs = 1 if short else 3
    found: dict[str, list[dict[str, Any]]] = {
        "guichet": [], "guichet-rested": [], "bare": [], "bare-storage": [], "bare-libs": []}
    with tempfile.TemporaryDirectory(prefix="guichet-bench-memory-") as temp:
        for run in range(runs):
            for which in found:
                home = Path(temp) / f"{which}-{run}"
                write_workstation(home)
                found[which].append(launch(which, home))
    ours, base, storage = (median([r["rss_mb"] for r in found[w]]) for w in ("guichet", "bare", "bare-storage"))
    row = Row(f"peak RSS of a session (MB, median of {runs})", ours, base, "(info)", None, ".1f")
    last = found["guichet"][-1]
    row.notes.append("guichet session went through: " + " → ".join(last["seen"]) + " · imported: " + ", ".join(
        name for name in ("sqlalchemy", "sqlmodel", "pydantic", "rapidfuzz") if last.get(name)))
    # Issue 16 decided the floor: SQLModel is the storage layer asked for, so the target is against it.
    floor = Row("  the same against bare + the SQLModel stack (MB)", ours, storage, "≤ 1.3× floor", None, ".1f")
    floor.met = floor.ratio is not None and floor.ratio <= 1.3
    rested = median([r["rss_mb"] for r in found["guichet-rested"]])
    at_rest = Row("  the same session after guichet rested (warm-up, screens made ahead), against the floor (MB)",
                  rested, storage, "(info)", None, ".1f")
    libs = median([r["rss_mb"] for r in found["bare-libs"]])
    # What guichet's own code, data and screens weigh: the floor with every library it is built on.
    on_libs = Row("  the same against bare + SQLModel + rapidfuzz, opening-hours, PyStemmer (MB)", ours, libs,
                  "(info)", None, ".1f")
    row.notes.append(f"guichet's other libraries (rapidfuzz, opening-hours, PyStemmer, each used once) add"
                     f" {libs - storage:.1f} MB to the floor")
    row.notes.append(f"the SQLModel stack alone (imported, an engine, one query) adds {storage - base:.1f} MB to the"
                     f" bare session: {storage / base:.2f}x bare before guichet's first widget")
    return [row, floor, at_rest, on_libs]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="one run instead of three (CI)")
    args = parser.parse_args(argv)
    print_table(measure(args.short))


if __name__ == "__main__":
    main()
