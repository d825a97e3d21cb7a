"""The catalog's cache: the validated catalog kept between runs, verified before it is trusted.

Parsing and validating the TOML costs tens of milliseconds of every start-up; reading the
validated catalog back costs about one. The cache is data, never code: one line of ASCII

    guichet-catalog-cache/2 <key> <checksum> <length>

then a payload of plain lists, strings, integers, booleans and None (marshal: built in, so no
import at start-up, and faster than JSON), read back field by field into the domain objects with
each value's type and bounds checked. The key is made of checksums of the data files (names and
contents), guichet's version, marshal's and the models' fields; it is also the file's name. The
checksum covers the key and the payload, and is checked before the payload is decoded. A cache
that was changed, cut short, or written for other files is not trusted: it is noted once in the
log (never shown), and the catalog parsed from the files replaces it, owner-only and atomically.

CRC-32 and Adler-32 are change detectors, not a defence against forged files (whoever can write
the cache can write the data files too); zlib is already loaded where hashlib would cost the
start-up its OpenSSL initialisation. A forger could still write a catalog of valid types and
bounds, as the data files could, but never code that runs: no pickle, no eval, and marshal's code
objects, which it never executes, would fail the type checks.
"""

from __future__ import annotations

import marshal
import os
import stat
import zlib
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from guichet.catalog.loader import (
    BENEFITS,
    CATEGORIES,
    DESKS,
    POPULARITY,
    SLOT_MINUTES,
    WALK_IN_VOLUME,
    Bounds,
    DataFile,
)
from guichet.catalog.perimeter import WINDOW_YEARS
from guichet.domain.models import (
    Agency,
    Catalog,
    Channel,
    Closure,
    Desk,
    Kind,
    LifeEvent,
    Orientation,
    Schedule,
    Service,
)
from guichet.domain.perimeter import NotCovered, Perimeter, PerimeterEvent, Scope, Window, WindowKind
from guichet.paths import ensure_private_dir, write_private

_CACHE_FORMAT = "guichet-catalog-cache/2"  # 2: with the social-work perimeter
_CACHE_MAX_BYTES = 64 * 1024 * 1024  # the shipped catalog takes 60 kB; 10,000 services about 6 MB
_MODELS = (Catalog, Agency, Schedule, Closure, Service, Orientation, Perimeter, PerimeterEvent, Window, NotCovered)

_cache_reported = False  # one note in the log per process, however many bad caches


class _BadCache(Exception):
    """The cache cannot be trusted; the message says why (for the log)."""


class _Header(NamedTuple):
    key: str
    checksum: str
    length: int


def cache_key(*files: DataFile) -> str:
    from guichet import __version__

    models = ";".join(",".join(model.__dataclass_fields__) for model in _MODELS)
    data = b"\0".join(part.encode("utf-8", "surrogateescape")
                      for file in files for part in (file.name, file.text))
    data += f"\0{__version__}\0{_CACHE_FORMAT}\0{marshal.version}\0{models}".encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _checksum(key: str, payload: bytes) -> str:
    crc = zlib.crc32(payload, zlib.crc32(key.encode()))
    adler = zlib.adler32(payload, zlib.adler32(key.encode()))
    return f"{crc:08x}{adler:08x}"


def _cache_bytes(key: str, payload: bytes) -> bytes:
    """The cache file: its header line, then ``payload``."""
    header = f"{_CACHE_FORMAT} {key} {_checksum(key, payload)} {len(payload)}\n"
    return header.encode("ascii") + payload


def _split_cache(raw: bytes) -> tuple[_Header, bytes]:
    """The header and the payload of a cache file; :class:`_BadCache` unless both are whole."""
    line, newline, payload = raw.partition(b"\n")
    fields = line.split(b" ")
    if not newline or len(fields) != 4 or fields[0] != _CACHE_FORMAT.encode():
        raise _BadCache("not a catalog cache of this format")
    try:
        header = _Header(fields[1].decode("ascii"), fields[2].decode("ascii"), int(fields[3]))
    except ValueError:
        raise _BadCache("damaged header") from None
    if header.length != len(payload):
        raise _BadCache(f"{len(payload)} bytes of payload instead of {header.length}")
    return header, payload


