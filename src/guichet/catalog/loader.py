"""Reading and validating the data files (``agencies.toml``, ``services.toml``) into frozen domain objects.

Each file is looked up first in the override directory (``--data DIR``, else the user config
directory), then among the files shipped in the package. Any mistake raises one
:class:`DataError` naming the file, the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from guichet.domain.models import (
    Agency,
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

__all__ = ["DataError", "load_agencies", "load_services", "resolve"]

T = TypeVar("T")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CEDEX = re.compile(r"\bcedex\b", re.IGNORECASE)  # a postal-only address: mail, not a place to go
CATEGORIES = ("prestation", "demarche", "evenement", "besoin", "partenaire")
BENEFITS = frozenset(
    {
        "AF", "CF", "APL", "ALF", "ALS", "RSA", "PPA", "AAH", "ASF", "PAJE", "CMG", "AJPP", "AJPA",
        "ARS", "AEEH", "PREPARE", "AVPF", "PRIME_DEMENAGEMENT", "PRIME_NAISSANCE",
        "PRIME_ADOPTION", "AB",
    }
)


@dataclass(frozen=True, slots=True)
class Bounds:
    """The values an integer of the data files may take, ``low`` to ``high`` inclusive."""

    low: int
    high: int


DESKS = Bounds(1, 50)
SLOT_MINUTES = Bounds(5, 240)
WALK_IN_VOLUME = Bounds(0, 10_000)
POPULARITY = Bounds(0, 100)


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
                    desks=sched.integer("desks", low=DESKS.low, high=DESKS.high),
                    slot_minutes=sched.integer("slot_minutes", required=False, low=SLOT_MINUTES.low,
                                               high=SLOT_MINUTES.high) or 30,
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
        address = table.text("address", required=False, max_len=200)
        if address is not None and _CEDEX.search(address):
            table.fail("address", f"{address!r} is a postal address (Cedex), not a place where the public "
                                  "is received: put it in postal_address")
        agencies.append(
            Agency(
                id=agency_id,
                name=table.text("name", max_len=80),
                address=address,
                walk_in=_hours(table, "walk_in", required=False),
                walk_in_volume=table.integer("walk_in_volume", required=False, low=WALK_IN_VOLUME.low,
                                             high=WALK_IN_VOLUME.high),
                schedules=tuple(schedules),
                closures=tuple(closures),
                notes=table.texts("notes", max_len=500),
                postal_address=table.text("postal_address", required=False, max_len=200),
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
                phrasings=table.texts("phrasings", max_len=120),
                bring=table.texts("bring", max_len=200),
                benefits=benefits,
                life_event=life_event,
                social_work_event=table.boolean("social_work_event"),
                urgency_hint=table.boolean("urgency_hint"),
                popularity=table.integer("popularity", required=False, low=POPULARITY.low,
                                         high=POPULARITY.high) or 0,
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
