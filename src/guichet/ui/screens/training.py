"""The training screens (issue 18): the situation as the person tells it (F1), and the results.

Every text from an exercise file is shown literally (Content, never markup).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from guichet.domain.exercise import Exercise, ExerciseResult, describe, duration
from guichet.domain.passage import PassageChannel

# What the results screen's keys do (TrainingApp reads it).
NEXT, STOP = "next", "stop"


def where(exercise: Exercise, agency_name: str) -> str:
    """« Au guichet de Nanterre » / « Au téléphone, agence de Nanterre »."""
    if exercise.channel is PassageChannel.TELEPHONE:
        return f"Au téléphone · guichet de {agency_name}"
    return f"Au guichet de {agency_name}"


class SituationScreen(ModalScreen[str | None]):
    """The situation of the exercise; F1 from here: the usual keys of the screen below."""

    CSS_PATH = "training.tcss"
    BINDINGS = [
        Binding("escape", "dismiss_with(None)", "Retour à l'exercice", id="situation.close"),
        Binding("enter", "dismiss_with(None)", "Retour à l'exercice", id="situation.go", show=False),
        Binding("f1", "dismiss_with('keys')", "Touches de l'écran", id="situation.keys"),
    ]

    def __init__(self, exercise: Exercise, agency_name: str, position: tuple[int, int], first: bool) -> None:
        super().__init__()
        self.exercise = exercise
        self.agency_name = agency_name
        self.position = position
        self.first = first

    def compose(self) -> ComposeResult:
        number, total = self.position
        exercise = self.exercise
        go = "Entrée : commencer" if self.first else "Échap : retour à l'exercice"
        with VerticalScroll(id="situation-dialog", classes="dialog"):
            yield Static(Content(f"Entraînement {number}/{total} — {exercise.title}"), classes="screen-title")
            yield Static(Content(where(exercise, self.agency_name)), classes="muted")
            yield Static(Content(f"« {exercise.situation.strip()} »"), id="situation-text")
            yield Static(Content(f"Situation tirée de : {exercise.source}"), classes="muted")
            yield Static(Content(f"{go} · F1 : touches de l'écran · Ctrl+Q : terminer"),
                         classes="muted")
            yield Static(Content("Pendant l'exercice, F1 ramène cette situation ; Ctrl+Q la termine et montre "
                                 "le résultat."), classes="muted")

    def action_dismiss_with(self, result: str | None) -> None:
        self.dismiss(result)


class ResultsScreen(ModalScreen[str]):
    """Each check met or not, with its rule (quoted) and source; the time and the keys."""

    CSS_PATH = "training.tcss"
    BINDINGS = [
        Binding("enter", "dismiss_with('next')", "Exercice suivant", id="results.next"),
        Binding("escape", "dismiss_with('stop')", "Arrêter", id="results.stop"),
        Binding("up", "scroll(-1)", "Remonter", id="results.up", show=False),
        Binding("down", "scroll(1)", "Descendre", id="results.down", show=False),
    ]

    def __init__(self, exercise: Exercise, result: ExerciseResult, *, last: bool,
                 title_of: Callable[[str], str], agency_name: Callable[[str], str]) -> None:
        super().__init__()
        self.exercise = exercise
        self.result = result
        self.last = last
        self.title_of = title_of
        self.agency_name = agency_name

    def compose(self) -> ComposeResult:
        result = self.result
        after = "Entrée : terminer la série" if self.last else "Entrée : exercice suivant"
        with Vertical(id="results-dialog", classes="dialog"):
            yield Static(Content(f"Résultat — {self.exercise.title}"), classes="screen-title")
            yield Static(Content(f"{result.met}/{len(result.verdicts)} vérifications · "
                                 f"{duration(result.seconds)} · {result.keys} touches"), id="results-figures")
            yield Static(Content(f"{after} · Échap : arrêter · ↑ ↓ : faire défiler"),
                         classes="muted")
            with VerticalScroll(id="results-checks"):
                for number, verdict in enumerate(result.verdicts, start=1):
                    state = "FAIT" if verdict.met else "MANQUÉ"
                    yield Static(Content.assemble(
                        (f"{number}. {state} ", "bold"),
                        describe(verdict.check, self.title_of, self.agency_name)),
                        classes="check-met" if verdict.met else "check-missed")
                    yield Static(Content(f"Vu : {verdict.seen}"), classes="check-detail")
                    yield Static(Content(f"Règle : {verdict.check.rule}"), classes="check-detail")
                    yield Static(Content(f"Source : {verdict.check.source}"), classes="check-detail muted")

    def action_scroll(self, step: int) -> None:
        self.query_one("#results-checks", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_dismiss_with(self, result: str) -> None:
        self.dismiss(result)
