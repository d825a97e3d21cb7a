"""The perimeter of the CAF social service of the 92 (data/social_work.toml): its content against the sources,
its loader (one line with file, line and key for a broken file), the override directory, the cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest

from guichet.catalog import DataError, load_catalog, load_perimeter, resolve
from guichet.domain.models import LifeEvent
from guichet.domain.perimeter import Scope, WindowKind
from guichet.paths import SHIPPED_DATA

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SHIPPED = load_perimeter(resolve("social_work.toml", None))


def _seed(name: str) -> str:
    """The source file's text, its lines joined (a quotation may run over a line break)."""
    [path] = SEEDS.glob(f"{name[:3]}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").replace("’", "'").split())


# -- the shipped perimeter is the 92's (000 p.10) with 004's windows ----------------------------------------
def test_the_92s_list_of_events() -> None:
    """000 p.10: « Comme toutes les Caf, une intervention est proposée dans les situations suivantes :
    séparation-divorce (intégrant les violences conjugales), deuil du conjoint ou de l'enfant, impayés de loyer,
    parents seuls dans une situation vulnérable (grossesse, naissance, handicap de l'enfant, nouvelle affiliation,
    baisse de revenus) » and « Spécifiquement dans les Hauts-de-Seine, [...] violences conjugales et [...] l'accès
    accès aux droits pour les situations d'urgence »."""
    scopes = {e.event: e.scope for e in SHIPPED.events}
    assert scopes == {
        LifeEvent.SEPARATION: Scope.TOUTES_LES_CAF, LifeEvent.DECES_CONJOINT: Scope.TOUTES_LES_CAF,
        LifeEvent.DECES_ENFANT: Scope.TOUTES_LES_CAF, LifeEvent.IMPAYE_LOYER: Scope.TOUTES_LES_CAF,
        LifeEvent.GROSSESSE_NAISSANCE: Scope.TOUTES_LES_CAF, LifeEvent.HANDICAP_ENFANT: Scope.TOUTES_LES_CAF,
        LifeEvent.NOUVELLE_AFFILIATION: Scope.TOUTES_LES_CAF, LifeEvent.BAISSE_RESSOURCES: Scope.TOUTES_LES_CAF,
        LifeEvent.VIOLENCES: Scope.DEPARTEMENT, LifeEvent.ACCES_DROITS_URGENCE: Scope.DEPARTEMENT,
    }
    assert SHIPPED.departement == "Hauts-de-Seine (92)"


def test_the_death_of_a_parent_is_left_out_and_said() -> None:
    """000 p.10 says « deuil du conjoint ou de l'enfant »; « Décès d'un des parents au sein d'une famille » is
    004's list, the 35's."""
    assert SHIPPED.entry(LifeEvent.DECES_PARENT) is None
    note = SHIPPED.note(LifeEvent.DECES_PARENT)
    assert note is not None and "Décès du conjoint" in note.note


def test_the_windows() -> None:
    """004 annex 2: « dans les deux ans suivant la date de l'évènement en ce qui concerne les séparations et les
    situations de décès » and « jusqu'aux 1 an de l'enfant pour les familles monoparentales »; none elsewhere."""
    windows = {e.event: (e.window.kind, e.window.years) for e in SHIPPED.events}
    for event in (LifeEvent.SEPARATION, LifeEvent.DECES_CONJOINT, LifeEvent.DECES_ENFANT):
        assert windows.pop(event) == (WindowKind.AFTER_EVENT, 2)
    assert windows.pop(LifeEvent.GROSSESSE_NAISSANCE) == (WindowKind.UNTIL_CHILD_AGE, 1)
    assert set(windows.values()) == {(WindowKind.NONE, 0)}


