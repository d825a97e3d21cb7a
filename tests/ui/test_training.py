"""Training mode in the real interface (issue 18, item 1): for each shipped exercise, the correct answer
played through the pilot meets every check, and one wrong answer fails the check it should. Also: the
situation at start and on F1 (and the usual keys from there), the header's mark, the keys counted, the
throwaway database, Ctrl+Q asking before the results.

The checks' rules are quoted in data/exercises/*.toml (verified against the sources by
tests/unit/test_exercises.py); here the pilot plays what a trainee would type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from guichet.domain.orientation import Emergency
from guichet.ui.exercise_file import load_exercise, resolve, shipped_exercises
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.help import HelpScreen
from guichet.ui.screens.training import ResultsScreen, SituationScreen
from guichet.ui.training import TrainingApp, training_services
from guichet.ui.workers import workers_done

SIZE = (80, 24)
Play = Callable[[Pilot[None]], Awaitable[None]]
EMERGENCIES = [None, *Emergency]  # the order of the emergency question's options


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


@pytest.fixture
def training(tmp_path: Path) -> Iterator[Callable[[str], TrainingApp]]:
    """A TrainingApp on a throwaway database under tmp_path, its timer ticking 30 s per reading."""
    built = []

    def factory(exercise_id: str) -> TrainingApp:
        exercise = load_exercise(resolve(exercise_id))
        services = training_services(exercise, tmp_path / exercise_id)
        built.append(services)
        ticks = iter(range(0, 10_000, 30))
        return TrainingApp(services, exercise, timer=lambda: float(next(ticks)), cursor_blink=False)

    yield factory
    for services in built:
        services.close()


# -- what a trainee types ----------------------------------------------------------------------------
async def card(pilot: Pilot[None], query: str, *answers: str | Emergency) -> None:
    """Search ``query``, open the first card, answer its questions (a key, or an emergency to qualify)."""
    await pilot.press("slash", "ctrl+u", *query, "enter")
    await settle(pilot)
    for answer in answers:
        if isinstance(answer, Emergency):
            await pilot.press("u")
            await settle(pilot)
            await pilot.press(*["down"] * EMERGENCIES.index(answer), "enter")
        else:
            await pilot.press(answer)
        await settle(pilot)


async def book(pilot: Pilot[None], *setup: str) -> None:
    """From the card (r): the booking form, ``setup`` keys (F6 channel, F7 agency…), the first slot."""
    await pilot.press("r")
    await settle(pilot)
    for key in setup:
        await pilot.press(key)
        await settle(pilot)
    await pilot.press("enter", *"Awa Diallo", "enter", *"1234567", "enter", *"0612345678", "ctrl+s")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ConfirmationScreen"
    await pilot.press("escape")
    await settle(pilot)


async def handoff(pilot: Pilot[None], *, consent: str = "yes", benefits: tuple[str, ...] = (),
                  since: str = "") -> None:
    """From the card (t): the handoff form filled as the trainee would, saved with Ctrl+S."""
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert type(form).__name__ == "HandoffScreen"
    form.query_one("#name", Input).value = "Awa Diallo"
    form.query_one("#file-number", Input).value = "1234567"
    form.query_one("#phone", Input).value = "0612345678"
    form.query_one("#motifs", Input).value = "Non-paiement"
    form.query_one(TextArea).text = "Situation exposée au guichet."
    for code in benefits:
        form.query_one("#benefits").select(code)  # type: ignore[attr-defined]
    if since:
        form.query_one("#non-payment-since", Input).value = since
    form.query_one("#consent", Select).value = consent
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ != "HandoffScreen"


async def hours(pilot: Pilot[None]) -> None:
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


# -- the answers ---------------------------------------------------------------------------------------
async def asf_right(p: Pilot[None]) -> None:
    await card(p, "separation")
    await handoff(p, benefits=("ASF",), since="01/08/2026")


async def asf_wrong(p: Pilot[None]) -> None:  # the date of the non-payment not given: no URGENCE DEFINIE
    await card(p, "separation")
    await handoff(p, benefits=("ASF",))


async def baby_right(p: Pilot[None]) -> None:
    await card(p, "parent seul bebe", "p")
    await handoff(p)


async def baby_wrong(p: Pilot[None]) -> None:  # « parent seul » never asked
    await card(p, "parent seul bebe")
    await handoff(p)


async def rent_right(p: Pilot[None]) -> None:
    await card(p, "loyer impaye", "e")
    await handoff(p)


async def rent_wrong(p: Pilot[None]) -> None:  # logged as refused: no handoff with consent
    await card(p, "loyer impaye", "e")
    await handoff(p, consent="no")


async def deaf_right(p: Pilot[None]) -> None:
    await card(p, "sourd")
    await hours(p)


async def deaf_wrong(p: Pilot[None]) -> None:  # the hours never looked up
    await card(p, "sourd")


async def food_right(p: Pilot[None]) -> None:
    await card(p, "aide alimentaire", "s", Emergency.ALIMENTAIRE)


async def food_wrong(p: Pilot[None]) -> None:  # « déjà suivie » not answered
    await card(p, "aide alimentaire", Emergency.ALIMENTAIRE)


async def rsa_right(p: Pilot[None]) -> None:
    await card(p, "rsa pas verse")
    await book(p)


async def rsa_wrong(p: Pilot[None]) -> None:  # the benefit's card, not the non-payment's
    await card(p, "rsa")


async def cpam_right(p: Pilot[None]) -> None:
    await card(p, "indemnites journalieres")


async def cpam_wrong(p: Pilot[None]) -> None:  # a CAF appointment for a CPAM question
    await card(p, "indemnites journalieres")
    await card(p, "apl pas versee")
    await book(p)


async def friday_right(p: Pilot[None]) -> None:
    await card(p, "deposer justificatifs")
    await hours(p)


async def friday_wrong(p: Pilot[None]) -> None:  # « oui, passez » without looking at Friday's hours
    await card(p, "deposer justificatifs")


async def gca_right(p: Pilot[None]) -> None:
    await card(p, "apl pas versee")
    await book(p)


async def gca_wrong(p: Pilot[None]) -> None:  # F6: at the agency, while the person cannot come
    await card(p, "apl pas versee")
    await book(p, "f6")


async def csu_right(p: Pilot[None]) -> None:
    await card(p, "creer mon compte")
    await book(p, "f6")


async def csu_wrong(p: Pilot[None]) -> None:  # at the agency, not on the phone
    await card(p, "creer mon compte")
    await book(p)


async def closed_right(p: Pilot[None]) -> None:
    await card(p, "separation", "c")


async def closed_wrong(p: Pilot[None]) -> None:
    await card(p, "separation")


async def death_right(p: Pilot[None]) -> None:
    await card(p, "deces conjoint", "d")


async def death_wrong(p: Pilot[None]) -> None:
    await card(p, "deces conjoint")


async def violence_right(p: Pilot[None]) -> None:
    await card(p, "violences", Emergency.VIOLENCES)


async def violence_wrong(p: Pilot[None]) -> None:
    await card(p, "violences")


async def autonomy_right(p: Pilot[None]) -> None:
    await card(p, "prime activite pas versee", "s", "a")


async def autonomy_wrong(p: Pilot[None]) -> None:  # a GCA appointment in the referent's place
    await card(p, "prime activite pas versee")
    await book(p)


# exercise id → (the correct answer, a wrong answer, the number of the check it must fail)
ANSWERS: dict[str, tuple[Play, Play, int]] = {
    "asf-separation": (asf_right, asf_wrong, 3),
    "mere-seule-bebe": (baby_right, baby_wrong, 2),
    "impaye-loyer": (rent_right, rent_wrong, 3),
    "personne-sourde": (deaf_right, deaf_wrong, 2),
    "suivie-sans-nourriture": (food_right, food_wrong, 2),
    "rsa-interrompu": (rsa_right, rsa_wrong, 1),
    "question-cpam": (cpam_right, cpam_wrong, 3),
    "vendredi-sans-rdv": (friday_right, friday_wrong, 1),
    "gca-telephone": (gca_right, gca_wrong, 2),
    "csu-gennevilliers": (csu_right, csu_wrong, 2),
    "accompagnement-cloture": (closed_right, closed_wrong, 2),
    "deces-conjoint-ancien": (death_right, death_wrong, 2),
    "violences-urgence": (violence_right, violence_wrong, 3),
    "non-autonome-suivi": (autonomy_right, autonomy_wrong, 3),
}
FAST = {"gca-telephone"}  # the everyday loop plays one exercise; the others run with the slow tests


def _marked(ids: list[str]) -> list[object]:
    return [pytest.param(i, marks=() if i in FAST else pytest.mark.slow) for i in ids]


async def _play(app: TrainingApp, answer: Play) -> ResultsScreen:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SituationScreen)
        await pilot.press("enter")
        await settle(pilot)
        await answer(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)
        await pilot.press("o")
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await pilot.press("enter")
        await settle(pilot)
    return results


def test_every_shipped_exercise_has_its_answers() -> None:
    assert sorted(ANSWERS) == sorted(p.stem for p in shipped_exercises())
    assert len(ANSWERS) >= 12


@pytest.mark.parametrize("exercise_id", _marked(sorted(ANSWERS)))
async def test_the_correct_answer_meets_every_check(training: Callable[[str], TrainingApp], exercise_id: str) -> None:
    app = training(exercise_id)
    results = await _play(app, ANSWERS[exercise_id][0])
    missed = [(i + 1, v.seen) for i, v in enumerate(results.result.verdicts) if not v.met]
    assert missed == []
    assert app.run_outcome.result is not None and app.run_outcome.go_on  # Entrée: the next exercise


@pytest.mark.parametrize("exercise_id", _marked(sorted(ANSWERS)))
async def test_a_wrong_answer_fails_the_right_check(training: Callable[[str], TrainingApp], exercise_id: str) -> None:
    app = training(exercise_id)
    _right, wrong, number = ANSWERS[exercise_id]
    results = await _play(app, wrong)
    verdict = results.result.verdicts[number - 1]
    assert not verdict.met, verdict.seen


# -- the harness ---------------------------------------------------------------------------------------
def _text(app: TrainingApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_situation_f1_keys_header_and_results(training: Callable[[str], TrainingApp]) -> None:
    app = training("gca-telephone")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = _text(app)
        assert "Entraînement 1/1" in shown and "Allô ? Mon aide au logement" in shown
        assert "Au téléphone" in shown and "000_fb1f5dfc0eaffb6c.txt" in shown
        await pilot.press("enter")
        await settle(pilot)
        status = str(app.screen.query_one("#header-status", Static).render())
        assert status.startswith("entraînement 1/1 · ") and status.endswith(" · base jetable")
        await pilot.press(*"apl")
        await pilot.press("f1")  # F1: the situation again …
        await settle(pilot)
        assert isinstance(app.screen, SituationScreen)
        await pilot.press("f1")  # … and F1 there: the usual keys of the search screen
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("ctrl+q", "n")  # « non »: the exercise goes on
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen" and app.result is None
        await pilot.press("ctrl+q", "o")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        shown = _text(app)
        assert "0/2 vérifications" in shown and "MANQUÉ" in shown and "Règle :" in shown
        assert "« 90 % de rendez-vous téléphoniques »" in shown and "Source : 000_fb1f5dfc0eaffb6c.txt" in shown
        result = app.screen.result
        # At work: 3 letters, F1, Échap (on the keys' help), Ctrl+Q and N, Ctrl+Q and O; the situation's own
        # keys (Entrée, F1 there) are not counted. The timer ticked once: from « go » to the end, 30 s.
        assert result.keys == 3 + 1 + 1 + 2 + 2 and result.seconds == 30.0
        await pilot.press("escape")  # Échap: stop the training
        await settle(pilot)
    assert app.run_outcome.result is result and not app.run_outcome.go_on


def test_training_never_touches_the_agents_data(training: Callable[[str], TrainingApp], tmp_path: Path) -> None:
    app = training("gca-telephone")
    database = app.services.context.settings.paths.data_dir
    assert tmp_path in database.parents
