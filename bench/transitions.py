"""Key → new screen painted with its first field focused, for every screen an agent opens (issue 16).

Usage: ``python bench/transitions.py [--short]`` (the report), or
``python bench/transitions.py --case guichet|bare [--opens N] [--widgets 12,99,…]`` (one case, JSON;
what the report runs, each case in a fresh process).

Measured inside the app, headless at 100x30, as bench/latency.py does: the clock starts when the
key event is handed to the driver (``Driver.process_message``, what a terminal driver does with
the bytes it read) and stops at the first frame given to ``App._display`` (turned into terminal
bytes by _common.on_frame) where the expected screen is on top and holds the focus (its first
field, or the card for search → card). Each transition is opened ``opens`` times: the first open
(in a fresh process: first compose, first layout) apart from the later ones (median, p95). The timing
starts once guichet has warmed its screens (imports and CSS, at the keyboard's first quiet moment)
and made its top-level screens ahead (ui/ahead.py: one a quiet moment after that); each series starts
from that state again (an agent does not open thirteen screens within a few seconds). A screen left is
made again as soon as the screen shown instead is painted, unless keys wait (then at the next quiet
moment): the later opens of ``h`` (two Échap) find it made or not, as the keys' pace decides.

The baseline, in its own process in the same run: a bare Textual app pushing a screen with as
many widgets as the guichet screen had in the frame that stopped the clock (the handoff form mounts
the fields under its first screenful after that frame: both counts are reported), Labels and
Inputs, the first Input focused, popped with
Escape; its first push and later pushes the same way.

Then the typeahead check (no key lost): bursts typed 10 ms a key, without waiting for anything,
through ``t`` + name + Tab + file number + Tab + phone, through F4 + name, through ``r`` + Escape +
a new search: the fields must hold exactly what was typed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import SIZE, Row, bench_settings, child_env, key_event, median, on_frame, p95, print_table, screens_warmed

OPENS = 20
CASES = ("guichet", "bare")
TARGET_RATIO = 1.5
TARGET_MS = 100.0
KEY_GAP = 0.010  # the typeahead bursts: 10 ms a key


@dataclass(frozen=True)
class Transition:
    """One screen an agent opens: from where, the timed key, the screen and focus that end it."""

    name: str
    prepare: tuple[str, ...]  # keys typed (not timed) to reach the starting point, from the search field
    key: str  # the timed key
    screen: str  # the class name of the screen that must be on top
    focus: str | None  # the class name of the focused widget, None: any widget of that screen, "": no focus needed
    back: tuple[str, ...] = ("escape",)  # back to the search field (not timed)


CALM = "<calm>"  # in a key list: wait until the app is idle (the finder's results come from a worker)
SEARCH_TEXT = "separation"
BACK_TO_CARD = ("escape", "escape")  # a screen opened from the card goes back to the card, then the field
TRANSITIONS = (
    Transition("search → card (Entrée)", tuple(SEARCH_TEXT), "enter", "SearchScreen", "OrientationCard",
               ("escape",)),
    Transition("card → handoff form (t)", (*SEARCH_TEXT, "enter"), "t", "HandoffScreen", None, BACK_TO_CARD),
    Transition("card → booking (r)", ("a", "p", "l", "enter"), "r", "BookingScreen", None, BACK_TO_CARD),
    Transition("card → agencies (h)", ("a", "p", "l", "enter"), "h", "AgenciesScreen", None, BACK_TO_CARD),
    Transition("F1 help", (), "f1", "HelpScreen", None),
    Transition("F2 agencies", (), "f2", "AgenciesScreen", None),
    Transition("F3 day sheet", (), "f3", "DaySheetScreen", None),
    Transition("F4 booking", (), "f4", "BookingScreen", None),
    Transition("F9 handoffs", (), "f9", "HandoffsScreen", None),
    Transition("F10 settings", (), "f10", "SettingsScreen", None),
    Transition("Ctrl+F finder", (), "ctrl+f", "FinderScreen", None),
    Transition("finder → confirmation (Entrée)", ("ctrl+f", *"Diallo", CALM, "enter"), "enter",
               "ConfirmationScreen", ""),
    Transition("F2 agencies → back (Échap)", ("f2",), "escape", "SearchScreen", "Input", ()),
)


def _event(key: str) -> Any:
    """The key event a terminal driver sends for ``key`` (a character or a name: ``f2``, ``escape``), as
    ``Pilot.press`` builds it."""
    import unicodedata

    from textual import events
    from textual.keys import _get_unicode_name_from_key

    if len(key) == 1:
        return key_event(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = None
    return events.Key(key, char)


class Probe:
    """Waits for a frame where ``done(app)`` holds; its time since ``t0``."""

    def __init__(self) -> None:
        self.done: Callable[[Any], bool] | None = None
        self.t0 = 0.0
        self.elapsed: float | None = None
        self.painted = 0  # the widgets of the screen in the frame that stopped the clock
        self.reached = asyncio.Event()

    def frame(self, app: Any, _screen: Any, now: float) -> None:
        if self.done is not None and self.done(app):
            self.elapsed = (now - self.t0) * 1000
            self.painted = len(list(app.screen.walk_children(with_self=False)))
            self.done = None
            self.reached.set()

    async def time(self, app: Any, key: str, done: Callable[[Any], bool], timeout: float = 10.0) -> float:
        self.reached.clear()
        self.elapsed = None
        self.done = done
        self.t0 = time.perf_counter()
        app._driver.process_message(_event(key))
        try:
            await asyncio.wait_for(self.reached.wait(), timeout)
        except TimeoutError:
            self.done = None
            top = app.screen
            raise RuntimeError(f"the key {key!r} never reached its screen: {type(top).__name__} is on top, "
                               f"{type(top.focused).__name__} has the focus") from None
        assert self.elapsed is not None
        return self.elapsed


def _shows(screen: str, focus: str | None) -> Callable[[Any], bool]:
    def done(app: Any) -> bool:
        top = app.screen
        focused = top.focused
        if type(top).__name__ != screen:
            return False
        if focus == "":  # a screen with nothing to focus (the confirmation)
            return True
        return focused is not None and (focus is None or type(focused).__name__ == focus)
    return done


async def _calm(app: Any) -> None:
    """Until the app has no pending work (workers, refreshes) and a frame went out."""
    from guichet.ui.workers import workers_done

    await workers_done(app)
    await asyncio.sleep(0.05)


async def _keys(app: Any, keys: Sequence[str]) -> None:
    for key in keys:
        if key == CALM:
            await _calm(app)
            continue
        app._driver.process_message(_event(key))
        await asyncio.sleep(0.02)
    await _calm(app)


def _seed(services: Any) -> None:
    """One appointment to find with Ctrl+F (the confirmation transition)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from guichet.domain.models import Channel, Kind
    from guichet.services.appointments import BookingRequest

    services.appointments.book(BookingRequest(
        "nanterre", Kind.GCA, Channel.TELEPHONE, datetime(2026, 11, 24, 13, 0, tzinfo=ZoneInfo("Europe/Paris")),
        "Awa Diallo", "7654321", "06 12 34 56 78", "apl-non-versee"))