def test_the_conditions() -> None:
    """000 p.10: « parents seuls dans une situation vulnérable »; 004 annex 3: « Famille avec enfant à charge ou à
    naître »."""
    single = {e.event for e in SHIPPED.events if e.single_parent}
    assert single == {LifeEvent.GROSSESSE_NAISSANCE, LifeEvent.HANDICAP_ENFANT, LifeEvent.NOUVELLE_AFFILIATION,
                      LifeEvent.BAISSE_RESSOURCES}
    family = {e.event for e in SHIPPED.events if e.family}
    assert family == {LifeEvent.SEPARATION, LifeEvent.DECES_CONJOINT, LifeEvent.DECES_ENFANT, LifeEvent.IMPAYE_LOYER}
    assert SHIPPED.family_label == "Famille avec enfant à charge ou à naître"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repository")
def test_every_quotation_is_in_its_source() -> None:
    for entry in SHIPPED.events:
        for source, quote in ((entry.source, entry.quote), (entry.window_source, entry.window_quote),
                              (entry.family_source, entry.family_quote)):
            if quote is not None:
                assert source is not None
                assert " ".join(quote.split()) in _seed(source), (entry.event, quote)
    for left_out in SHIPPED.not_covered:
        assert left_out.quote in _seed(left_out.source)
    assert SHIPPED.quote in _seed(SHIPPED.source)


def test_window_labels_and_bounds() -> None:
    separation = SHIPPED.entry(LifeEvent.SEPARATION)
    birth = SHIPPED.entry(LifeEvent.GROSSESSE_NAISSANCE)
    arrears = SHIPPED.entry(LifeEvent.IMPAYE_LOYER)
    assert separation is not None and birth is not None and arrears is not None
    assert separation.window.label == "dans les 2 ans suivant l'événement"
    assert birth.window.label == "jusqu'à 1 an de l'enfant"
    assert arrears.window.label == "" and arrears.window.question == ""
    today = date(2026, 11, 23)
    assert birth.window.covers(date(2025, 11, 23), today) and not birth.window.covers(date(2025, 11, 22), today)
    assert birth.window.covers(date(2027, 3, 1), today)  # an expected birth
    assert arrears.window.covers(date(1990, 1, 1), today)


# -- the catalog carries it: shipped, overridden, cached ----------------------------------------------------
def test_the_catalog_carries_the_perimeter_and_lists_its_file() -> None:
    catalog = load_catalog()
    assert catalog.perimeter == SHIPPED
    assert catalog.sources[-1] == str(SHIPPED_DATA / "social_work.toml")


def test_an_override_replaces_the_shipped_perimeter(tmp_path: Path) -> None:
    text = (SHIPPED_DATA / "social_work.toml").read_text(encoding="utf-8")
    (tmp_path / "social_work.toml").write_text(text.replace("window_years = 2", "window_years = 3"), encoding="utf-8")
    catalog = load_catalog(tmp_path)
    entry = catalog.perimeter.entry(LifeEvent.SEPARATION)
    assert entry is not None and entry.window.years == 3
    assert str(tmp_path / "social_work.toml") in catalog.sources


def test_the_cache_keeps_the_perimeter_and_follows_its_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert load_catalog(cache_dir=cache).perimeter == SHIPPED
    assert load_catalog(cache_dir=cache).perimeter == SHIPPED  # read back from the cache
    data = tmp_path / "data"
    data.mkdir()
    text = (SHIPPED_DATA / "social_work.toml").read_text(encoding="utf-8")
    (data / "social_work.toml").write_text(text.replace('label = "Impayés de loyer"', 'label = "Loyers impayés"'),
                                           encoding="utf-8")
    changed = load_catalog(data, cache_dir=cache)  # another file: another key, not the old cache
    entry = changed.perimeter.entry(LifeEvent.IMPAYE_LOYER)
    assert entry is not None and entry.label == "Loyers impayés"
    again = load_catalog(data, cache_dir=cache)
    assert again == changed


