"""The orientation card asks what the convention (004) and the 92's perimeter (000 p.10) need, and says
only what they say: no « 2 ans » where no window applies, no URGENCE DEFINIE on a social emergency."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from guichet.catalog import load_catalog
from guichet.domain.orientation import Answers, Emergency, orient
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.orientation_card import OrientationCard, card_text
from tests.ui.conftest import AppFactory
from tests.ui.test_hostile_text import screen_text

SIZE = (80, 24)
CATALOG = load_catalog()


def text_of(service_id: str, answers: Answers | None = None) -> str:
    service = CATALOG.service(service_id)
    assert service is not None
    answers = answers or Answers()
    return card_text(service, orient(service, answers, CATALOG.perimeter), answers).plain


# -- what the card says (pure) ---------------------------------------------------------------------------
@pytest.mark.parametrize("service_id", ["impaye-loyer", "handicap-enfant", "violences-conjugales",
                                        "acces-droits-urgence", "parent-seul-difficultes"])
def test_no_two_years_where_no_window_applies(service_id: str) -> None:
    """004 gives a window for « les séparations et les situations de décès » (2 years) and for the arrival of a
    child in a single-parent family (« jusqu'aux 1 an de l'enfant ») only."""
    shown = text_of(service_id)
    assert "dans les 2 ans" not in shown and "Événement > 2 ans" not in shown


def test_a_single_parents_child_until_one() -> None:
    shown = text_of("parent-seul-arrivee-enfant")
    assert "(jusqu'à 1 an de l'enfant)" in shown and "d · Enfant > 1 an" in shown
    assert "2 ans" not in shown


@pytest.mark.parametrize("service_id", ["aide-alimentaire", "hebergement-urgence", "coupure-energie",
                                        "protection-enfance", "violences-conjugales"])
def test_no_urgence_definie_on_a_social_emergency(service_id: str) -> None:
    """004 §I.2 defines URGENCE DEFINIE by AAH/RSA and the other benefits' payments; the social emergencies of
    §II.5 (« l'aide alimentaire », « l'absence de logement », « la menace de coupures d'énergie », « la protection
    de l'enfance », « les violences conjugales ») are another thing."""
    for answers in (Answers(), Answers(emergency=Emergency.ALIMENTAIRE)):
        assert "URGENCE DEFINIE" not in text_of(service_id, answers)
    assert "URGENCE DEFINIE" in text_of("rsa-non-verse")


def test_handicap_enfant_says_single_parents_only() -> None:
    """000 p.10: « parents seuls dans une situation vulnérable (grossesse, naissance, handicap de l'enfant, ...) »."""
    shown = text_of("handicap-enfant")
    assert "p · Parent seul : non demandé" in shown
    assert "À vérifier : parent seul" in shown
    couple = text_of("handicap-enfant", Answers(single_parent=False))
    assert "Service social du Département" in couple and "Travail social Caf : non (hors périmètre)" in couple


# -- the keys (pilot) ---------------------------------------------------------------------------------------
async def _card(pilot: Pilot[None], service_id: str) -> OrientationCard:
    await pilot.pause()  # the first frame shows the first service's card: ours comes after
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    card = screen.query_one(OrientationCard)
    card.service = screen.services.service(service_id)  # as if chosen in the list: no search ranking involved
    card.focus()
    await pilot.pause()
    assert card.service is not None and card.service.id == service_id and pilot.app.focused is card
    return card


async def test_the_single_parent_key_takes_a_couple_out(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card(pilot, "handicap-enfant")
        assert "p · Parent seul : non demandé" in screen_text(app)
        await pilot.press("p", "p")  # oui, then non
        await pilot.pause()
        assert card.answers.single_parent is False
        assert card.advice is not None and card.advice.destination == "Service social du Département"
        assert "p · Parent seul : non" in screen_text(app)


async def test_followed_person_questions_and_emergency(make_app: AppFactory) -> None:
    """004 §II.4 (« peu ou plus de liens ») is asked once the person is followed; an emergency then goes to the
    referent (004 §II.5: « prioritairement traitée par le référent social »)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card(pilot, "separation-divorce")
        await pilot.press("c")  # closed CAF accompaniment → the Département
        assert card.advice is not None and card.advice.destination == "Service social du Département"
        await pilot.press("c", "s", "l")  # not closed; followed, with few links
        await pilot.pause()
        assert card.answers.already_followed and card.answers.few_links
        assert "l · Peu ou plus de liens : oui" in screen_text(app)
        await pilot.press("l")  # links are fine: continuity
        card.set_emergency(Emergency.ENERGIE)
        await pilot.pause()
        assert card.advice is not None and card.advice.destination == "Le travailleur social qui suit déjà la personne"
        assert not card.advice.forward_to_caf