async def _guichet(opens: int) -> dict[str, Any]:
    from guichet.services import make_services
    from guichet.ui.app import GuichetApp

    with tempfile.TemporaryDirectory(prefix="guichet-bench-transitions-") as temp:
        services = make_services(bench_settings(Path(temp)))
        _seed(services)
        app = GuichetApp(services, cursor_blink=False)
        probe = Probe()
        on_frame(probe.frame)
        found: dict[str, Any] = {}
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.check_database()
            await _calm(app)
            await screens_warmed(app)
            await _calm(app)
            for transition in TRANSITIONS:
                await screens_warmed(app)  # each series from a counter at rest: the screens made ahead are there
                times, painted, widgets = [], 0, 0
                for n in range(opens):
                    app.log(f"bench: {transition.name}, open {n}")
                    await _keys(app, transition.prepare)
                    times.append(await probe.time(app, transition.key,
                                                  _shows(transition.screen, transition.focus)))
                    painted = max(painted, probe.painted)
                    await _calm(app)
                    widgets = max(widgets, len(list(app.screen.walk_children(with_self=False))))
                    await _keys(app, transition.back)
                    try:
                        await _home(app)
                    except RuntimeError as exc:
                        raise RuntimeError(f"{transition.name}, open {n}: {exc}") from None
                found[transition.name] = {"times": times, "widgets": painted, "whole": widgets}
            found["typeahead"] = await _typeahead(app)
        services.close()
    return found