# -- a broken file: one line, with the file, the line and the key -------------------------------------------
BASE = """\
[perimeter]
departement = "Hauts-de-Seine (92)"
source = "000_fb1f5dfc0eaffb6c.txt"
family_label = "Famille avec enfant à charge ou à naître"

[[event]]
event = "separation"
label = "Séparation"
scope = "toutes_les_caf"
window = "after_event"
window_years = 2
single_parent = false
family = true
source = "000_fb1f5dfc0eaffb6c.txt"
quote = "séparation-divorce"
window_source = "004_a86ec49ae4cb90e1.txt"
window_quote = "dans les deux ans"
family_source = "004_a86ec49ae4cb90e1.txt"
family_quote = "Famille avec enfant à charge ou à naître"

[[event]]
event = "impaye_loyer"
label = "Impayés de loyer"
scope = "toutes_les_caf"
window = "none"
source = "000_fb1f5dfc0eaffb6c.txt"
quote = "impayés de loyer"
"""


def edit(changes: dict[int, str]) -> str:
    lines = BASE.splitlines()
    for number, replacement in changes.items():
        lines[number - 1] = replacement
    return "\n".join(lines) + "\n"


class Broken(NamedTuple):
    id: str
    text: str
    line: int | None
    key: str
    reason: str


BROKEN = [
    Broken("syntax", edit({8: 'label = "Séparation'}), 8, "", "invalid TOML"),
    Broken("unknown-event", edit({22: 'event = "mariage"'}), 22, "event[1].event", "unknown value 'mariage'"),
    Broken("autre", edit({22: 'event = "autre"'}), 22, "event[1].event", "'autre' is not a life event"),
    Broken("twice", edit({22: 'event = "separation"'}), 22, "event[1].event", "'separation' is listed twice"),
    Broken("unknown-window", edit({10: 'window = "forever"'}), 10, "event[0].window", "unknown value 'forever'"),
    Broken("years-missing", edit({11: ""}), 6, "event[0]", "missing key 'window_years'"),
    Broken("years-zero", edit({11: "window_years = 0"}), 11, "event[0].window_years", "must be between 1 and 10"),
    Broken("years-string", edit({11: 'window_years = "2"'}), 11, "event[0].window_years", "expected an integer"),
    Broken("years-without-window", edit({25: 'window = "none"\nwindow_years = 2'}), 26, "event[1].window_years",
           "only with window"),
    Broken("window-quote-missing", edit({17: ""}), 6, "event[0]", "missing key 'window_quote'"),
    Broken("family-quote-missing", edit({19: ""}), 6, "event[0]", "missing key 'family_quote'"),
    Broken("flag-not-bool", edit({12: "single_parent = 1"}), 12, "event[0].single_parent", "expected true or false"),
    Broken("unknown-key", edit({15: 'quote = "séparation-divorce"\nperiod = 3'}), 16, "event[0].period",
           "unknown key"),
    Broken("unknown-scope", edit({24: 'scope = "ile-de-france"'}), 24, "event[1].scope",
           "unknown value 'ile-de-france'"),
    Broken("empty-quote", edit({27: 'quote = " "'}), 27, "event[1].quote", "must not be empty"),
    Broken("no-head", "\n".join(BASE.splitlines()[5:]) + "\n", None, "", "missing key 'perimeter'"),
    Broken("control-character", edit({23: 'label = "Imp\\u0007ayés"'}), 23, "event[1].label",
           "contains a control character"),
]


@pytest.mark.parametrize("b", BROKEN, ids=[b.id for b in BROKEN])
def test_a_broken_file_gives_one_line_with_file_line_and_key(tmp_path: Path, b: Broken) -> None:
    path = tmp_path / "social_work.toml"
    path.write_text(b.text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path)
    err = caught.value
    message = str(err)
    assert "\n" not in message
    assert err.file == str(path)
    assert (err.line, err.key) == (b.line, b.key), message
    assert b.reason in message
    where = f"{path}:{b.line}" if b.line else str(path)
    assert message.startswith(f"{where}: {b.key}: " if b.key else f"{where}: "), message


def test_the_base_of_the_broken_files_is_valid(tmp_path: Path) -> None:
    (tmp_path / "social_work.toml").write_text(BASE, encoding="utf-8")
    perimeter = load_catalog(tmp_path).perimeter
    assert [e.event for e in perimeter.events] == [LifeEvent.SEPARATION, LifeEvent.IMPAYE_LOYER]
