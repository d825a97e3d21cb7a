"""Start-up: process start → first painted, interactive main screen; guichet against the bare app.

Usage: ``python bench/startup.py [--short]``

Each run is a fresh ``python bench/_launch.py startup guichet|bare`` (see that file): headless at
100x30, GUICHET_HOME in a temporary directory, GUICHET_NOW fixed. The child reports the time
since the parent's ``time.monotonic()`` taken just before it was started, so interpreter start,
imports, catalog, compose, CSS and the first frame are all in. Runs alternate guichet / bare
after one warm-up each (page cache, .pyc). Each run also types one key as soon as the screen is
ready and times its results (the first search, while guichet's warm-up runs). Then one
``python -X importtime`` run of the guichet child lists its heaviest imports until that search.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import BENCH, Row, child_env, median, print_table, write_workstation

LAUNCH = BENCH / "_launch.py"
WATCHED = ("sqlalchemy", "sqlmodel", "pydantic", "rapidfuzz")


def launch(which: str, home: Path, *options: str) -> tuple[dict[str, Any], str]:
    """One child run: its JSON report and its stderr."""
    env = child_env(home)
    env["BENCH_T0"] = repr(time.monotonic())
    done = subprocess.run([sys.executable, *options, str(LAUNCH), "startup", which], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{which}: no report (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(lines[-1]), done.stderr


def importtime_top(home: Path, count: int = 10) -> tuple[list[tuple[str, float]], float]:
    """From one ``-X importtime`` run of the guichet child: the ``count`` top-level imports with the
    largest cumulative time (ms), and the sum of the self times of guichet's own modules."""
    _facts, stderr = launch("guichet", home, "-X", "importtime")
    top: list[tuple[str, float]] = []
    ours = 0.0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        if name.strip().startswith("guichet"):
            ours += int(own) / 1000
        if not name[1:].startswith(" "):  # top level: imported by the launcher or by runpy
            top.append((name.strip(), int(cumulative) / 1000))
    top.sort(key=lambda item: -item[1])
    return top[:count], ours


def measure(short: bool) -> list[Row]:
    runs = 5 if short else 15
    with tempfile.TemporaryDirectory(prefix="guichet-bench-startup-") as temp:
        home = Path(temp) / "home"
        write_workstation(home)
        launch("guichet", home)  # warm-up: page cache, bytecode
        launch("bare", home)
        results: dict[str, list[dict[str, Any]]] = {"guichet": [], "bare": []}
        for _ in range(runs):
            for which in ("guichet", "bare"):
                results[which].append(launch(which, home)[0])
        top, ours_self = importtime_top(home)
    ours = [r["ms"] for r in results["guichet"]]
    base = [r["ms"] for r in results["bare"]]
    last = results["guichet"][-1]
    startup = Row(f"start-up to first frame (ms, median of {runs})", median(ours), median(base),
                  "≤ 1.2× bare", None, ".0f")
    startup.met = startup.ratio is not None and startup.ratio <= 1.2
    startup.notes.append("runs guichet: " + " ".join(f"{v:.0f}" for v in ours)
                         + " · bare: " + " ".join(f"{v:.0f}" for v in base))
    startup.notes.append("imported before the first frame: " + ", ".join(
        f"{name} {'YES' if last.get(name) else 'no'}" for name in WATCHED)
        + f" · {last['modules']} modules (bare {results['bare'][-1]['modules']}), {last['gc_objects']:,} objects"
        f" tracked by the GC (bare {results['bare'][-1]['gc_objects']:,}); garbage collection before the first"
        f" frame: {median([r['gc_ms'] for r in results['guichet']]):.0f} ms"
        f" (bare {median([r['gc_ms'] for r in results['bare']]):.0f} ms)")
    startup.notes.append("-X importtime (ms, inflated by the tracing; until the first search), top-level imports by "
                         "cumulative time: "
                         + ", ".join(f"{name} {ms:.0f}" for name, ms in top)
                         + f"; guichet's own modules, self time: {ours_self:.0f}")
    first = Row(f"first key typed at the first frame → its results on screen (ms, median of {runs})",
                median([r.get("first_search_ms", float("nan")) for r in results["guichet"]]),
                median([r.get("first_search_ms", float("nan")) for r in results["bare"]]), "(info)", None, ".1f")
    first.notes.append("the first key is typed as soon as the main screen is ready, while guichet's warm-up worker"
                       " (search index, database, SQLAlchemy imports) runs: what start-up left for later must not"
                       " make the first search slow")
    rss = Row("peak RSS at first frame (MB)", median([r["rss_mb"] for r in results["guichet"]]),
              median([r["rss_mb"] for r in results["bare"]]), "(info)", None, ".1f")
    return [startup, first, rss]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="5 runs instead of 15 (CI)")
    args = parser.parse_args(argv)
    print_table(measure(args.short))


if __name__ == "__main__":
    main()
