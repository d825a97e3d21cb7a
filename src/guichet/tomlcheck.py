"""Strict reading of TOML tables with errors that name the file, the line and the key.

``tomllib`` gives no positions for values, so :class:`KeyLines` recovers them from the text:
it follows the table headers the way TOML does and remembers the line of every key. The
data files are hand-written in the usual layout (one ``key = value`` per line), which is all
this needs; a key it cannot place is reported against its table's header line.

Files are hostile on a bad day: nesting deeper than :data:`MAX_DEPTH` is one error naming the
file (not a ``RecursionError``), and the line scanner runs in linear time, whatever a line holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, NoReturn, TypeVar

from guichet.errors import GuichetError

T = TypeVar("T")
Path_ = tuple[str | int, ...]

_KEY_CHARS = re.compile(r"[A-Za-z0-9_\-\.\"' ]+")

# Tables and arrays nest this deep at most. The data files need 5 levels, config.toml 3; tomllib
# itself recurses (a few hundred levels end in RecursionError) and a dotted header builds one
# table per part without recursing.
MAX_DEPTH = 32
NESTED_TOO_DEEP = f"tables or arrays nested more than {MAX_DEPTH} levels deep"


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


# Characters a data file's text must not hold: they would act on the agent's terminal (C0, DEL,
# C1: escapes, OSC 52 clipboard writes…) or reorder what is shown (bidirectional overrides).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_text(value: str, *, allow: str = "") -> bool:
    """Whether ``value`` holds a control character (C0, DEL, C1) or a bidirectional override,
    other than those in ``allow``."""
    return any((c < " " or "\x7f" <= c <= "\x9f" or c in _BIDI_CONTROLS) and c not in allow for c in value)


class KeyLines:
    """Line numbers of the tables and keys of a TOML text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path_, int] = {}
        counters: dict[Path_, int] = {}
        current: Path_ = ()
        for number, raw in enumerate(text.splitlines(), start=1):
            header = _header(raw)
            if header is not None:
                is_array, name = header
                parts = [p.strip().strip("\"'") for p in name.split(".")]
                if len(parts) > MAX_DEPTH:
                    continue  # not a real header (load_toml refuses such depths): a line of a string
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
            key = _key(raw)
            if key is not None:
                parts = [p.strip().strip("\"'") for p in key.split(".")]
                if len(parts) <= MAX_DEPTH:
                    self.lines.setdefault((*current, *parts), number)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of the nearest enclosing table that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _header(raw: str) -> tuple[bool, str] | None:
    """``[name]`` or ``[[name]]`` (a comment may follow): (is an array, name); else None.

    Plain string operations rather than a regular expression: on a long line of spaces inside a
    multi-line string, the pattern this replaces backtracked for minutes."""
    line = raw.strip()
    if not line.startswith("["):
        return None
    is_array = line.startswith("[[")
    start = 2 if is_array else 1
    end = line.find("]", start)
    name = line[start:end].strip() if end >= 0 else ""
    if not name:
        return None
    rest = line[end + 1:]
    rest = (rest[1:] if rest.startswith("]") else rest).lstrip()
    return (is_array, name) if not rest or rest.startswith("#") else None


def _key(raw: str) -> str | None:
    """The key of a ``key = value`` line (dotted or quoted parts, as written), else None."""
    head, equals, _ = raw.partition("=")
    key = head.strip()
    if not equals or not _KEY_CHARS.fullmatch(key):
        return None
    return key


def load_toml(text: str, file: str) -> dict[str, Any]:
    """Parse ``text``; a syntax error becomes a :class:`DataError` with its line, and so does
    nesting deeper than :data:`MAX_DEPTH` (tomllib's own RecursionError included)."""
    import tomllib  # only on a cache miss: start-up usually reads the validated catalog

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found.group(1)) if found else None
        plain = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if found:
            plain += f" (column {found.group(2)})"
        raise DataError(file, line, "", f"invalid TOML: {plain}") from None
    except RecursionError:
        raise DataError(file, None, "", f"invalid TOML: {NESTED_TOO_DEEP}") from None
    if too_deep(data):
        raise DataError(file, None, "", f"invalid TOML: {NESTED_TOO_DEEP}")
    return data


def too_deep(data: object, limit: int = MAX_DEPTH) -> bool:
    """Whether tables and arrays nest more than ``limit`` levels in ``data`` (no recursion)."""
    pending: list[tuple[object, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children: Iterable[object] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


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
            if unsafe_text(value, allow="\t"):
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
            if len(item) > max_len or unsafe_text(item):
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
