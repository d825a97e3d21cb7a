"""Demo scripts: the TOML script model, and its loading and validation.

A script names the instant (``now``), the counter's agency and the agent, then lists steps,
one kind per ``[[step]]`` table: ``caption`` (a French sentence shown in a bar at the bottom of
the screen, left on screen for a reading time), ``type`` (text typed one key at a time),
``press`` (Textual key names), ``pause`` (seconds), ``wait = true`` (the database workers have
finished) and ``snapshot`` (an SVG of the screen, without the caption bar). Every mistake in a
script is one :class:`~guichet.tomlcheck.DataError` naming the file, the line and the key.

This module holds :class:`Step`, :class:`Script`, :func:`load_script` and the shipped scripts;
:mod:`guichet.ui.demo` plays them against the real app.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual.keys import REPLACED_KEYS, Keys, key_to_character

from guichet.catalog import load_catalog
from guichet.domain.clock import parse_local
from guichet.paths import SHIPPED_DATA
from guichet.tomlcheck import DataError, KeyLines, Table, load_toml

KINDS = ("caption", "type", "press", "pause", "wait", "snapshot")
DEFAULT_SIZE = (100, 30)
MIN_SIZE = (80, 24)
MAX_SIZE = (400, 200)
MAX_PAUSE = 60.0
_SNAPSHOT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(str(k.value) for k in Keys if not str(k.value).startswith("<"))


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a script; ``line`` is where it is written."""

    kind: str
    line: int | None
    text: str = ""  # caption, type, snapshot
    keys: tuple[str, ...] = ()  # press
    seconds: float = 0.0  # pause


@dataclass(frozen=True, slots=True)
class Script:
    """A validated demo script."""

    path: Path
    title: str
    now: datetime
    agency: str
    agent: str
    size: tuple[int, int]
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return self.path.stem


# -- loading -------------------------------------------------------------------------------
def is_key_name(name: str) -> bool:
    """Whether Textual knows ``name`` as a key: ``enter``, ``f2``, ``ctrl+s``, ``slash``, ``a``…"""
    *modifiers, base = name.split("+")
    if any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers) or not base:
        return False
    if name in _KEY_NAMES or base in _KEY_NAMES:
        return True
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    character = key_to_character(REPLACED_KEYS.get(base, base)) if base == base.lower() else None
    return character is not None and character.isprintable()


class _ScriptTable(Table):
    """A :class:`Table` with the two getters that scripts need beyond the data files'."""

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


def _step(table: _ScriptTable, snapshots: set[str]) -> Step:
    line = table.lines.line_of(table.path)
    for key in table.data:
        if key not in KINDS:
            table.fail(key, f"unknown step kind (expected one of: {', '.join(KINDS)})")
    present = [k for k in KINDS if k in table.data]
    if not present:
        table.fail(None, f"empty step: give one of {', '.join(KINDS)}")
    if len(present) > 1:
        table.fail(present[1], f"one kind per step, but '{present[0]}' and '{present[1]}' share this [[step]]")
    kind = present[0]
    if kind == "caption":
        return Step(kind, line, text=unicodedata.normalize("NFC", table.text(kind, max_len=300)))
    if kind == "type":
        return Step(kind, line, text=unicodedata.normalize("NFC", table.text(kind, max_len=500)))
    if kind == "press":
        keys = table.texts(kind, required=True, max_len=40)
        if not keys:
            table.fail(kind, "give at least one key, e.g. [\"enter\"]")
        for i, key in enumerate(keys):
            if not is_key_name(key):
                table.fail(kind, f"unknown key name {key!r} (item {i + 1}); Textual names: enter, escape, tab, "
                                 "shift+tab, up, down, left, right, f1…f24, ctrl+s, space, slash, or one character")
        return Step(kind, line, keys=keys)
    if kind == "pause":
        return Step(kind, line, seconds=table.number(kind, low=0.0, high=MAX_PAUSE))
    if kind == "wait":
        if not table.boolean(kind):
            table.fail(kind, "write 'wait = true' (or remove the step)")
        return Step(kind, line)
    name = table.text(kind, max_len=41)
    if not _SNAPSHOT_NAME.match(name):
        table.fail(kind, f"{name!r}: use lowercase letters, digits and dashes (it names the SVG file)")
    if name in snapshots:
        table.fail(kind, f"{name!r} is already the name of an earlier snapshot")
    snapshots.add(name)
    return Step(kind, line, text=name)


def load_script(path: Path) -> Script:
    """Read and validate the script at ``path``; any mistake raises one :class:`DataError`."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(file, None, "", "demo script not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(file, None, "", f"cannot read the demo script: {exc}") from None
    lines = KeyLines(text)
    root = _ScriptTable(load_toml(text, file), (), lines, file)
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
    size = root.size("size")
    snapshots: set[str] = set()
    steps = tuple(_step(_ScriptTable(t.data, t.path, t.lines, t.file), snapshots)
                  for t in root.tables("step", required=True))
    if not steps:
        root.fail("step", "a script needs at least one [[step]]")
    root.finish()
    return Script(path, title, now, agency, agent, size, steps)


def shipped_scripts() -> list[Path]:
    """The demo scripts shipped in the package (``guichet/data/demos/*.toml``), by name."""
    return sorted((SHIPPED_DATA / "demos").glob("*.toml"))
