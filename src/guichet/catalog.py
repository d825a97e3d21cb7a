"""The data files (``agencies.toml``, ``services.toml``) → frozen domain objects.

Each file is looked up first in the override directory (``--data DIR``, else the user config
directory), then among the files shipped in the package. Any mistake raises one
:class:`DataError` naming the file, the line and the key.
"""

from __future__ import annotations

import os
import pickle
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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
from guichet.paths import SHIPPED_DATA
from guichet.tomlcheck import DataError, KeyLines, Table, load_toml

__all__ = ["DataError", "load_agencies", "load_catalog", "load_services", "resolve"]

T = TypeVar("T")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CATEGORIES = ("prestation", "demarche", "evenement", "besoin", "partenaire")
BENEFITS = frozenset(
    {
        "AF", "CF", "APL", "ALF", "ALS", "RSA", "PPA", "AAH", "ASF", "PAJE", "CMG", "AJPP", "AJPA",
        "ARS", "AEEH", "PREPARE", "AVPF", "PRIME_DEMENAGEMENT", "PRIME_NAISSANCE",
        "PRIME_ADOPTION", "AB",
    }
)


@dataclass(frozen=True, slots=True)
class DataFile:
    """A data file to read: its text and the name to quote in error messages."""

    name: str
    text: str