def read_cache(path: Path, key: str) -> Catalog | None:
    """The catalog kept in ``path`` if it can be trusted; else None (noted once in the log)."""
    try:
        header, payload = _split_cache(_read_small_file(path, _CACHE_MAX_BYTES))
        if header.key != key:
            raise _BadCache("written for other data files")
        if header.checksum != _checksum(key, payload):
            raise _BadCache("checksum mismatch")
        return _decode(marshal.loads(payload))
    except FileNotFoundError:
        return None  # the first start-up, or the data files changed: nothing to report
    except _BadCache as exc:
        reason = str(exc)
    except OSError as exc:
        reason = f"cannot be read: {exc.strerror}"
    except (ValueError, EOFError, TypeError, RecursionError, MemoryError) as exc:  # marshal, enums, dates
        reason = type(exc).__name__
    _report_bad_cache(path, reason)
    return None


def _read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``: never waits on a FIFO nor reads a device forever."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _BadCache("not a regular file")
        if info.st_size > limit:
            raise _BadCache(f"larger than {limit} bytes")
        return handle.read()


def _report_bad_cache(path: Path, reason: str) -> None:
    global _cache_reported
    if not _cache_reported:
        _cache_reported = True
        from guichet import logs

        # INFO: a cache is rebuilt, nothing is lost; and no last-resort output on stderr
        logs.get("catalog").info("catalog cache %s ignored (%s): rebuilt from the data files", path.name, reason)


def write_cache(path: Path, key: str, catalog: Catalog) -> None:
    try:
        ensure_private_dir(path.parent)
        for old in path.parent.iterdir():  # other data files' caches, older formats, lost temporary files
            if old.name.startswith(("catalog-", ".catalog-")) and old.name != path.name:
                old.unlink(missing_ok=True)
        write_private(path, _cache_bytes(key, _encode(catalog)), durable=False)  # it checks itself when read
    except OSError:
        pass  # a cache that cannot be written only costs the next start-up a few milliseconds


def _encode(catalog: Catalog) -> bytes:
    """``catalog`` as plain values, in the order :func:`_decode` reads them back."""
    plain = [
        [[a.id, a.name, a.address, a.walk_in, a.walk_in_volume,
          [[s.kind.value, s.channel.value, s.opening_hours, s.desks, s.slot_minutes, s.note] for s in a.schedules],
          [[c.start.toordinal(), c.end.toordinal(), c.reason] for c in a.closures],
          list(a.notes), a.postal_address]
         for a in catalog.agencies],
        [[s.id, s.title, s.category, s.summary,
          [s.orientation.desk.value, s.orientation.channel, s.orientation.partner, s.orientation.note],
          s.source, list(s.keywords), list(s.phrasings), list(s.bring), list(s.benefits),
          s.life_event.value if s.life_event is not None else None,
          s.social_work_event, s.urgency_hint, s.popularity]
         for s in catalog.services],
        list(catalog.sources),
        _encode_perimeter(catalog.perimeter),
    ]
    return marshal.dumps(plain)


def _encode_perimeter(perimeter: Perimeter) -> list[Any]:
    return [perimeter.departement, perimeter.source, perimeter.family_label, perimeter.quote,
            [[e.event.value, e.label, e.scope.value, e.window.kind.value, e.window.years, e.single_parent, e.family,
              e.source, e.quote, e.window_source, e.window_quote, e.family_source, e.family_quote]
             for e in perimeter.events],
            [[n.event.value, n.note, n.source, n.quote] for n in perimeter.not_covered]]


def _decode(plain: Any) -> Catalog:
    """The catalog :func:`_encode` wrote; :class:`_BadCache` (or ValueError) at the first value of
    the wrong type, out of bounds or out of its enumeration."""
    agencies, services, sources, perimeter = _row(plain, 4)
    return Catalog(
        agencies=tuple(_agency(row) for row in _list(agencies)),
        services=tuple(_service(row) for row in _list(services)),
        sources=_texts(sources),
        perimeter=_perimeter(perimeter),
    )


def _perimeter(plain: Any) -> Perimeter:
    departement, source, family_label, quote, events, not_covered = _row(plain, 6)
    return Perimeter(departement=_text(departement), source=_text(source), family_label=_text(family_label),
                     quote=_text(quote), events=tuple(_perimeter_event(row) for row in _list(events)),
                     not_covered=tuple(NotCovered(LifeEvent(_text(e)), _text(n), _text(s), _text(q))
                                       for e, n, s, q in (_row(row, 4) for row in _list(not_covered))))


