"""Search that understands how people talk (issue 15): phrasings, stemming, stop words, the floor.

The mechanics on small catalogs; the frozen colloquial set is measured in test_colloquial.py.
"""

from __future__ import annotations

import pytest

from guichet.catalog import DataError, DataFile, load_catalog, load_services
from guichet.domain.models import Desk, Orientation, Service
from guichet.domain.search import CONFIDENCE_FLOOR, ONE_WORD_FLOOR, Index, Lookup
from guichet.domain.words import STOP_WORDS, fold, stem, tokens
from guichet.services import Services


def service(id: str, title: str, *, keywords: tuple[str, ...] = (),
            phrasings: tuple[str, ...] = (), summary: str = "", popularity: int = 0) -> Service:
    return Service(id=id, title=title, category="evenement", summary=summary,
                   orientation=Orientation(desk=Desk.GCA), source="test", keywords=keywords,
                   phrasings=phrasings, popularity=popularity)


CATALOG = (
    service("naissance", "Naissance d'un enfant", keywords=("bébé", "accouchement"),
            phrasings=("mon bébé est arrivé",), popularity=45),
    service("violences", "Violences conjugales", keywords=("violences conjugales", "coups"),
            phrasings=("il lève la main sur moi", "mon conjoint me frappe"), popularity=25),
    service("separation", "Séparation ou divorce", keywords=("divorce",),
            phrasings=("on se quitte",), popularity=55),
    service("paiement", "Paiement non reçu", keywords=("pas payé", "rien reçu"), popularity=95),
    service("travail", "Perte d'emploi", keywords=("licenciement", "chômage"),
            phrasings=("plus de travail",), popularity=50),
    service("logement", "Aide au logement", keywords=("loyer", "appartement"), popularity=80),
)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(CATALOG)


def ids(found: Lookup | list) -> list[str]:  # type: ignore[type-arg]
    hits = found.hits if isinstance(found, Lookup) else found
    return [hit.service.id for hit in hits]


# -- "né" is not the stop word "ne" ----------------------------------------------------------


def test_born_is_kept_the_negation_is_dropped() -> None:
    assert tokens("mon bébé est né hier") == ["bebe", "ne"]
    assert tokens("mon bebe est ne") == ["bebe", "ne"]  # after "être", typed without accent
    assert tokens("elle est née") == ["ne"]
    assert tokens("des jumeaux nés lundi") == ["jumeaux", "ne"]
    assert tokens("je ne reçois pas l'APL") == ["recois", "pas", "apl"]
    assert tokens("il ne paie plus") == ["paie", "plus"]
    assert "ne" in STOP_WORDS  # the negation stays a stop word


def test_born_finds_the_birth(index: Index) -> None:
    for query in ("mon bébé est né hier", "il est ne", "bebe ne"):
        assert ids(index.search(query))[0] == "naissance", query


def test_fold_keeps_its_signature() -> None:
    # Used by the finder and the command palette (H1, H3).
    assert fold("Né le 3 ÉTÉ") == "ne le 3 ete"


# -- stop words that eat nothing meaningful --------------------------------------------------


@pytest.mark.parametrize("word", ["pas", "plus", "rien", "dois", "moins", "sans", "trop", "seul",
                                  "seule", "mort", "ne"])
def test_meaningful_words_are_not_stop_words(word: str) -> None:
    kept = tokens(f"je suis {word}") if word != "ne" else tokens("il est né")
    assert kept and kept[-1] == word


def test_fillers_of_speech_are_dropped() -> None:
    assert tokens("bonjour madame, depuis lundi il me dit que c'est trop tard svp") == [
        "trop", "tard"]
    # SMS spellings and vague spans of time: "chuis au chômage depuis peu", "ya un moment"
    assert tokens("chuis au chômage depuis peu, tout le temps ds le rouge ya 2 jours") == [
        "chomage", "rouge", "2"]


# -- stemming (PyStemmer, French Snowball) -------------------------------------------------


def test_forms_of_a_word_meet(index: Index) -> None:
    assert ids(index.search("séparée"))[0] == "separation"
    assert ids(index.search("separes"))[0] == "separation"
    assert ids(index.search("licencie"))[0] == "travail"  # licencié / licenciement
    assert ids(index.search("il m'a frappée"))[0] == "violences"
    assert ids(index.search("pas payée"))[0] == "paiement"  # payée / payé (irregular stems)


