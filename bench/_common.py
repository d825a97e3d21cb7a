"""Shared pieces of the UI benchmarks: paths, statistics, the result rows, and the frame hook.

The frame hook wraps ``App._display``, the one place where Textual hands a finished frame to
the driver. Headless, Textual skips turning the frame into terminal bytes; the hook does that
work itself (``render_segments``) so that a headless frame costs what a real one costs, minus
the write to the terminal. Both guichet and the bare baseline go through the same hook.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for _entry in (str(ROOT / "src"), str(ROOT), str(BENCH)):  # a checkout; tests/ holds the fixtures
    if _entry not in sys.path:
        sys.path.insert(0, _entry)

SIZE = (100, 30)
NOW_TEXT = "2026-11-23T10:00"  # tests.conftest.FIXED_NOW, as GUICHET_NOW spells it
AGENCY = "nanterre"
QUERY_FILE = ROOT / "tests" / "unit" / "search_queries.toml"
FRAME_MS = 1000 / 60


@dataclass
class Row:
    """One line of the report: a figure beside its same-run baseline."""

    measure: str
    ours: float
    base: float | None = None
    target: str = ""
    met: bool | None = None
    unit_fmt: str = ".1f"
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.base is None or self.base == 0:
            return None
        return self.ours / self.base


@contextlib.contextmanager
def empty_databases(backend: str, root: Path, names: Sequence[str]) -> Iterator[tuple[str, ...] | None]:
    """One empty database URL per name: SQLite files under ``root/<name>``, or databases of a throwaway
    PostgreSQL server (tests/pg.py); None when the backend is absent."""
    if backend == "sqlite":
        yield tuple(f"sqlite:///{(root / name / 'guichet.sqlite3').as_posix()}" for name in names)
        return
    try:
        from tests.pg import PostgresUnavailable, running_server
    except ImportError:
        yield None
        return
    try:
        with running_server() as server:
            yield tuple(server.create_database(name) for name in names)
    except PostgresUnavailable:
        yield None


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


_compiled = False


def byte_compile() -> None:
    """Byte-compile guichet and the bench once, as ``pip install`` does for an installed package.

    A workstation runs guichet from compiled ``.pyc`` files; a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` (some CI images set it) would compile every module at every
    start and measure the compiler instead."""
    global _compiled
    if not _compiled:
        import compileall

        for folder in (ROOT / "src" / "guichet", BENCH):
            compileall.compile_dir(folder, quiet=2)
        _compiled = True


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured child: its own GUICHET_HOME, the fixed clock, no user settings,
    and the ``.pyc`` files of :func:`byte_compile` used (``PYTHONDONTWRITEBYTECODE`` dropped)."""
    byte_compile()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GUICHET_", "TEXTUAL")) and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env.update(GUICHET_HOME=str(home), GUICHET_NOW=NOW_TEXT, PYTHONPATH=os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.update(extra)
    return env


def bench_settings(root: Path) -> Any:
    """tests.conftest.make_settings without importing tests (and pytest) into the measured process."""
    from datetime import datetime

    from guichet.domain.clock import parse_local
    from guichet.paths import Paths
    from guichet.settings import Settings

    now: datetime = parse_local(NOW_TEXT)
    return Settings(paths=Paths(root / "config", root / "data", root / "logs"), now=now, agency=AGENCY,
                    agent_name="Camille Martin")


def write_workstation(home: Path) -> None:
    """The counter's config file under ``home`` (its agency), as a real workstation has."""
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'agency = "{AGENCY}"\nagent_name = "Camille Martin"\n', encoding="utf-8")


FrameListener = Callable[[Any, Any, float], None]
_listeners: list[FrameListener] = []


def on_frame(listener: FrameListener) -> None:
    """Call ``listener(app, screen, perf_counter)`` after every frame displayed (see module doc)."""
    if not _listeners:
        _install_frame_hook()
    _listeners.append(listener)


def _install_frame_hook() -> None:
    from textual._compositor import CompositorUpdate
    from textual.app import App

    original = App._display

    def _display(self: App[Any], screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        if renderable is None or self._batch_count:
            return
        if self.is_headless and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)  # the bytes a terminal would receive
        now = time.perf_counter()
        for listener in list(_listeners):
            listener(self, screen, now)

    App._display = _display  # type: ignore[method-assign]


async def screens_warmed(app: Any, timeout: float = 30.0) -> None:
    """Until guichet has warmed its screens (their code and CSS: ui/warm.py), which it does at the
    keyboard's first quiet moment (ui/quiet.py, 1.5 s without a key), and made its top-level screens
    ahead (ui/ahead.py, one each following quiet moment): an agent opens a first screen later than
    that after start, and neither must land inside a measure."""
    import asyncio

    deadline = time.perf_counter() + timeout
    while app.screens_ready is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    if not app.screens_ready:
        raise RuntimeError(f"guichet's screens were not warmed up: screens_ready={app.screens_ready}")
    # Then, a quiet moment each, the top-level screens made ahead (ui/ahead.py): what an agent finds
    # ready a few seconds after start.
    while not app.all_made_ahead() and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    if not app.all_made_ahead():
        raise RuntimeError("guichet's top-level screens were not made ahead")


def key_event(character: str) -> Any:
    """The ``events.Key`` a terminal driver would send for ``character`` (as ``Pilot.press``)."""
    from textual import events
    from textual.keys import _character_to_key

    return events.Key(_character_to_key(character), character)


def load_queries() -> list[str]:
    """The realistic queries of the test suite (bench/search.py's list when missing)."""
    import search as search_bench  # bench/search.py

    return search_bench.load_queries()


# -- the table every benchmark prints (bench/run.py prints them all together) --------------------
def _fmt(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _cells(row: Row) -> list[str]:
    verdict = "" if row.met is None else ("met" if row.met else "MISSED")
    ratio = row.ratio
    return [row.measure, _fmt(row.ours, row.unit_fmt), _fmt(row.base, row.unit_fmt),
            "-" if ratio is None else f"{ratio:.2f}", row.target, verdict]


HEADER = ["measure", "guichet", "baseline", "ratio", "target", ""]


def print_table(rows: Sequence[Row]) -> None:
    """The plain-text table, then the notes."""
    cells = [HEADER, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    for n, line in enumerate(cells):
        print(" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths,
                                                                                             strict=True))))
        if n == 0:
            print("-+-".join("-" * w for w in widths))
    notes = [note for row in rows for note in row.notes]
    if notes:
        print("\nnotes:")
        for note in notes:
            print(f"- {note}")


def markdown(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join([*HEADER[:-1], "verdict"]) + " |", "|" + "---|" * len(HEADER)]
    for row in rows:
        cells = _cells(row)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