async def _home(app: Any) -> None:
    """Back on the search screen, its field empty and focused (a failed step would skew the next)."""
    at_home = _shows("SearchScreen", "Input")
    for _ in range(4):  # Échap until there: each screen steps back one level (the finder: table, field, out)
        deadline = time.perf_counter() + 2
        while not at_home(app) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        if at_home(app):
            break
        await _keys(app, ["escape"])
    top = app.screen
    if not at_home(app):
        raise RuntimeError(f"not back on the search field: {type(top).__name__} on top, "
                           f"{type(top.focused).__name__} focused")
    top.query_one("Input").value = ""
    await _calm(app)


async def _burst(app: Any, keys: Sequence[str]) -> None:
    for key in keys:
        app._driver.process_message(_event(key))
        await asyncio.sleep(KEY_GAP)
    keys_delivered = getattr(app, "keys_delivered", None)  # the bare app has no typeahead
    if keys_delivered is not None:
        with contextlib.suppress(TimeoutError):  # a key still waiting after 10 s counts as lost
            await asyncio.wait_for(keys_delivered(), 10)
    await _calm(app)


def _value(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).value)


async def _leave(app: Any) -> None:
    """A clean counter for the next burst, as between two persons: Ctrl+N (« oui » when it asks: the
    bursts leave typed details in the booking, which is kept), then back on the empty search field."""
    await _keys(app, ["ctrl+n"])
    for _ in range(8):
        if _shows("SearchScreen", "Input")(app):
            break
        await _keys(app, ["o" if type(app.screen).__name__ == "AskScreen" else "escape"])
    app.search_screen.query_one("Input").value = ""
    await _calm(app)


BURSTS = (  # (what is typed, then each field and what it must hold)
    ("t + nom + Tab + n° + Tab + tél.", (*SEARCH_TEXT, "enter", "t", *"Awa Diallo", "tab", *"1234567", "tab",
                                        *"0612345678"),
     (("#name", "Awa Diallo"), ("#file-number", "1234567"), ("#phone", "0612345678"))),
    ("F4 + Entrée + nom + Tab + n°", ("f4", "enter", *"Awa Diallo", "tab", *"1234567"),
     (("#name", "Awa Diallo"), ("#file-number", "1234567"))),
    ("r + Échap + / + nouvelle recherche", ("a", "p", "l", "enter", "r", "escape", "slash", *"caf"),
     (("#search-input", "caf"),)),  # "/" selects the field's text: what is typed next replaces it
)


async def _typeahead(app: Any) -> list[dict[str, str]]:
    """Each burst: what was typed into which field, and what the field holds."""
    from textual.css.query import NoMatches

    results: list[dict[str, str]] = []
    for name, keys, fields in BURSTS:
        await _leave(app)
        await _burst(app, keys)
        for selector, typed in fields:
            try:
                held = _value(app, selector)
            except (NoMatches, AttributeError) as exc:  # a missing field is a failed check, reported
                held = f"<{type(exc).__name__}: {exc}>"
            results.append({"burst": name, "field": selector, "typed": typed, "held": held})
    await _leave(app)
    return results


