"""The data loader: the shipped agencies, broken files and their one-line errors, overrides.

Every broken file is a small edit of a valid one, so that the line the error must name is
known; each error is checked for the file, the line, the key and the reason.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.catalog import (
    DataError,
    DataFile,
    load_agencies,
    load_catalog,
    load_services,
    resolve,
)
from guichet.domain.hours import open_ranges
from guichet.domain.models import Agency, Channel, Desk, Kind, LifeEvent
from guichet.paths import SHIPPED_DATA

# -- the shipped agencies ------------------------------------------------------------------------

SHIPPED = load_agencies(resolve("agencies.toml", None))
BY_ID = {agency.id: agency for agency in SHIPPED}

GCA_AGENCE = (Kind.GCA, Channel.AGENCE)
CSU_AGENCE = (Kind.CSU, Channel.AGENCE)
GCA_PHONE = (Kind.GCA, Channel.TELEPHONE)
CSU_PHONE = (Kind.CSU, Channel.TELEPHONE)

# The week of Monday 23 November 2026, no public holiday in it.
WEEK = [date(2026, 11, 23 + offset) for offset in range(7)]
DAY = ((time(9), time(12)), (time(13), time(16)))
MORNING = ((time(9), time(12)),)


def test_shipped_agency_ids() -> None:
    assert [agency.id for agency in SHIPPED] == [
        "chatenay-malabry", "gennevilliers", "montrouge", "nanterre",
    ]
    assert [agency.name for agency in SHIPPED] == [
        "Châtenay-Malabry", "Gennevilliers", "Montrouge", "Nanterre",
    ]


@pytest.mark.parametrize(
    ("agency_id", "pairs"),
    [
        ("chatenay-malabry", {GCA_AGENCE, CSU_AGENCE, GCA_PHONE}),
        ("gennevilliers", {GCA_AGENCE, CSU_AGENCE, GCA_PHONE, (Kind.CSU, Channel.TELEPHONE)}),
        ("montrouge", {GCA_AGENCE, GCA_PHONE}),
        ("nanterre", {GCA_AGENCE, GCA_PHONE}),
    ],
)
def test_schedule_pairs_follow_domain_table(
    agency_id: str, pairs: set[tuple[Kind, Channel]]
) -> None:
    agency = BY_ID[agency_id]
    assert {(s.kind, s.channel) for s in agency.schedules} == pairs
    assert len(agency.schedules) == len(pairs)
    # CSU by phone: Gennevilliers only, « Lundi, mercredi, vendredi » (000, p.5 re-read, DOMAIN.md)
    assert (agency.schedule(Kind.CSU, Channel.TELEPHONE) is not None) is (agency_id == "gennevilliers")
    assert agency.schedule(Kind.GCA, Channel.TELEPHONE) is not None  # all four: GCA by phone
    for sched in agency.schedules:
        assert sched.desks >= 1
        assert sched.slot_minutes == 30
        assert "PH off" in sched.opening_hours


def week_of(agency: Agency, kind: Kind, channel: Channel) -> list[tuple[tuple[time, time], ...]]:
    sched = agency.schedule(kind, channel)
    assert sched is not None
    return [open_ranges(sched.opening_hours, (), day) for day in WEEK]


@pytest.mark.parametrize(
    ("agency_id", "kind", "channel", "week"),
    [
        # Mon, Tue, Wed, Thu, Fri, Sat, Sun
        ("chatenay-malabry", Kind.GCA, Channel.AGENCE, [(), DAY, (), (), (), (), ()]),
        ("chatenay-malabry", Kind.CSU, Channel.AGENCE, [DAY] * 5 + [(), ()]),
        ("gennevilliers", Kind.GCA, Channel.AGENCE, [(), DAY, (), DAY, (), (), ()]),
        ("gennevilliers", Kind.CSU, Channel.AGENCE, [(), DAY, (), DAY, (), (), ()]),
        ("montrouge", Kind.GCA, Channel.AGENCE, [(), (), DAY, DAY, (), (), ()]),
        ("nanterre", Kind.GCA, Channel.AGENCE, [MORNING, (), (), MORNING, (), (), ()]),
        ("chatenay-malabry", Kind.GCA, Channel.TELEPHONE, [DAY] * 5 + [(), ()]),
        ("gennevilliers", Kind.GCA, Channel.TELEPHONE, [DAY] * 5 + [(), ()]),
        # « Lundi, mercredi, vendredi », at the appointments' « de 9h à 12h puis de 13h à 16h »
        ("gennevilliers", Kind.CSU, Channel.TELEPHONE, [DAY, (), DAY, (), DAY, (), ()]),
        ("montrouge", Kind.GCA, Channel.TELEPHONE, [DAY] * 5 + [(), ()]),
        ("nanterre", Kind.GCA, Channel.TELEPHONE, [DAY] * 5 + [(), ()]),
    ],
    ids=lambda v: str(v) if not isinstance(v, list) else "week",
)
def test_schedule_days_follow_domain_table(
    agency_id: str, kind: Kind, channel: Channel, week: list[tuple[tuple[time, time], ...]]
) -> None:
    assert week_of(BY_ID[agency_id], kind, channel) == week


def test_shipped_walk_in_hours() -> None:
    assert BY_ID["chatenay-malabry"].walk_in == "Mo-Th 09:00-12:30; PH off"
    # 000, p.5: no walk-in at Gennevilliers (its « Lundi, mercredi, vendredi » are CSU by phone) nor
    # Montrouge; « Tous les matins de 9h à 12h30 sauf le vendredi » (Châtenay), « Tous les après-midis
    # de 12h30 à 16h sauf le vendredi » (Nanterre): no walk-in anywhere on Fridays.
    assert BY_ID["gennevilliers"].walk_in is None
    assert BY_ID["montrouge"].walk_in is None
    assert BY_ID["nanterre"].walk_in == "Mo-Th 12:30-16:00; PH off"
    assert BY_ID["chatenay-malabry"].walk_in_volume == 70
    assert BY_ID["nanterre"].walk_in_volume == 90
    # The head office's postal address (000, last page) is for mail: no agency's street address is known.
    assert BY_ID["nanterre"].postal_address == "70 à 88 rue Paul Lescop, 92023 Nanterre Cedex"
    assert all(agency.address is None for agency in SHIPPED)
    assert [a.id for a in SHIPPED if a.postal_address] == ["nanterre"]
    assert all(agency.closures == () for agency in SHIPPED)
    assert any("Hypothèse" in note for note in BY_ID["gennevilliers"].notes)


# -- broken files ----------------------------------------------------------------------------

AGENCIES = """\
[[agency]]
id = "nanterre"
name = "Nanterre"
walk_in = "Mo-Th 12:30-16:00; PH off"
walk_in_volume = 90