def _perimeter_event(plain: Any) -> PerimeterEvent:
    (event, label, scope, kind, years, single_parent, family, source, quote, window_source, window_quote,
     family_source, family_quote) = _row(plain, 13)
    if (WindowKind(_text(kind)) is WindowKind.NONE) != (years == 0):
        raise _BadCache("a window's years do not match its kind")
    return PerimeterEvent(
        event=LifeEvent(_text(event)), label=_text(label), scope=Scope(_text(scope)),
        window=Window(WindowKind(_text(kind)), _int(years, WINDOW_YEARS) if years else _int(years)),
        single_parent=_flag(single_parent), family=_flag(family), source=_text(source), quote=_text(quote),
        window_source=_opt_text(window_source), window_quote=_opt_text(window_quote),
        family_source=_opt_text(family_source), family_quote=_opt_text(family_quote),
    )


def _agency(plain: Any) -> Agency:
    ident, name, address, walk_in, volume, schedules, closures, notes, postal_address = _row(plain, 9)
    return Agency(
        id=_text(ident),
        name=_text(name),
        address=_opt_text(address),
        walk_in=_opt_text(walk_in),
        walk_in_volume=None if volume is None else _int(volume, WALK_IN_VOLUME),
        schedules=tuple(_schedule(row) for row in _list(schedules)),
        closures=tuple(_closure(row) for row in _list(closures)),
        notes=_texts(notes),
        postal_address=_opt_text(postal_address),
    )


def _schedule(plain: Any) -> Schedule:
    kind, channel, hours, desks, minutes, note = _row(plain, 6)
    return Schedule(kind=Kind(_text(kind)), channel=Channel(_text(channel)), opening_hours=_text(hours),
                    desks=_int(desks, DESKS), slot_minutes=_int(minutes, SLOT_MINUTES),
                    note=_opt_text(note))


def _closure(plain: Any) -> Closure:
    start, end, reason = _row(plain, 3)
    first, last = date.fromordinal(_int(start)), date.fromordinal(_int(end))
    if last < first:
        raise _BadCache("a closure ends before it starts")
    return Closure(first, last, _text(reason))


def _service(plain: Any) -> Service:
    (ident, title, category, summary, orientation, source, keywords, phrasings, bring, benefits,
     life_event, social_work_event, urgency_hint, popularity) = _row(plain, 14)
    desk, channel, partner, note = _row(orientation, 4)
    codes = _texts(benefits)
    if _text(category) not in CATEGORIES or not BENEFITS.issuperset(codes):
        raise _BadCache("unknown category or benefit")
    if channel is not None:
        Channel(_text(channel))  # a ValueError unless it is one
    return Service(
        id=_text(ident),
        title=_text(title),
        category=category,
        summary=_text(summary),
        orientation=Orientation(desk=Desk(_text(desk)), channel=_opt_text(channel),
                                partner=_opt_text(partner), note=_opt_text(note)),
        source=_text(source),
        keywords=_texts(keywords),
        phrasings=_texts(phrasings),
        bring=_texts(bring),
        benefits=codes,
        life_event=None if life_event is None else LifeEvent(_text(life_event)),
        social_work_event=_flag(social_work_event),
        urgency_hint=_flag(urgency_hint),
        popularity=_int(popularity, POPULARITY),
    )


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _BadCache(f"a list expected, not {type(value).__name__}")
    return value


def _row(value: Any, fields: int) -> list[Any]:
    items = _list(value)
    if len(items) != fields:
        raise _BadCache(f"{fields} fields expected, not {len(items)}")
    return items


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _BadCache(f"text expected, not {type(value).__name__}")
    return value


def _opt_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    items = _list(value)
    if items and set(map(type, items)) != {str}:  # in C: a quarter of the time a loop would take
        raise _BadCache("a list of texts expected")
    return tuple(items)


def _int(value: Any, bounds: Bounds | None = None) -> int:
    if type(value) is not int or (bounds is not None and not bounds.low <= value <= bounds.high):
        raise _BadCache("an integer within bounds expected")
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise _BadCache(f"true or false expected, not {type(value).__name__}")
    return value