def resolve(name: str, override_dir: Path | None) -> DataFile:
    """The file ``name`` from ``override_dir`` when it has one, else the shipped copy."""
    if override_dir is not None:
        candidate = override_dir / name
        if candidate.is_file():
            return DataFile(str(candidate), _read(candidate, str(candidate)))
    shipped = SHIPPED_DATA / name
    try:
        return DataFile(str(shipped), shipped.read_text(encoding="utf-8-sig"))
    except OSError:
        raise DataError(str(shipped), None, "", "shipped data file missing: reinstall guichet") from None


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # Windows Notepad may add a BOM
    except UnicodeDecodeError as exc:
        raise DataError(label, None, "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise DataError(label, None, "", f"cannot be read ({exc.strerror})") from None


def _root(file: DataFile) -> Table:
    data = load_toml(file.text, file.name)
    return Table(data, (), KeyLines(file.text), file.name)


def _unique(seen: dict[str, Table], key: str, table: Table, what: str) -> None:
    if key in seen:
        table.fail("id", f"duplicate {what} id {key!r}")
    seen[key] = table


def _ident(table: Table) -> str:
    value: str = table.text("id", max_len=60)
    if not _ID.match(value):
        table.fail("id", f"{value!r} must be lowercase letters, digits and dashes")
    return value


def _hours(table: Table, key: str, *, required: bool) -> str | None:
    expression: str | None = table.text(key, required=required)
    if expression is not None:
        from guichet.domain.hours import parse_error  # the evaluator, imported only to validate

        problem = parse_error(expression)
        if problem:
            table.fail(key, f"invalid opening_hours {expression!r} {problem}")
    return expression


def _enum(table: Table, key: str, enum: Callable[[str], T]) -> T:
    value = table.choice(key, enum)
    assert value is not None  # required=True
    return value


def load_agencies(file: DataFile) -> tuple[Agency, ...]:
    """Read and validate ``agencies.toml``."""
    root = _root(file)
    agencies: list[Agency] = []
    ids: dict[str, Table] = {}
    for table in root.tables("agency", required=True):
        agency_id = _ident(table)
        _unique(ids, agency_id, table, "agency")
        schedules: list[Schedule] = []
        pairs: set[tuple[Kind, Channel]] = set()
        for sched in table.tables("schedule"):
            kind = _enum(sched, "kind", Kind)
            channel = _enum(sched, "channel", Channel)
            if (kind, channel) in pairs:
                sched.fail("kind", f"a second {kind}/{channel} schedule for this agency")
            pairs.add((kind, channel))
            hours = _hours(sched, "opening_hours", required=True)
            assert hours is not None
            schedules.append(
                Schedule(
                    kind=kind,
                    channel=channel,
                    opening_hours=hours,
                    desks=sched.integer("desks", low=1, high=50),
                    slot_minutes=sched.integer("slot_minutes", required=False, low=5, high=240) or 30,
                    note=sched.text("note", required=False),
                )
            )
            sched.finish()
        closures: list[Closure] = []
        for clo in table.tables("closure"):
            start = clo.day("from")
            end = clo.day("to", required=False) or start
            if end < start:
                clo.fail("to", f"ends ({end}) before it starts ({start})")
            closures.append(Closure(start, end, clo.text("reason", max_len=200)))
            clo.finish()
        agencies.append(
            Agency(
                id=agency_id,
                name=table.text("name", max_len=80),
                address=table.text("address", required=False, max_len=200),
                walk_in=_hours(table, "walk_in", required=False),
                walk_in_volume=table.integer("walk_in_volume", required=False, low=0, high=10_000),
                schedules=tuple(schedules),
                closures=tuple(closures),
                notes=table.texts("notes", max_len=500),
            )
        )
        table.text("source", required=False)
        table.finish()
    root.finish()
    return tuple(agencies)


def load_services(file: DataFile) -> tuple[Service, ...]:
    """Read and validate ``services.toml``."""
    root = _root(file)
    services: list[Service] = []
    ids: dict[str, Table] = {}
    for table in root.tables("service", required=True):
        service_id = _ident(table)
        _unique(ids, service_id, table, "service")
        category: str = table.text("category")
        if category not in CATEGORIES:
            table.fail("category", f"unknown value {category!r} (expected one of: {', '.join(CATEGORIES)})")
        benefits = table.texts("benefits", max_len=30)
        for code in benefits:
            if code not in BENEFITS:
                table.fail("benefits", f"unknown benefit code {code!r}")
        life_event = table.choice("life_event", LifeEvent, required=False)
        services.append(
            Service(
                id=service_id,
                title=table.text("title", max_len=120),
                category=category,
                summary=table.text("summary", max_len=400),
                orientation=_orientation(table),
                source=table.text("source", max_len=120),
                keywords=table.texts("keywords", max_len=80),
                bring=table.texts("bring", max_len=200),
                benefits=benefits,
                life_event=life_event,
                social_work_event=table.boolean("social_work_event"),
                urgency_hint=table.boolean("urgency_hint"),
                popularity=table.integer("popularity", required=False, low=0, high=100) or 0,
            )
        )
        table.finish()
    root.finish()
    return tuple(services)


def _orientation(service: Table) -> Orientation:
    table = service.table("orientation")
    assert table is not None
    desk = _enum(table, "desk", Desk)
    channel = table.choice("channel", Channel, required=False)
    partner = table.text("partner", required=False, max_len=120)
    if desk is Desk.PARTENAIRE and partner is None:
        table.fail(None, "missing key 'partner' (required when desk = \"partenaire\")")
    if channel is not None and desk not in (Desk.CSU, Desk.GCA, Desk.TRAVAILLEUR_SOCIAL):
        table.fail("channel", f"a channel only applies to appointments, not to desk '{desk.value}'")
    orientation = Orientation(
        desk=desk,
        channel=str(channel) if channel is not None else None,
        partner=partner,
        note=table.text("note", required=False, max_len=300),
    )
    table.finish()
    return orientation


def load_catalog(override_dir: Path | None = None, *, must_exist: bool = False,
                 cache_dir: Path | None = None) -> Catalog:
    """Load every data file, the user's overrides first; raises :class:`DataError`.

    ``must_exist``: the override directory was named explicitly (``--data DIR``), so a missing
    directory is an error rather than a silent fall-back to the shipped files.
    """
    if must_exist and override_dir is not None and not override_dir.is_dir():
        raise DataError(str(override_dir), None, "", "data directory not found")
    agencies_file = resolve("agencies.toml", override_dir)
    services_file = resolve("services.toml", override_dir)
    cached = _cache_path(cache_dir, agencies_file, services_file)
    if cached is not None:
        found = _read_cache(cached)
        if found is not None:
            return found
    catalog = Catalog(
        agencies=load_agencies(agencies_file),
        services=load_services(services_file),
        sources=(agencies_file.name, services_file.name),
    )
    if cached is not None:
        _write_cache(cached, catalog)
    return catalog


# The validated catalog is kept as a pickle keyed by the files' contents and guichet's version:
# parsing and validating the TOML costs tens of milliseconds of every start-up, unpickling ~1 ms.
def _cache_path(cache_dir: Path | None, *files: DataFile) -> Path | None:
    if cache_dir is None:
        return None
    from guichet import __version__

    # Two checksums and the length of everything the catalog is made of: a change detector, not a
    # defence against forged files (whoever can write the data files can write the cache too), and
    # zlib is already loaded where hashlib would cost the start-up its OpenSSL initialisation.
    data = b"\0".join(part.encode("utf-8", "surrogateescape")
                      for file in files for part in (file.name, file.text))
    data += b"\0" + __version__.encode()
    return cache_dir / f"catalog-{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}.pickle"


def _read_cache(path: Path) -> Catalog | None:
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return found if isinstance(found, Catalog) else None


def _write_cache(path: Path, catalog: Catalog) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("catalog-*.pickle"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next start-up a few milliseconds