[[agency.schedule]]
kind = "gca"
channel = "telephone"
opening_hours = "Mo-Fr 09:00-12:00,13:00-16:00; PH off"
desks = 5

[[agency.closure]]
from = 2026-12-24
to = 2026-12-26
reason = "Inventaire"

[[agency]]
id = "montrouge"
name = "Montrouge"

[[agency.schedule]]
kind = "gca"
channel = "agence"
opening_hours = "We,Th 09:00-12:00; PH off"
desks = 2
"""

SERVICES = """\
[[service]]
id = "apl-non-versee"
title = "Aide au logement non versée"
category = "demarche"
summary = "L'aide au logement n'est plus versée."
keywords = ["apl", "plus payé"]
benefits = ["APL", "ALF"]
source = "000_fb1f5dfc0eaffb6c.txt"

[service.orientation]
desk = "gca"
channel = "telephone"

[[service]]
id = "violences-conjugales"
title = "Violences conjugales"
category = "evenement"
summary = "Permanence juridique du CIDFF."
life_event = "violences"
social_work_event = true
source = "000_fb1f5dfc0eaffb6c.txt"

[service.orientation]
desk = "partenaire"
partner = "CIDFF"
"""


def edit(text: str, changes: dict[int, str]) -> str:
    """``text`` with line N (1-based) replaced; a replacement may hold several lines."""
    lines = text.splitlines()
    for number, replacement in changes.items():
        lines[number - 1] = replacement
    return "\n".join(lines) + "\n"


def test_the_base_files_are_valid(tmp_path: Path) -> None:
    (tmp_path / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    (tmp_path / "services.toml").write_text(SERVICES, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert [a.id for a in catalog.agencies] == ["nanterre", "montrouge"]
    assert catalog.agencies[0].closures[0].end == date(2026, 12, 26)
    assert [s.id for s in catalog.services] == ["apl-non-versee", "violences-conjugales"]
    assert catalog.services[0].orientation.desk is Desk.GCA
    assert catalog.services[0].benefits == ("APL", "ALF")
    assert catalog.services[1].orientation.partner == "CIDFF"
    assert catalog.services[1].life_event is LifeEvent.VIOLENCES
    assert catalog.sources == (str(tmp_path / "agencies.toml"), str(tmp_path / "services.toml"),
                               str(SHIPPED_DATA / "social_work.toml"))


class Broken(NamedTuple):
    id: str
    file: str  # agencies.toml | services.toml
    text: str
    line: int | None
    key: str
    reason: str


A, S = "agencies.toml", "services.toml"

BROKEN = [
    Broken("toml-syntax", A, edit(AGENCIES, {3: 'name = "Nanterre'}), 3, "", "invalid TOML"),
    Broken("toml-syntax-services", S, edit(SERVICES, {16: "title = Violences"}), 16, "",
           "invalid TOML"),
    Broken("unknown-key", A, edit(AGENCIES, {20: 'name = "Montrouge"\nphone = "01 02"'}), 21,
           "agency[1].phone", "unknown key"),
    Broken("unknown-key-schedule", A, edit(AGENCIES, {11: "desks = 5\nseats = 3"}), 12,
           "agency[0].schedule[0].seats", "unknown key"),
    Broken("unknown-key-top-level", A, "version = 2\n" + AGENCIES, 1, "version", "unknown key"),
    Broken("missing-key", A, edit(AGENCIES, {20: ""}), 18, "agency[1]", "missing key 'name'"),
    Broken("missing-desks", A, edit(AGENCIES, {26: ""}), 22, "agency[1].schedule[0]",
           "missing key 'desks'"),
    Broken("desks-string", A, edit(AGENCIES, {11: 'desks = "5"'}), 11,
           "agency[0].schedule[0].desks", "expected an integer, got a string"),
    Broken("desks-bool", A, edit(AGENCIES, {26: "desks = true"}), 26,
           "agency[1].schedule[0].desks", "expected an integer, got a boolean"),
    Broken("volume-bool", A, edit(AGENCIES, {5: "walk_in_volume = false"}), 5,
           "agency[0].walk_in_volume", "expected an integer, got a boolean"),
    Broken("desks-zero", A, edit(AGENCIES, {26: "desks = 0"}), 26,
           "agency[1].schedule[0].desks", "must be between 1 and 50, got 0"),
    Broken("bad-opening-hours", A, edit(AGENCIES, {25: 'opening_hours = "We,Th 9h-12h"'}), 25,
           "agency[1].schedule[0].opening_hours", "invalid opening_hours 'We,Th 9h-12h'"),
    Broken("cedex-as-address", A,
           edit(AGENCIES, {3: 'name = "Nanterre"\naddress = "70 rue P. Lescop, 92023 Nanterre CEDEX"'}), 4,
           "agency[0].address", "is a postal address (Cedex), not a place where the public is received"),
    Broken("bad-walk-in", A, edit(AGENCIES, {4: 'walk_in = "Mo-Th 12:30-16:00;"'}), 4,
           "agency[0].walk_in", "invalid opening_hours"),
    Broken("duplicate-agency-id", A, edit(AGENCIES, {19: 'id = "nanterre"'}), 19,
           "agency[1].id", "duplicate agency id 'nanterre'"),
    Broken("uppercase-id", A, edit(AGENCIES, {19: 'id = "Montrouge"'}), 19, "agency[1].id",
           "'Montrouge' must be lowercase letters, digits and dashes"),
    Broken("bad-kind", A, edit(AGENCIES, {23: 'kind = "travailleur_social"'}), 23,
           "agency[1].schedule[0].kind", "unknown value 'travailleur_social'"),
    Broken("bad-channel", A, edit(AGENCIES, {9: 'channel = "visio"'}), 9,
           "agency[0].schedule[0].channel", "unknown value 'visio' (expected one of: agence, "
           "telephone)"),
    Broken("duplicate-schedule", A, edit(AGENCIES, {
        11: 'desks = 5\n\n[[agency.schedule]]\nkind = "gca"\nchannel = "telephone"\n'
            'opening_hours = "Mo 09:00-12:00"\ndesks = 1',
    }), 14, "agency[0].schedule[1].kind", "a second gca/telephone schedule for this agency"),
    Broken("closure-to-before-from", A, edit(AGENCIES, {15: "to = 2026-12-20"}), 15,
           "agency[0].closure[0].to", "ends (2026-12-20) before it starts (2026-12-24)"),
    Broken("closure-datetime", A, edit(AGENCIES, {14: "from = 2026-12-24T08:00:00"}), 14,
           "agency[0].closure[0].from", "expected a date (YYYY-MM-DD), got datetime"),
    Broken("control-character", A, edit(AGENCIES, {20: 'name = "Mont\\u0007rouge"'}), 20,
           "agency[1].name", "contains a control character"),
    Broken("empty-name", A, edit(AGENCIES, {20: 'name = "  "'}), 20, "agency[1].name",
           "must not be empty"),
    Broken("agency-not-array", A, "[agency]\nid = \"x\"\n", 1, "agency",
           "expected an array of tables ([[...]]), got a table"),
    Broken("duplicate-service-id", S, edit(SERVICES, {15: 'id = "apl-non-versee"'}), 15,
           "service[1].id", "duplicate service id 'apl-non-versee'"),
    Broken("unknown-desk", S, edit(SERVICES, {11: 'desk = "guichet"'}), 11,
           "service[0].orientation.desk", "unknown value 'guichet'"),
    Broken("partner-missing", S, edit(SERVICES, {25: ""}), 23, "service[1].orientation",
           "missing key 'partner' (required when desk = \"partenaire\")"),
    Broken("unknown-benefit", S, edit(SERVICES, {7: 'benefits = ["APL", "APLX"]'}), 7,
           "service[0].benefits", "unknown benefit code 'APLX'"),
    Broken("unknown-category", S, edit(SERVICES, {17: 'category = "loisir"'}), 17,
           "service[1].category", "unknown value 'loisir' (expected one of: prestation, "
           "demarche, evenement, besoin, partenaire)"),
    Broken("unknown-life-event", S, edit(SERVICES, {19: 'life_event = "mariage"'}), 19,
           "service[1].life_event", "unknown value 'mariage'"),
    Broken("flag-not-bool", S, edit(SERVICES, {20: "social_work_event = 1"}), 20,
           "service[1].social_work_event", "expected true or false, got an integer"),
    Broken("keyword-not-string", S, edit(SERVICES, {6: 'keywords = ["apl", 3]'}), 6,
           "service[0].keywords", "item 2 must be a non-empty string, got an integer"),
    Broken("channel-on-accueil", S, edit(SERVICES, {11: 'desk = "accueil"'}), 12,
           "service[0].orientation.channel", "a channel only applies to appointments"),
    Broken("missing-orientation", S, edit(SERVICES, {23: "", 24: "", 25: ""}), 14,
           "service[1]", "missing key 'orientation'"),
]


def write_pair(directory: Path, broken_file: str, text: str) -> Path:
    """Write the broken file and a valid other one (the shipped services.toml may be absent)."""
    (directory / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    (directory / "services.toml").write_text(SERVICES, encoding="utf-8")
    target = directory / broken_file
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("b", BROKEN, ids=[b.id for b in BROKEN])
def test_broken_file_gives_one_line(tmp_path: Path, b: Broken) -> None:
    path = write_pair(tmp_path, b.file, b.text)
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    err = caught.value
    message = str(err)
    assert "\n" not in message
    assert err.file == str(path)
    assert err.line == b.line
    assert err.key == b.key
    prefix = f"{path}:{b.line}: {b.key}: " if b.key else f"{path}:{b.line}: "
    assert message.startswith(prefix), message
    assert b.reason in message


@pytest.mark.parametrize("b", BROKEN, ids=[b.id for b in BROKEN])
def test_broken_file_through_resolve(tmp_path: Path, b: Broken) -> None:
    """The single-file loaders report the same error as ``load_catalog``."""
    write_pair(tmp_path, b.file, b.text)
    loader = load_agencies if b.file == A else load_services
    with pytest.raises(DataError) as caught:
        loader(resolve(b.file, tmp_path))
    assert caught.value.line == b.line
    assert caught.value.key == b.key


def test_enough_broken_files() -> None:
    assert len(BROKEN) >= 14
    assert {b.file for b in BROKEN} == {A, S}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"], ids=["empty", "blank", "comment"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write_pair(tmp_path, A, text)
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value) == f"{path}: missing key 'agency'"


def test_empty_services_file(tmp_path: Path) -> None:
    path = write_pair(tmp_path, S, "")
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value) == f"{path}: missing key 'service'"


def test_not_utf8(tmp_path: Path) -> None:
    path = write_pair(tmp_path, A, "")
    path.write_bytes('[[agency]]\nid = "chatenay"\nname = "Châtenay"\n'.encode("latin-1"))
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    # 11 + 16 + len(`name = "Ch`) = 37: the offset of 0xE2 stands in for the line.
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 37)"


def test_raw_control_character_is_a_syntax_error(tmp_path: Path) -> None:
    path = write_pair(tmp_path, A, edit(AGENCIES, {20: 'name = "Mont\x01rouge"'}))
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value).startswith(f"{path}:20: invalid TOML")


def test_error_in_the_file_with_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "agencies.toml"
    write_pair(tmp_path, A, AGENCIES)
    path.write_bytes(edit(AGENCIES, {26: 'desks = "2"'}).replace("\n", "\r\n").encode())
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value) == (
        f"{path}:26: agency[1].schedule[0].desks: expected an integer, got a string"
    )


def test_bad_opening_hours_names_the_column(tmp_path: Path) -> None:
    write_pair(tmp_path, A, edit(AGENCIES, {25: 'opening_hours = "We,Th 9h-12h"'}))
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert "column 7" in str(caught.value)


def test_channel_on_non_appointment_desk_names_the_desk_plainly(tmp_path: Path) -> None:
    write_pair(tmp_path, S, edit(SERVICES, {11: 'desk = "accueil"'}))
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value).endswith("not to desk 'accueil'")


def test_utf8_file_with_bom_loads(tmp_path: Path) -> None:
    write_pair(tmp_path, A, AGENCIES)
    (tmp_path / "agencies.toml").write_bytes(b"\xef\xbb\xbf" + AGENCIES.encode("utf-8"))
    assert [a.id for a in load_catalog(tmp_path).agencies] == ["nanterre", "montrouge"]


# -- overrides ---------------------------------------------------------------------------------


def test_override_services_keeps_shipped_agencies(tmp_path: Path) -> None:
    (tmp_path / "services.toml").write_text(SERVICES, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    shipped = resolve("agencies.toml", None)
    assert catalog.sources == (shipped.name, str(tmp_path / "services.toml"), str(SHIPPED_DATA / "social_work.toml"))
    assert Path(shipped.name).parent.name == "data"
    assert [a.id for a in catalog.agencies] == [a.id for a in SHIPPED]
    assert [s.id for s in catalog.services] == ["apl-non-versee", "violences-conjugales"]


def test_override_agencies_replaces_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    override = resolve("agencies.toml", tmp_path)
    assert override.name == str(tmp_path / "agencies.toml")
    assert [a.id for a in load_agencies(override)] == ["nanterre", "montrouge"]
    # services.toml is not in the directory: it resolves to the shipped copy (data/ at the root).
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert resolve("agencies.toml", other).name == resolve("agencies.toml", None).name
    assert resolve("services.toml", tmp_path).name == str(SHIPPED_DATA / "services.toml")


def test_override_dir_none_and_missing_dir_use_shipped(tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist"
    assert resolve("agencies.toml", missing).text == resolve("agencies.toml", None).text


# -- fuzz: never anything but DataError --------------------------------------------------------

SHIPPED_TEXT = resolve("agencies.toml", None).text
SHIPPED_LINES = SHIPPED_TEXT.splitlines()


def _load_or_data_error(text: str) -> None:
    try:
        result = load_agencies(DataFile("x.toml", text))
    except DataError as exc:
        message = str(exc)
        assert message.startswith("x.toml")
        assert "\n" not in message
    else:
        assert isinstance(result, tuple)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_fuzz_random_text(text: str) -> None:
    _load_or_data_error(text)


# Mutations of the shipped file reach deeper than random text: drop, duplicate, swap lines,
# or replace a value with another TOML value.
VALUES = st.sampled_from([
    '""', '"x"', '"Mo-Th"', '"24/7"', '"Mo-Fr 09:00-12:00 || \\"rdv\\""', "0", "-1", "51",
    "1.5", "true", "2026-12-24", "2026-12-24T08:00:00", "08:00:00", "[]", '["a", 1]', "{}",
    '{ kind = "gca" }', '"gca"', '"telephone"', '"Chatenay"', '"\\u0000"', "[[1]]",
])


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "swap", "value", "header"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "value" and "=" in lines[i] and not lines[i].lstrip().startswith("#"):
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(VALUES)
        elif action == "header":
            lines.insert(i, draw(st.sampled_from(
                ["[[agency]]", "[[agency.schedule]]", "[[agency.closure]]", "[agency]", "[x]"]
            )))
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_mutated_shipped_file(text: str) -> None:
    _load_or_data_error(text)


def test_validated_catalog_is_cached_and_follows_the_files(tmp_path: Path) -> None:
    """The cache saves start-up time but never serves stale or broken data."""
    from guichet.catalog import load_catalog

    cache = tmp_path / "cache"
    data = tmp_path / "data"
    data.mkdir()
    first = load_catalog(data, cache_dir=cache)
    [pickled] = list(cache.glob("catalog-*.marshal"))
    assert load_catalog(data, cache_dir=cache) == first
    shipped = resolve("agencies.toml", None).text
    (data / "agencies.toml").write_text(shipped.replace('name = "Nanterre"', 'name = "Nanterre (siège)"'),
                                        encoding="utf-8")
    changed = load_catalog(data, cache_dir=cache)
    assert changed.agency("nanterre").name == "Nanterre (siège)"  # type: ignore[union-attr]
    assert not pickled.exists()  # the stale entry is gone
    [pickled] = list(cache.glob("catalog-*.marshal"))
    pickled.write_bytes(b"not a pickle")
    assert load_catalog(data, cache_dir=cache) == changed  # a broken cache is ignored and rewritten
    (data / "agencies.toml").write_text("[[agency]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_catalog(data, cache_dir=cache)  # a broken file is never hidden by the cache
