"""Strict reading of TOML tables with errors that name the file, the line and the key.

``tomllib`` gives no positions for values, so :class:`KeyLines` recovers them from the text:
it follows the table headers the way TOML does and remembers the line of every key. The
data files are hand-written in the usual layout (one ``key = value`` per line), which is all
this needs; a key it cannot place is reported against its table's header line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, NoReturn, TypeVar

from guichet.errors import GuichetError

T = TypeVar("T")
Path_ = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")


class DataError(GuichetError):
    """A mistake in a data file: one line naming the file, the line and the key."""

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class KeyLines:
    """Line numbers of the tables and keys of a TOML text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path_, int] = {}
        counters: dict[Path_, int] = {}
        current: Path_ = ()
        for number, raw in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(raw)
            if header and not raw.lstrip().startswith(("#",)):
                is_array = header.group(1) == "[["
                parts = [p.strip().strip("\"'") for p in header.group(2).split(".")]
                path: Path_ = ()
                for i, part in enumerate(parts):
                    path = (*path, part)
                    last = i == len(parts) - 1
                    if last and is_array:
                        counters[path] = counters.get(path, 0) + 1
                    if path in counters:
                        path = (*path, counters[path] - 1)
                current = path
                self.lines.setdefault(current, number)
                continue
            key = _KEY.match(raw)
            if key and not raw.lstrip().startswith("#"):
                parts = [p.strip().strip("\"'") for p in key.group(1).split(".")]
                self.lines.setdefault((*current, *parts), number)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of the nearest enclosing table that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def load_toml(text: str, file: str) -> dict[str, Any]:
    """Parse ``text``; a syntax error becomes a :class:`DataError` with its line."""
    import tomllib  # only on a cache miss: start-up usually reads the validated catalog

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found.group(1)) if found else None
        plain = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if found:
            plain += f" (column {found.group(2)})"
        raise DataError(file, line, "", f"invalid TOML: {plain}") from None


def dotted(path: Path_) -> str:
    """``("agency", 1, "schedule", 0, "desks")`` → ``agency[1].schedule[0].desks``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Table:
    """One TOML table read strictly: typed getters, and every unknown key is an error."""

    def __init__(self, data: dict[str, Any], path: Path_, lines: KeyLines, file: str) -> None:
        self.data = data
        self.path = path
        self.lines = lines
        self.file = file
        self._seen: set[str] = set()

    def fail(self, key: str | None, message: str) -> NoReturn:
        path = (*self.path, key) if key else self.path
        raise DataError(self.file, self.lines.line_of(path), dotted(path), message)

    def _get(self, key: str, required: bool, kind: type | tuple[type, ...], what: str) -> Any:
        self._seen.add(key)
        if key not in self.data:
            if required:
                self.fail(None, f"missing key '{key}'")
            return None
        value = self.data[key]
        # bool is an int in Python; TOML keeps them apart, so do we.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            self.fail(key, f"expected {what}, got {_describe(value)}")
        return value

    def text(self, key: str, *, required: bool = True, max_len: int = 500) -> Any:
        value = self._get(key, required, str, "a string")
        if value is not None:
            if not value.strip():
                self.fail(key, "must not be empty")
            if len(value) > max_len:
                self.fail(key, f"longer than {max_len} characters")
            if any(ord(c) < 32 and c not in "\t" for c in value):
                self.fail(key, "contains a control character")
        return value

    def integer(self, key: str, *, required: bool = True, low: int = 0, high: int = 10**6) -> Any:
        value = self._get(key, required, int, "an integer")
        if value is not None and not low <= value <= high:
            self.fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False, bool, "true or false")
        return default if value is None else bool(value)

    def day(self, key: str, *, required: bool = True) -> Any:
        value = self._get(key, required, date, "a date (YYYY-MM-DD)")
        if value is not None and type(value) is not date:
            self.fail(key, f"expected a date (YYYY-MM-DD), got {_describe(value)}")
        return value

    def texts(self, key: str, *, required: bool = False, max_len: int = 300) -> tuple[str, ...]:
        value = self._get(key, required, list, "a list of strings")
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(key, f"item {i + 1} must be a non-empty string, got {_describe(item)}")
            if len(item) > max_len or any(ord(c) < 32 for c in item):
                self.fail(key, f"item {i + 1} is too long or contains a control character")
        return tuple(value)

    def choice(self, key: str, enum: Callable[[str], T], *, required: bool = True) -> T | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            options = ", ".join(sorted(str(m) for m in getattr(enum, "__members__", {}).values()))
            self.fail(key, f"unknown value {value!r} (expected one of: {options})")

    def table(self, key: str, *, required: bool = True) -> Table | None:
        value = self._get(key, required, dict, "a table")
        return None if value is None else Table(value, (*self.path, key), self.lines, self.file)

    def tables(self, key: str, *, required: bool = False) -> Iterator[Table]:
        value = self._get(key, required, list, "an array of tables ([[...]])")
        for i, item in enumerate(value or ()):
            if not isinstance(item, dict):
                self.fail(key, f"item {i + 1} must be a table, got {_describe(item)}")
            yield Table(item, (*self.path, key, i), self.lines, self.file)

    def finish(self) -> None:
        """Reject every key that no getter asked for."""
        for key in self.data:
            if key not in self._seen:
                self.fail(key, "unknown key")


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _describe(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
             list: "a list", dict: "a table", date: "a date"}
    return names.get(type(value), type(value).__name__)