def test_prefix_of_the_word_being_typed_still_completes(index: Index) -> None:
    word = "licenciement"
    for end in range(5, len(word) + 1):
        assert ids(index.search(word[:end]))[0] == "travail", word[:end]


# -- phrasings: the person's words -----------------------------------------------------------


def test_phrasings_are_searched_with_their_own_field(index: Index) -> None:
    hits = index.search("il leve la main sur moi")
    assert ids(hits)[0] == "violences"
    assert hits[0].field == "phrasings"


def test_familiar_words_reach_the_catalog_words(index: Index) -> None:
    assert ids(index.search("j'ai plus de boulot"))[0] == "travail"  # boulot: travail
    assert ids(index.search("mon mec me frappe"))[0] == "violences"  # mec: conjoint
    assert ids(index.search("j'ai trouvé un appart"))[0] == "logement"  # appart: appartement


# -- the confidence floor --------------------------------------------------------------------


def test_confident_lookup(index: Index) -> None:
    found = index.lookup("mon conjoint me frappe", limit=3)
    assert found.confident
    assert ids(found)[0] == "violences"
    assert found.nearby == ()
    assert found.hits[0].score >= CONFIDENCE_FLOOR


def test_out_of_scope_says_nothing_matches_well(index: Index) -> None:
    found = index.lookup("ma voiture est en panne")
    assert not found.confident
    assert found.hits == ()


def test_weak_match_gives_nearby_themes_not_answers(index: Index) -> None:
    # "loyer" is known, "garage" and "parking" are not: a guess, not an answer.
    found = index.lookup("loyer du garage parking", nearby=2)
    assert found.hits == ()
    assert ids(list(found.nearby)) == ["logement"]
    assert found.nearby[0].score < CONFIDENCE_FLOOR
    # search() itself still ranks the guess (the CLI and the 135-query test use it).
    assert ids(index.search("loyer du garage parking")) == ["logement"]


def test_one_typed_word_with_a_typo_is_confident(index: Index) -> None:
    found = index.lookup("chomge")  # one letter missing from a keyword: 51
    assert found.confident and ids(found)[0] == "travail"
    assert ONE_WORD_FLOOR <= found.hits[0].score < CONFIDENCE_FLOOR


def test_blank_lookup_lists_the_most_popular(index: Index) -> None:
    found = index.lookup("", limit=2)
    assert found.confident
    assert ids(found) == ["paiement", "logement"]


def test_numbers_alone_are_no_theme(index: Index) -> None:
    assert index.lookup("800").hits == ()
    assert index.search("800") == []


# -- the data file field ---------------------------------------------------------------------

SERVICE_TOML = """\
[[service]]
id = "violences-conjugales"
title = "Violences conjugales"
category = "evenement"
summary = "Permanence juridique du CIDFF."
keywords = ["violences"]
phrasings = ["mon copain me frappe", "il me menace"]
source = "000_fb1f5dfc0eaffb6c.txt"

[service.orientation]
desk = "partenaire"
partner = "CIDFF"
"""


def test_loader_reads_phrasings() -> None:
    (loaded,) = load_services(DataFile("services.toml", SERVICE_TOML))
    assert loaded.phrasings == ("mon copain me frappe", "il me menace")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('phrasings = "mon copain me frappe"', "expected a list of strings"),
        ('phrasings = ["mon copain me frappe", 3]', "item 2 must be a non-empty string"),
        ('phrasings = ["  "]', "item 1 must be a non-empty string"),
        ('phrasings = ["' + "x" * 121 + '"]', "item 1 is too long"),
    ],
)
def test_a_broken_phrasings_line_is_named(line: str, reason: str) -> None:
    text = SERVICE_TOML.replace('phrasings = ["mon copain me frappe", "il me menace"]', line)
    with pytest.raises(DataError) as caught:
        load_services(DataFile("services.toml", text))
    message = str(caught.value)
    assert caught.value.line == 7
    assert message.startswith("services.toml:7: service[0].phrasings: "), message
    assert reason in message


def test_every_shipped_service_has_phrasings() -> None:
    services = load_catalog().services
    assert all(len(s.phrasings) >= 3 for s in services), [s.id for s in services
                                                          if len(s.phrasings) < 3]


# -- what the search screen calls ------------------------------------------------------------


def test_services_lookup(services: Services) -> None:
    assert not services.lookup("ma voiture est en panne").confident
    found = services.lookup("mon mari me frappe", 3)
    assert found.confident and found.hits[0].service.id == "violences-conjugales"
    assert [h.service.id for h in services.lookup("", 2).hits] == [
        h.service.id for h in services.search("", 2)]


