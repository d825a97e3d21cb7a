"""Keystroke → screen latency, measured inside the app (not with Pilot.press, which sleeps).

Usage: ``python bench/latency.py [--short]`` (the report), or
``python bench/latency.py --case guichet|guichet-10k|bare --keys N`` (one case, JSON; what the
report runs, each case in a fresh process so that one catalog's memory does not slow the next).

The app runs headless at 100x30 in this process; guichet's database check (due 2 s after
start, it imports SQLAlchemy in a worker) is run and awaited first, so that the figures are the
steady state. The queries of tests/unit/search_queries.toml are typed character by character,
the field cleared between queries. For each key, the clock starts when the key event is handed
to the driver (``Driver.process_message``, what a terminal driver does with the bytes it read)
and stops at the first frame given to ``App._display`` after the screen has shown the results
for the new text (see _common.on_frame: the frame is also turned into terminal bytes). Keys are
``GAP`` apart, slower than one frame, as people type.

The fast-typing check posts all the keys of a query at once, then compares what the screen
shows with a direct ``services.search`` and checks that the screen saw every prefix in order.

The baseline is the bare app (bench/bare_app.py): Input → OptionList of 12 static options.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import (
    SIZE,
    Row,
    bench_settings,
    child_env,
    key_event,
    load_queries,
    median,
    on_frame,
    p95,
    print_table,
    screens_warmed,
)

GAP = 0.035  # s between keys: a fast typist's pace, longer than two frames
BURST_QUERIES = 20  # 10 with --short
CASES = ("guichet", "guichet-10k", "bare")


class Probe:
    """What the screen last showed, and the key whose result we wait for."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.expect: str | None = None
        self.t0 = 0.0
        self.latencies: list[float] = []
        self.done = asyncio.Event()

    def showed(self, text: str) -> None:
        self.shown.append(text)

    def frame(self, _app: Any, _screen: Any, now: float) -> None:
        if self.expect is not None and self.shown and self.shown[-1] == self.expect:
            self.latencies.append((now - self.t0) * 1000)
            self.expect = None
            self.done.set()


def _wrap(owner: Any, probe: Probe) -> None:
    """Record every text the screen shows results for (``owner.show_results``, instance-level)."""
    original = owner.show_results

    def show_results(text: str, **options: Any) -> None:
        original(text, **options)
        probe.showed(text)

    owner.show_results = show_results


def _build(case: str, root: Path) -> tuple[Any, Any]:
    """(app, services or None for the bare app)."""
    if case == "bare":
        from bare_app import BareApp

        return BareApp(cursor_blink=False), None
    import dataclasses

    from guichet.services import Services, make_services
    from guichet.ui.app import GuichetApp

    services = make_services(bench_settings(root))
    if case == "guichet-10k":
        import search as search_bench  # bench/search.py: its synthetic catalog generator

        generated = search_bench.synthetic_catalog(services.catalog.services, 10_000)
        catalog = dataclasses.replace(services.catalog, services=tuple(generated))
        services = Services(services.settings, catalog, services.clock)
        services.index  # noqa: B018 - built before the app, as the shipped one is on its first search
    return GuichetApp(services, cursor_blink=False), services


class Counters:
    """Garbage collections (count and time per generation) and Footer recomposes while typing."""

    def __init__(self) -> None:
        import gc

        from textual.widgets import Footer

        self.gc: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.footer_recomposes = 0
        self._started = 0.0
        self.active = False
        gc.callbacks.append(self._collected)
        recompose = Footer.recompose

        async def counted(footer: Any) -> None:
            if self.active:
                self.footer_recomposes += 1
            await recompose(footer)

        Footer.recompose = counted  # type: ignore[method-assign,assignment]  # counting, in this process only

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.active:
            self.gc[info["generation"]].append((time.perf_counter() - self._started) * 1000)


