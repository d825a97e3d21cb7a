"""Demo scripts: the TOML script model, and its loading and validation.

A script names the instant (``now``), the counter's agency and the agent, then lists steps,
one kind per ``[[step]]`` table: ``caption`` (a French sentence shown in a bar at the bottom of
the screen, left on screen for a reading time), ``type`` (text typed one key at a time),
``press`` (Textual key names), ``pause`` (seconds), ``wait = true`` (the database workers have
finished), ``clock = "10:25"`` (the frozen clock moves to that time of the script's day: a morning
played in a minute, its people received with their real durations) and ``snapshot`` (an SVG of
the screen, without the caption bar). Every mistake in a
script is one :class:`~guichet.tomlcheck.DataError` naming the file, the line and the key.
The header (``title``, ``now``, ``agency``, ``agent``, ``size``) and the file's reading are shared
with the training exercises: :mod:`guichet.ui.session_file`.

This module holds :class:`Step`, :class:`Script`, :func:`load_script` and the shipped scripts;
:mod:`guichet.ui.demo` plays them against the real app.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from textual.keys import REPLACED_KEYS, Keys, key_to_character

from guichet.ui.session_file import SessionTable, open_file, read_header, shipped

KINDS = ("caption", "type", "press", "pause", "wait", "clock", "snapshot")
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
    at: time | None = None  # clock: the time of the script's day the frozen clock moves to


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


_ScriptTable = SessionTable  # the getters that steps need live with the shared header


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
    if kind == "clock":
        text = table.text(kind, max_len=5)
        try:
            at = time.fromisoformat(text) if re.fullmatch(r"\d{2}:\d{2}", text) else None
        except ValueError:
            at = None
        if at is None:
            table.fail(kind, f"{text!r}: expected a time of the script's day, HH:MM (e.g. \"10:25\")")
        return Step(kind, line, text=text, at=at)
    name = table.text(kind, max_len=41)
    if not _SNAPSHOT_NAME.match(name):
        table.fail(kind, f"{name!r}: use lowercase letters, digits and dashes (it names the SVG file)")
    if name in snapshots:
        table.fail(kind, f"{name!r} is already the name of an earlier snapshot")
    snapshots.add(name)
    return Step(kind, line, text=name)


def load_script(path: Path) -> Script:
    """Read and validate the script at ``path``; any mistake raises one :class:`DataError`."""
    root = open_file(path, "demo script")
    header = read_header(root)
    snapshots: set[str] = set()
    steps = tuple(_step(root.sub(t), snapshots)
                  for t in root.tables("step", required=True))
    if not steps:
        root.fail("step", "a script needs at least one [[step]]")
    root.finish()
    return Script(path, header.title, header.now, header.agency, header.agent, header.size, steps)


def shipped_scripts() -> list[Path]:
    """The demo scripts shipped in the package (``guichet/data/demos/*.toml``), by name."""
    return shipped("demos")
