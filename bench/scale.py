"""Scale: what a refresh of the slot list, the day sheet and the handoff list costs the UI thread.

Usage: ``python bench/scale.py [--short]``

A SQLite database with 300,000 appointments (bench/slots.py's builder: full next two weeks,
five years of history) and 50,000 handoffs (30,000 / 5,000 with ``--short``). guichet runs
headless in a fresh process (without pytest, which the builder imports); each screen is opened
as the agent would (F4, F3, F9). Then, for each screen:

- worker: the query its thread worker runs (``find_slots`` of 40 slots, ``day_sheet`` of today
  in Nanterre, ``handoffs.listing`` of the first 100 « en cours »), off the UI thread, on the
  database's second session (the first one's ``PRAGMA optimize`` at close gave SQLite's planner
  its statistics; the first session's times are in the notes); its baseline is the same query on
  an empty database;
- callback: the screen's ``_show_slots`` / ``_show`` called with those results (UI thread CPU);
- UI thread CPU per refresh: ``time.thread_time()`` of the UI thread from that call to the last
  frame it caused (each refresh alternates between the results and the results less their last row,
  as when another counter books a slot; then, reported apart, the very same rows again, the periodic
  refresh that finds nothing new and draws nothing): the callback, the messages and idle handlers it
  set off, layout, frames turned into terminal bytes (see _common.on_frame). CPU time, so that other processes on a
  busy machine do not count. Target: under one frame, 16 ms. Its baseline is a bare Textual
  app (bench/bare_app.py BareTableApp) refreshing a DataTable with the very same cells: what
  Textual's DataTable costs by itself. The notes add wall times.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from _common import (
    FRAME_MS,
    NOW_TEXT,
    SIZE,
    Row,
    bench_settings,
    child_env,
    median,
    on_frame,
    p95,
    print_table,
    screens_warmed,
)

SEED = 20261124
FULL, SHORT = (300_000, 50_000), (30_000, 5_000)
QUIET = 0.05  # s without a frame: the screen has finished repainting
SCREENS = ("slots", "day sheet", "handoffs")


class Frames:
    """When the last frame went out: wall clock, and the CPU time of the UI thread then."""

    def __init__(self) -> None:
        self.last = 0.0
        self.last_cpu = 0.0
        on_frame(self._seen)

    def _seen(self, _app: Any, _screen: Any, now: float) -> None:
        self.last = now
        self.last_cpu = time.thread_time()


async def ui_cost(shows: Sequence[Callable[[], Any]], frames: Frames, repeat: int) -> dict[str, list[float]]:
    """Callback CPU, UI thread CPU to the last frame, and wall time to it (ms), ``repeat`` refreshes,
    each by the next of ``shows`` in turn. A refresh that draws nothing (the same rows again) costs
    the CPU of the callback and of the messages it set off, until the screen is quiet."""
    found: dict[str, list[float]] = {"callback": [], "cpu": [], "wall": []}
    for n in range(repeat):
        await asyncio.sleep(QUIET)
        start, start_cpu = time.perf_counter(), time.thread_time()
        shows[n % len(shows)]()
        found["callback"].append((time.thread_time() - start_cpu) * 1000)
        while True:  # until no frame for QUIET seconds
            seen = frames.last
            await asyncio.sleep(QUIET)
            if frames.last == seen:
                break
        if frames.last > start:
            found["cpu"].append((frames.last_cpu - start_cpu) * 1000)
            found["wall"].append((frames.last - start) * 1000)
        else:  # nothing drawn
            found["cpu"].append((time.thread_time() - start_cpu) * 1000 - 0.0)
            found["wall"].append(0.0)
    return found


# -- building (a child process: bench/slots.py imports the test fixtures) ----------------------
def handoff_rows(total: int, rng: random.Random) -> list[dict[str, Any]]:
    """``total`` handoff rows over the last two years."""
    from guichet.domain.clock import parse_local
    from guichet.domain.handoff import Contact, Destination, HandoffStatus
    from guichet.domain.models import LifeEvent
    from guichet.store.tables import to_db

    now = parse_local(NOW_TEXT)
    statuses = list(HandoffStatus)
    rows = []
    for n in range(total):
        created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        status = rng.choice(statuses)
        closed = status in (HandoffStatus.CLOTUREE, HandoffStatus.REFUSEE)
        rows.append({
            "created_at": to_db(created), "updated_at": to_db(created), "closed_at": to_db(created) if closed else None,
            "created_by": "bench", "agency": "nanterre", "status": status.value, "status_reason": "",
            "name": f"Personne {n}", "file_number": f"{rng.randrange(10**7):07d}", "phone": "0612345678",
            "contact": rng.choice(list(Contact)).value, "life_event": rng.choice(list(LifeEvent)).value,
            "event_date": created.date(), "motifs": "Non-paiement", "benefits": "APL,RSA",
            "comment": "Situation décrite au guichet. " * 4, "specificities": "", "specificity_other": "",
            "rights_opened": None, "non_payment_since": None, "period_start": None, "period_end": None,
            "sharp_drop": False, "emergency": None, "already_followed": False, "referent": "", "partner": "",
            "documents_to_professional": False, "consent": True, "service_id": None, "urgent": rng.random() < 0.05,
            "destination": rng.choice(list(Destination)).value, "destination_label": "Service social de la Caf",
            "message": "Objet : passage de relais\n" + "Texte du message. " * 30,
        })
    return rows


def build(root: Path, appointments: int, handoffs: int) -> float:
    """Fill the database under ``root``; seconds taken."""
    from sqlalchemy import insert

    import slots as slots_bench  # bench/slots.py: its appointment builder
    from guichet.services import make_services
    from guichet.store.tables import HandoffRow

    started = time.perf_counter()
    services = make_services(bench_settings(root))
    try:
        services.engine  # noqa: B018 - creates the schema even when nothing is inserted
        if appointments:
            slots_bench.build_database(services, appointments)
        if handoffs:
            rows = handoff_rows(handoffs, random.Random(SEED))
            with services.engine.begin() as connection:
                for start in range(0, len(rows), 5_000):
                    connection.execute(insert(HandoffRow), rows[start:start + 5_000])
    finally:
        services.close()
    return time.perf_counter() - started


# -- measuring guichet (a fresh child) ------------------------------------------------------
def _timed(run: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    result, times = None, []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


async def measure_guichet(root: Path, repeat: int, ui: bool) -> dict[str, Any]:
    """Per screen: worker timings, and (``ui``) UI costs and the cells the table shows."""
    from guichet.services import make_services
    from guichet.ui.app import GuichetApp
    from guichet.ui.screens import booking, handoffs
    from guichet.ui.widgets.rowlist import RowList
    from guichet.ui.workers import workers_done

    services = make_services(bench_settings(root))
    frames = Frames()
    app = GuichetApp(services, cursor_blink=False)
    found: dict[str, Any] = {}
    plans: list[tuple[str, Callable[[], Any], Callable[[Any], Callable[[], Any]], str]] = [
        ("slots", app.action_book, lambda s: lambda: services.appointments.find_slots(
            s.kind, s.channel, s.agency_id, date_from=s.day_from, part=s.part, limit=booking.SLOTS_SHOWN),
         "_show_slots"),
        ("day sheet", app.action_day_sheet,
         lambda s: lambda: services.appointments.day_sheet(s.agency_id, s.day), "_show"),
        ("handoffs", app.action_handoffs, lambda s: lambda: services.handoffs.listing(
            handoffs.FILTERS[s.filter][1], limit=handoffs.PAGE), "_show"),
    ]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await screens_warmed(app)
            for name, open_screen, query, callback_name in plans:
                open_screen()
                await pilot.pause()
                await workers_done(app)
                await pilot.pause()
                screen = app.screen
                worker, result = _timed(query(screen), repeat)
                found[name] = {"rows": len(result), "worker": worker}
                if ui:
                    callback = getattr(screen, callback_name)
                    if hasattr(screen, "_generation"):  # the booking drops a list older than its latest search
                        callback = functools.partial(callback, generation=screen._generation)
                    # Every refresh brings a change (a row comes or goes, as when another counter
                    # books a slot): what the target is about. Then the same rows again (a periodic
                    # refresh that finds nothing new), reported apart.
                    changing = [functools.partial(callback, result[:-1]), functools.partial(callback, result)]
                    found[name].update(await ui_cost(changing, frames, repeat))
                    same = await ui_cost([functools.partial(callback, result)], frames, repeat)
                    found[name]["same_cpu"] = same["cpu"]
                    # The baseline shows the very same cells in a bare Textual DataTable.
                    rowlist = screen.query_one(RowList)
                    found[name]["columns"] = [c.label for c in rowlist.columns]
                    found[name]["cells"] = [list(row) for row in rowlist.rows]
                await app.action_back()
                await pilot.pause()
    finally:
        services.close()
    return found


async def measure_bare(tables: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The bare DataTable app refreshed with the cells guichet showed."""
    from bare_app import BareTableApp

    frames = Frames()
    app = BareTableApp()
    found: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name, table in tables.items():
            app.show(table["columns"], [])
            found[name] = await ui_cost([functools.partial(app.show, table["columns"], table["cells"])], frames,
                                        repeat)
    return found