async def _bare(opens: int, widget_counts: Sequence[int]) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.screen import Screen
    from textual.widgets import Footer, Input, Label

    class BareScreen(Screen[None]):
        AUTO_FOCUS = "Input"
        BINDINGS = [("escape", "app.pop_screen", "Retour")]

        def __init__(self, widgets: int) -> None:
            super().__init__()
            self.widgets = widgets

        def compose(self) -> ComposeResult:
            inputs = max(1, self.widgets // 4)
            with VerticalScroll():
                for n in range(inputs):
                    yield Label(f"Champ {n}")
                    yield Input(id=f"field-{n}")
                for n in range(max(0, self.widgets - 2 * inputs - 2)):
                    yield Label(f"Ligne {n}")
            yield Footer()

    class BarePushApp(App[None]):
        BINDINGS = [("f4", "push", "Écran")]

        def __init__(self) -> None:
            super().__init__()
            self.count = 1

        def compose(self) -> ComposeResult:
            yield Input(id="main")

        def action_push(self) -> None:
            self.push_screen(BareScreen(self.count))

    app = BarePushApp()
    probe = Probe()
    on_frame(probe.frame)
    found: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for count in widget_counts:
            app.count = count
            times = []
            for _ in range(opens):
                times.append(await probe.time(app, "f4", _shows("BareScreen", "Input")))
                await pilot.pause()
                await probe.time(app, "escape", _shows("Screen", "Input"))
                await pilot.pause()
            found[str(count)] = {"times": times}
    return found


def run_case(case: str, opens: int, widgets: Sequence[int]) -> dict[str, Any]:
    if case == "bare":
        return asyncio.run(_bare(opens, widgets))
    return asyncio.run(_guichet(opens))


def run_child(case: str, opens: int, widgets: Sequence[int] = ()) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="guichet-bench-transitions-") as temp:
        done = subprocess.run([sys.executable, __file__, "--case", case, "--opens", str(opens),
                               "--widgets", ",".join(map(str, widgets))],
                              env=child_env(Path(temp) / "home"), capture_output=True, text=True, timeout=900,
                              check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"transitions {case}: no report (exit {done.returncode}): {done.stderr[-3000:]}")
    return dict(json.loads(lines[-1]))


def measure(short: bool) -> list[Row]:
    opens = 4 if short else OPENS
    ours = run_child("guichet", opens)
    typeahead = ours.pop("typeahead")
    counts = sorted({entry["widgets"] for entry in ours.values()})
    base = run_child("bare", opens, counts)
    rows: list[Row] = []
    for name, entry in ours.items():
        times, widgets = entry["times"], entry["widgets"]
        bare = base[str(widgets)]["times"]
        first, later = times[0], times[1:]
        bare_first, bare_later = bare[0], bare[1:]
        worst = max(first, p95(later))
        met = first <= TARGET_RATIO * bare_first and median(later) <= TARGET_RATIO * median(bare_later) \
            and worst < TARGET_MS
        whole = entry.get("whole", widgets)
        shown = f"{widgets} widgets" if whole == widgets else f"{widgets} widgets in its first frame, {whole} in all"
        rows.append(Row(f"{name} ({shown}): first open ms", first, bare_first,
                        f"≤ {TARGET_RATIO}× bare, < {TARGET_MS:.0f} ms", met, ".1f"))
        rows.append(Row(f"{name}: later opens median ms (p95)", median(later), median(bare_later), "(info)", None,
                        ".1f", [f"{name}: later opens p95 {p95(later):.1f} ms (bare {p95(bare_later):.1f} ms), "
                                f"{len(later)} opens"]))
    wrong = [r for r in typeahead if r["held"] != r["typed"]]
    rows.append(Row(f"typeahead at 10 ms a key: fields not holding what was typed (of {len(typeahead)})",
                    len(wrong), 0, "0", not wrong, ".0f",
                    [f"typeahead {r['burst']}: {r['field']} typed {r['typed']!r}, holds {r['held']!r}"
                     for r in wrong]))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="4 opens of each screen instead of 20 (CI)")
    parser.add_argument("--case", choices=CASES, help="run one case in this process and print JSON")
    parser.add_argument("--opens", type=int, default=OPENS)
    parser.add_argument("--widgets", default="", help="bare case: the widget counts to push")
    args = parser.parse_args(argv)
    if args.case:
        widgets = [int(n) for n in args.widgets.split(",") if n]
        if args.case == "guichet":
            # As `guichet` runs (guichet.__main__): the collector paused from the start, then the
            # start-up objects frozen by the app after its first paint (as bench/latency.py does).
            import gc

            gc.disable()
        print(json.dumps(run_case(args.case, args.opens, widgets)))
        return
    print_table(measure(args.short))


if __name__ == "__main__":
    main()
