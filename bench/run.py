"""Every UI performance figure of guichet beside its baseline measured in the same run.

Usage: ``python bench/run.py [--short] [--only startup,latency,transitions,memory,scale,retention,stats]``

1. start-up (bench/startup.py): process start → first painted, interactive main screen,
   guichet (``python -m guichet``) against a bare Textual app with the same widgets;
2. keystroke → frame latency (bench/latency.py), shipped catalog and 10,000 entries, and the
   fast-typing check (no key lost or reordered);
3. key → new screen painted and focused, for every screen an agent opens, against a bare app pushing
   a screen of as many widgets, and the typeahead bursts (bench/transitions.py);
4. peak memory of a session (bench/memory.py);
5. UI-thread cost of refreshing the slot list, the day sheet and the handoff list on a big
   database (bench/scale.py);
6. the retention purge at volume against the bare deletes of the same rows (bench/retention.py);
7. a month's statistics and the live header figure of the reception log, in a thread worker, on a
   million passages and 300,000 appointments, against bare counts of the same rows (bench/stats.py).

It prints one table (and the same table in Markdown, for the README), then the notes. It
prints figures and never asserts: ``--short`` (CI) takes under 90 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence

from _common import Row, markdown, print_table

PARTS = ("startup", "latency", "transitions", "memory", "scale", "retention", "stats")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="fewer runs, smaller databases (CI, < 90 s)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    args = parser.parse_args(argv)
    chosen = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(chosen) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    import latency
    import memory
    import retention
    import scale
    import startup
    import stats
    import transitions

    measures: dict[str, Callable[[bool], list[Row]]] = {
        "startup": startup.measure, "latency": latency.measure, "transitions": transitions.measure,
        "memory": memory.measure, "scale": scale.measure,
        "retention": retention.measure, "stats": stats.measure,
    }
    load = f"load average {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else ""
    print(f"guichet UI benchmarks{' (short)' if args.short else ''}: Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, {load}, headless 100x30", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    timings = []
    for part in PARTS:
        if part not in chosen:
            continue
        part_start = time.perf_counter()
        print(f"… {part}", file=sys.stderr, flush=True)
        rows += measures[part](args.short)
        timings.append(f"{part} {time.perf_counter() - part_start:.0f} s")
    print()
    print_table(rows)
    end_load = f", load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") else ""
    print(f"\ntotal {time.perf_counter() - started:.0f} s ({', '.join(timings)}){end_load}")
    print("\nMarkdown:\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