def test_search_works_without_pystemmer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken PyStemmer install (its DLL missing on a workstation) must not break the search."""
    import builtins

    import guichet.domain.words as words

    real_import = builtins.__import__

    def no_stemmer(name: str, *args: object, **kwargs: object) -> object:
        if name == "Stemmer":
            raise ImportError("no PyStemmer here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_stemmer)
    monkeypatch.setattr(words, "_stemmer", None)
    monkeypatch.setattr(words, "_stems", {})
    index = Index(CATALOG)
    assert ids(index.search("séparation"))[0] == "separation"
    assert ids(index.lookup("mon conjoint me frappe"))[0] == "violences"


# -- negations and numbers qualify, they do not dilute ------------------------------------------


def test_a_negation_adds_to_a_score_and_takes_nothing_from_it() -> None:
    index = Index((
        service("non-verse", "Aide non versée", keywords=("pas versé",)),
        service("aide", "Aide au logement", keywords=("loyer",)),
    ))
    # "pas" tells the unpaid benefit apart...
    assert ids(index.search("aide pas versee"))[0] == "non-verse"
    # ...but a service without it is not the less about "loyer": a full answer.
    found = index.lookup("loyer pas")
    assert ids(found)[0] == "aide" and found.hits[0].score == 85  # an exact keyword: 85


def test_a_number_does_not_pull_an_answer_under_the_floor() -> None:
    index = Index((
        service("nombreuse", "Complément familial", keywords=("3 enfants",)),
        service("logement", "Aide au logement", keywords=("loyer",)),
    ))
    assert ids(index.search("3 enfants"))[0] == "nombreuse"  # where it is written, it counts
    found = index.lookup("loyer 3")  # "3" is in another service: no dilution of "loyer"
    assert found.confident and ids(found)[0] == "logement" and found.hits[0].score == 85
    assert index.lookup("800").hits == ()  # a number alone is still no theme


# -- stems that are another word's -------------------------------------------------------------


def test_cafe_is_not_the_caf() -> None:
    index = Index((service("contact", "Contacter la Caf", keywords=("caf",)),))
    assert stem(fold("café")) == "cafe" != stem("caf")
    assert index.lookup("je voudrais un café").hits == ()


def test_married_is_not_husband() -> None:
    assert stem(fold("marié")) == stem("mariage") != stem("mari")
    index = Index((
        service("couple", "Mise en couple", keywords=("mariage",)),
        service("separation", "Séparation", phrasings=("mon mari est parti",)),
    ))
    assert ids(index.search("je me suis marié"))[0] == "couple"
    assert ids(index.search("mon mari est parti"))[0] == "separation"


# -- an answer explains what was said -------------------------------------------------------


def test_words_only_guessed_explain_nothing() -> None:
    # "télé" only starts "téléphone", "marche" is two letters from "démarche": guesses, and a
    # negation on top of them; no service is put forward.
    index = Index((
        service("contact", "Contacter la Caf", keywords=("téléphone", "démarche", "plus rien")),
        service("autre", "Autre chose"),
    ))
    found = index.lookup("ma télé ne marche plus")
    assert found.hits == ()
    assert ids(list(found.nearby)) == ["contact"] and found.nearby[0].score >= CONFIDENCE_FLOOR


# -- familiar words ------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("le proprio veut me virer", "expulsion"),  # virer: licencier, and expulser
    ("on m'a viré du boulot", "travail"),  # boulot: travail, emploi
    ("j'ai bougé", "demenagement"),  # bouger: déménager
    ("j'ai plus un rond", "urgence"),  # rond: argent
    ("elle a sauté l'aide", "coupee"),  # sauter: coupé, supprimé, arrêté
    ("mon rsa est pas passé", "coupee"),  # passé: versé
])
def test_more_familiar_words(query: str, expected: str) -> None:
    index = Index((
        service("expulsion", "Menace d'expulsion", keywords=("expulser", "propriétaire")),
        service("travail", "Perte d'emploi", keywords=("licencié",)),
        service("demenagement", "Déménagement", keywords=("déménager",)),
        service("urgence", "Urgence", keywords=("plus d'argent",)),
        service("coupee", "Aide coupée", keywords=("rsa coupé", "rsa pas versé", "aide supprimée")),
    ))
    assert ids(index.lookup(query))[0] == expected