async def _settle(probe: Probe, text: str, timeout: float = 5.0) -> bool:
    """Wait until the screen has shown ``text`` and a frame went out."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if probe.shown and probe.shown[-1] == text:
            await asyncio.sleep(0.03)
            return True
        await asyncio.sleep(0.005)
    return False


async def _type_at_human_pace(driver: Any, field: Any, probe: Probe, queries: list[str], keys: int) -> list[str]:
    """Type ``keys`` characters of the queries, ``GAP`` apart, timing each; the keys that never showed."""
    lost: list[str] = []
    typed = 0
    for query in itertools.cycle(queries):
        if typed >= keys:
            break
        field.value = ""
        await _settle(probe, "")
        for position, character in enumerate(query[: keys - typed]):
            await asyncio.sleep(GAP)
            probe.done.clear()
            probe.expect = query[: position + 1]
            event = key_event(character)
            probe.t0 = time.perf_counter()
            driver.process_message(event)
            try:
                await asyncio.wait_for(probe.done.wait(), 2.0)
            except TimeoutError:
                lost.append(f"{query!r}[{position}]")
                probe.expect = None
            typed += 1
    return lost


async def _type_fast(driver: Any, field: Any, owner: Any, probe: Probe, services: Any, queries: list[str]) -> list[str]:
    """Every key of each query at once; the queries whose final screen is not what it should be."""
    wrong_queries: list[str] = []
    for query in queries:
        field.value = ""
        await _settle(probe, "")
        probe.shown.clear()
        for character in query:
            driver.process_message(key_event(character))
        settled = await _settle(probe, query)
        prefixes = [query[:n] for n in range(1, len(query) + 1)]
        wrong = not settled or field.value != query or probe.shown != prefixes
        if services is not None and not wrong:
            expected = [h.service.id for h in services.search(query, 12)]
            wrong = [h.service.id for h in owner.hits] != expected
        if wrong:
            wrong_queries.append(query)
    return wrong_queries


async def run_case(case: str, keys: int, burst: int = BURST_QUERIES) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="guichet-bench-latency-") as temp:
        app, services = _build(case, Path(temp))
        probe = Probe()
        on_frame(probe.frame)
        counters = Counters()
        queries = load_queries()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            warm_up = getattr(app, "check_database", None)  # guichet's database check, due 2 s after start
            if warm_up is not None:
                from guichet.ui.workers import workers_done

                warm_up()  # now, so that its imports (SQLAlchemy) do not land in the middle of the figures
                await workers_done(app)
                await screens_warmed(app)  # and the screens' warm-up (at the first quiet moment) too
                await pilot.pause()
            owner = app if case == "bare" else app.search_screen
            _wrap(owner, probe)
            field = owner.query_one("Input")
            probe.shown.append(field.value)  # what the screen shows since it was mounted
            counters.active = True
            lost = await _type_at_human_pace(app._driver, field, probe, queries, keys)
            counters.active = False
            burst_bad = await _type_fast(app._driver, field, owner, probe, services, queries[:burst])
        if services is not None:
            services.close()
    return {"case": case, "latencies": probe.latencies, "lost": lost, "burst": burst, "burst_bad": burst_bad,
            "gc": counters.gc,
            "footer_recomposes": counters.footer_recomposes}


def run_child(case: str, keys: int, burst: int) -> dict[str, Any]:
    """``run_case`` in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="guichet-bench-latency-") as temp:
        done = subprocess.run([sys.executable, __file__, "--case", case, "--keys", str(keys), "--burst", str(burst)],
                              env=child_env(Path(temp) / "home"), capture_output=True, text=True, timeout=600,
                              check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"latency {case}: no report (exit {done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def _collections(found: dict[str, Any]) -> str:
    """The garbage collections of the older generations: count, median and total ms."""
    parts = []
    for generation in ("1", "2"):
        times = found["gc"][generation]
        if times:
            parts.append(f"GC gen{generation} ×{len(times)} (median {median(times):.1f} ms, total {sum(times):.0f} ms)")
    return ", ".join(parts) or "no GC of gen1/gen2"


P95_TARGET = 33.0  # ms


def measure(short: bool) -> list[Row]:
    keys, burst = (100, 10) if short else (200, BURST_QUERIES)
    found = {case: run_child(case, keys, burst) for case in CASES}
    base = found["bare"]["latencies"]
    rows: list[Row] = []
    for case, label, target in (("guichet", "shipped catalog (108)", 16.0), ("guichet-10k", "10,000 entries", 33.0)):
        ours = found[case]["latencies"]
        row = Row(f"keystroke → frame, {label}: median ms ({len(ours)} keys)", median(ours), median(base),
                  f"< {target:.0f} ms", median(ours) < target, ".2f")
        rows.append(row)
        p95_row = Row(f"keystroke → frame, {label}: p95 ms", p95(ours), p95(base), f"< {P95_TARGET:.0f} ms",
                      p95(ours) < P95_TARGET, ".2f")  # issue 16, item 3: both catalog sizes
        p95_row.notes.append(f"{label}, while typing {len(ours)} keys: {_collections(found[case])}, Footer recomposed "
                             f"{found[case]['footer_recomposes']} times · bare app: {_collections(found['bare'])}, "
                             f"Footer recomposed {found['bare']['footer_recomposes']} times")
        rows.append(p95_row)
        bad = found[case]["lost"] + found[case]["burst_bad"]
        rows.append(Row(f"fast typing, {label}: wrong queries + lost keys (of {burst} + {len(ours)})", len(bad),
                        len(found["bare"]["lost"] + found["bare"]["burst_bad"]), "0", not bad, ".0f",
                        [f"{case}: lost {found[case]['lost'][:5]}, wrong {found[case]['burst_bad'][:5]}"] if bad
                        else []))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="100 keys and 10 fast queries instead of 200 and 20 (CI)")
    parser.add_argument("--case", choices=CASES, help="run one case in this process and print JSON")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--burst", type=int, default=BURST_QUERIES, help="queries typed all at once")
    args = parser.parse_args(argv)
    if args.case:
        if args.case != "bare":
            # As `guichet` runs (guichet.__main__): the collector paused from the start, then the
            # start-up objects frozen by the app after its first paint.
            import gc

            gc.disable()
        print(json.dumps(asyncio.run(run_case(args.case, args.keys, args.burst))))
        return
    print_table(measure(args.short))


if __name__ == "__main__":
    main()
