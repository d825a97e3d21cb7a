"""What demo scripts and training exercises share: one TOML header and one way to read a file.

Both kinds of file set the scene the same way, with the same keys and the same checks: ``title``,
``now`` (the frozen instant, Paris time), ``agency`` (the counter's agency, an id of agencies.toml),
``agent`` (the name the app shows) and, optionally, ``size`` ([columns, rows] of the screen). Both
are read strictly by :func:`open_file` and :class:`SessionTable`: any mistake is one
:class:`~guichet.tomlcheck.DataError` naming the file, the line and the key. A demo script then lists
its ``[[step]]`` (:mod:`guichet.ui.demo_script`); an exercise its situation and its ``[[check]]``
(:mod:`guichet.ui.exercise_file`).

No Textual here: ``guichet entrainement --list`` reads the exercises without loading the interface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from guichet.catalog import load_catalog
from guichet.domain.clock import parse_local
from guichet.paths import SHIPPED_DATA
from guichet.tomlcheck import DataError, KeyLines, Table, load_toml

DEFAULT_SIZE = (100, 30)
MIN_SIZE = (80, 24)
MAX_SIZE = (400, 200)


@dataclass(frozen=True, slots=True)
class Header:
    """The scene of a demo or an exercise."""

    title: str
    now: datetime
    agency: str
    agent: str
    size: tuple[int, int]


class SessionTable(Table):
    """A :class:`Table` with the getters that demo scripts and exercises need beyond the data files'."""

    def number(self, key: str, *, low: float, high: float) -> float:
        value = self._get(key, True, (int, float), "a number of seconds")
        if not math.isfinite(value) or not low < value <= high:
            self.fail(key, f"must be more than {low:g} and at most {high:g} seconds, got {value}")
        return float(value)

    def size(self, key: str) -> tuple[int, int]:
        value = self._get(key, False, list, "[columns, rows]")
        if value is None:
            return DEFAULT_SIZE
        if len(value) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            self.fail(key, "expected [columns, rows], two whole numbers")
        columns, rows = value
        if not (MIN_SIZE[0] <= columns <= MAX_SIZE[0] and MIN_SIZE[1] <= rows <= MAX_SIZE[1]):
            self.fail(key, f"must be from {MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIZE[0]}x{MAX_SIZE[1]}, "
                           f"got {columns}x{rows}")
        return columns, rows

    def sub(self, table: Table) -> SessionTable:
        """``table`` (from :meth:`tables` or :meth:`table`) with these getters."""
        return SessionTable(table.data, table.path, table.lines, table.file)


def open_file(path: Path, what: str) -> SessionTable:
    """The root table of the TOML file at ``path``; ``what`` names it in the errors (« demo script »)."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(file, None, "", f"{what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(file, None, "", f"cannot read the {what}: {exc}") from None
    return SessionTable(load_toml(text, file), (), KeyLines(text), file)


def read_header(root: SessionTable) -> Header:
    """The shared keys of ``root``, checked: the instant parses, the agency exists."""
    title = root.text("title", max_len=120)
    now_text = root.text("now", max_len=40)
    try:
        now = parse_local(now_text)
    except ValueError as exc:
        root.fail("now", str(exc))
    agency = root.text("agency", max_len=60)
    known = [a.id for a in load_catalog().agencies]
    if agency not in known:
        root.fail("agency", f"unknown agency {agency!r} (agencies: {', '.join(known)})")
    agent = " ".join(root.text("agent", max_len=60).split())
    return Header(title, now, agency, agent, root.size("size"))


def shipped(folder: str) -> list[Path]:
    """The files shipped in the package's ``data/<folder>/*.toml``, by name."""
    return sorted((SHIPPED_DATA / folder).glob("*.toml"))


def resolve(name: str, known: list[Path], missing: str) -> Path:
    """A shipped file's name (``walk-in-hours``, ``asf-separation``) among ``known``, or a path to a file;
    otherwise :class:`DataError`: ``missing`` (which opens the parenthesis) and the shipped names."""
    by_name = {path.stem: path for path in known}
    if name in by_name:
        return by_name[name]
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        return path
    raise DataError(name, None, "", f"{missing} {', '.join(by_name)})")