def _child(*args: str, home: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], env=child_env(home), capture_output=True, text=True,
                          timeout=1200, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"scale {args[0]}: no report (exit {done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def measure(short: bool) -> list[Row]:
    appointments, handoffs = SHORT if short else FULL
    repeat = 5 if short else 20
    with tempfile.TemporaryDirectory(prefix="guichet-bench-scale-") as temp:
        root, home = Path(temp), Path(temp) / "home"
        built = _child("--build", str(root / "loaded"), str(appointments), str(handoffs), home=home)["seconds"]
        _child("--build", str(root / "empty"), "0", "0", home=home)
        # A session before the measured one, as every workstation's database has had: guichet's
        # PRAGMA optimize at close gives SQLite's query planner its statistics.
        first = _child("--measure", str(root / "loaded"), "1", "--no-ui", home=home)
        loaded = _child("--measure", str(root / "loaded"), str(repeat), home=home)
        empty = _child("--measure", str(root / "empty"), str(repeat), "--no-ui", home=home)
        spec = root / "tables.json"
        spec.write_text(json.dumps({n: {k: loaded[n][k] for k in ("columns", "cells")} for n in SCREENS}))
        bare = _child("--bare", str(spec), str(repeat), home=home)
    rows: list[Row] = []
    sizes = {"slots": f"{appointments:,} appts", "day sheet": f"{appointments:,} appts",
             "handoffs": f"{handoffs:,} handoffs"}
    for name in SCREENS:
        ours, base, table = loaded[name], empty[name], bare[name]
        label = f"{name} ({sizes[name]}, {ours['rows']} rows)"
        rows.append(Row(f"{label}: worker (thread) median ms, vs empty db", median(ours["worker"]),
                        median(base["worker"]), "(off UI)", None, ".2f"))
        rows.append(Row(f"{label}: callback UI CPU median ms, vs bare table", median(ours["callback"]),
                        median(table["callback"]), "(info)", None, ".2f"))
        cpu = Row(f"{label}: UI thread CPU per refresh (a row changed) median ms, vs bare table", median(ours["cpu"]),
                  median(table["cpu"]), f"< {FRAME_MS:.1f} ms", None, ".2f")
        cpu.met = cpu.ours < FRAME_MS
        cpu.notes.append(f"{name}: UI CPU p95 {p95(ours['cpu']):.1f} ms (bare table {p95(table['cpu']):.1f}); wall to "
                         f"last frame median {median(ours['wall']):.1f} ms (bare table {median(table['wall']):.1f})")
        rows.append(cpu)
        rows.append(Row(f"{label}: UI thread CPU per refresh (nothing changed) median ms, vs bare table",
                        median(ours["same_cpu"]), median(table["cpu"]), "(info)", None, ".2f"))
    rows[0].notes.append(f"scale: database built in {built:.1f} s; {repeat} repeats per figure; measured on the"
                         " database's second session (the first, without the planner's statistics, took: "
                         + ", ".join(f"{n} {median(first[n]['worker']):.1f} ms" for n in SCREENS) + ")")
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="30,000 appointments, 5,000 handoffs (CI)")
    parser.add_argument("--build", nargs=3, metavar=("ROOT", "APPOINTMENTS", "HANDOFFS"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=2, metavar=("ROOT", "REPEAT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-ui", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, metavar=("SPEC", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        print(json.dumps({"seconds": build(Path(args.build[0]), int(args.build[1]), int(args.build[2]))}))
    elif args.measure:
        # As `guichet` runs (guichet.__main__): the collector paused from the start, then the start-up
        # objects frozen by the app after its first paint (as bench/latency.py and transitions.py do).
        import gc

        gc.disable()
        print(json.dumps(asyncio.run(measure_guichet(Path(args.measure[0]), int(args.measure[1]), not args.no_ui))))
    elif args.bare:
        tables = json.loads(Path(args.bare[0]).read_text())
        print(json.dumps(asyncio.run(measure_bare(tables, int(args.bare[1])))))
    else:
            print_table(measure(args.short))


if __name__ == "__main__":
    main()
