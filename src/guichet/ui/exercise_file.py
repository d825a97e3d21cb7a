"""Training exercises on file (``data/exercises/*.toml``): their loading and validation.

An exercise starts with the header it shares with the demo scripts (:mod:`guichet.ui.session_file`:
``title``, ``now``, ``agency``, ``agent``, ``size``), then ``channel`` (``guichet`` or
``telephone``), ``situation`` (the person's words, first person), ``source`` (where it comes from),
and one ``[[check]]`` per thing the trainee must do: ``kind`` (see
:class:`~guichet.domain.exercise.CheckKind`), ``rule`` (the source's words, quoted), ``source`` and
the kind's own keys (``services``, ``service`` + ``answers``, ``booking_kind`` / ``channel`` /
``agencies``, ``destination`` / ``urgent`` / ``consent``, ``outcome`` / ``partner``). Every mistake
is one :class:`~guichet.tomlcheck.DataError` naming the file, the line and the key; the services and
agencies named must exist in the catalog. No Textual here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from guichet.catalog import load_catalog
from guichet.domain.exercise import NO_EMERGENCY, REFERRALS, Check, CheckKind, Exercise
from guichet.domain.handoff import Destination
from guichet.domain.models import Channel, Kind
from guichet.domain.orientation import QUESTIONS, Emergency
from guichet.domain.passage import Outcome, PassageChannel
from guichet.tomlcheck import DataError
from guichet.ui.session_file import SessionTable, open_file, read_header, shipped
from guichet.ui.session_file import resolve as resolve_file

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
# The keys each kind of check may hold, beyond kind, rule and source.
_KEYS: dict[CheckKind, frozenset[str]] = {
    CheckKind.SERVICE: frozenset({"services", "every"}),
    CheckKind.ANSWERS: frozenset({"service", "answers"}),
    CheckKind.HOURS: frozenset(),
    CheckKind.BOOKING: frozenset({"booking_kind", "channel", "agencies"}),
    CheckKind.NO_BOOKING: frozenset(),
    CheckKind.HANDOFF: frozenset({"destination", "urgent", "consent"}),
    CheckKind.REFERRAL: frozenset({"outcome", "partner"}),
}


def _tristate(table: SessionTable, key: str) -> bool | None:
    value = table._get(key, False, bool, "true or false")
    return None if value is None else bool(value)


def _check(table: SessionTable, services: set[str], agencies: set[str]) -> Check:
    kind = table.choice("kind", CheckKind)
    assert kind is not None
    for key in table.data:
        if key not in {"kind", "rule", "source"} | _KEYS[kind]:
            table.fail(key, f"not a key of a '{kind}' check (its keys: "
                            f"{', '.join(sorted({'rule', 'source'} | _KEYS[kind]))})")
    rule = unicodedata.normalize("NFC", table.text("rule", max_len=500))
    if "«" not in rule:
        table.fail("rule", "quote the source's words, between « and »")
    source = table.text("source", max_len=200)
    fields: dict[str, object] = {}
    if kind is CheckKind.SERVICE:
        named = table.texts("services", required=True, max_len=60)
        if not named:
            table.fail("services", "name at least one service")
        for name in named:
            if name not in services:
                table.fail("services", f"unknown service {name!r} (see guichet services)")
        fields = {"services": named, "every": table.boolean("every")}
    elif kind is CheckKind.ANSWERS:
        name = table.text("service", max_len=60)
        if name not in services:
            table.fail("service", f"unknown service {name!r} (see guichet services)")
        given = table.table("answers")
        assert given is not None
        answers: list[tuple[str, bool | str]] = []
        for question, value in given.data.items():
            if question not in QUESTIONS:
                given.fail(question, f"unknown question (expected one of: {', '.join(QUESTIONS)})")
            if question == "emergency":
                allowed = [NO_EMERGENCY, *(e.value for e in Emergency)]
                if value not in allowed:
                    given.fail(question, f"expected one of: {', '.join(allowed)}")
            elif not isinstance(value, bool):
                given.fail(question, "expected true or false")
            answers.append((question, value))
        if not answers:
            table.fail("answers", "give at least one answer")
        fields = {"services": (name,), "answers": tuple(answers)}
    elif kind is CheckKind.BOOKING:
        named = table.texts("agencies", max_len=60)
        for name in named:
            if name not in agencies:
                table.fail("agencies", f"unknown agency {name!r} (agencies: {', '.join(sorted(agencies))})")
        fields = {"booking_kind": table.choice("booking_kind", Kind, required=False),
                  "channel": table.choice("channel", Channel, required=False), "agencies": named}
    elif kind is CheckKind.HANDOFF:
        fields = {"destination": table.choice("destination", Destination, required=False),
                  "urgent": _tristate(table, "urgent"), "consent": _tristate(table, "consent")}
    elif kind is CheckKind.REFERRAL:
        outcome = table.choice("outcome", Outcome)
        if outcome not in REFERRALS:
            table.fail("outcome", f"a card's verdict is one of: {', '.join(str(o) for o in REFERRALS)}")
        partner = table.text("partner", required=False, max_len=120)
        fields = {"outcome": outcome, "partner": partner or ""}
    table.finish()
    return Check(kind, rule, source, **fields)  # type: ignore[arg-type]


def load_exercise(path: Path) -> Exercise:
    """Read and validate the exercise at ``path``; any mistake raises one :class:`DataError`."""
    if not _ID.match(path.stem):
        raise DataError(str(path), None, "", "name the file with lowercase letters, digits and dashes (its id)")
    root = open_file(path, "exercise")
    header = read_header(root)
    channel = root.choice("channel", PassageChannel)
    situation = unicodedata.normalize("NFC", root.text("situation", max_len=1500))
    source = root.text("source", max_len=200)
    catalog = load_catalog()
    services = {s.id for s in catalog.services}
    agencies = {a.id for a in catalog.agencies}
    checks = tuple(_check(root.sub(t), services, agencies) for t in root.tables("check", required=True))
    if not checks:
        root.fail("check", "an exercise needs at least one [[check]]")
    root.finish()
    assert channel is not None
    return Exercise(path.stem, header.title, header.now, header.agency, header.agent, channel, situation, source,
                    checks)


def shipped_exercises() -> list[Path]:
    """The exercises shipped in the package (``guichet/data/exercises/*.toml``), by name."""
    return shipped("exercises")


def resolve(name: str) -> Path:
    """A shipped exercise's id (``asf-separation``), or a path to an exercise file."""
    return resolve_file(name, shipped_exercises(), "aucun exercice de ce nom (livrés :")
