"""Training mode (``guichet entrainement``, issue 18): the real interface, a situation, and what was right.

:class:`TrainingApp` is the real :class:`~guichet.ui.app.GuichetApp`, run on a throwaway database
(a temporary folder, never the agent's data) with the exercise's frozen clock and agency. It shows
the situation first; F1 shows it again (and F1 once more the usual keys of the screen below); the
header says « entraînement » and which exercise. It observes what the trainee does through the hooks
the reception log already has (ui/reception.py): each card read with its answers (the log's SERVICE
items), F2, the appointments booked and the handoffs logged (their ids, read back from the throwaway
database when the exercise ends). Ctrl+Q ends the exercise (after a « oui »): the results screen
judges every check (:func:`guichet.domain.exercise.evaluate`) and shows its rule and source, the time
taken and the keys typed.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import events, work
from textual.binding import Binding, BindingType

from guichet.domain.clock import FixedClock
from guichet.domain.exercise import CardRead, Exercise, ExerciseResult, Observed, evaluate
from guichet.domain.models import Service, Status
from guichet.domain.orientation import Advice, Answers
from guichet.domain.passage import Outcome, PassageChannel, card_outcome
from guichet.paths import Paths
from guichet.services import Services, make_services
from guichet.services.passages import Received
from guichet.settings import Settings
from guichet.ui.app import GuichetApp
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.help import HelpScreen
from guichet.ui.screens.training import NEXT, STOP, ResultsScreen, SituationScreen
from guichet.ui.widgets.counter_header import CounterHeader
from guichet.ui.widgets.orientation_card import OrientationCard

CANCELLED = (Status.EXCUSED, Status.REVOKED)  # an appointment cancelled again is not a booking
OWN_SCREENS = (SituationScreen, ResultsScreen)  # keys typed there are not counted
THROWAWAY = "base jetable"


@dataclass(frozen=True, slots=True)
class TrainingRun:
    """How an exercise ended: its result (None: left before the end) and whether to go on."""

    result: ExerciseResult | None
    go_on: bool


class TrainingApp(GuichetApp):
    """The real app with an exercise: the situation, the observation, the results."""

    # The same ids as GuichetApp's (these replace them): F1 and Ctrl+Q do the training's work here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Terminer l'exercice", id="app.quit", priority=True),
        Binding("f1", "help", "Situation de l'exercice", id="app.help"),
    ]

    def __init__(self, services: Services, exercise: Exercise, *, position: tuple[int, int] = (1, 1),
                 timer: Callable[[], float] = time.monotonic, cursor_blink: bool = True) -> None:
        super().__init__(services, cursor_blink=cursor_blink)
        self.exercise = exercise
        self.position = position
        self.timer = timer
        self.cards: list[CardRead] = []
        self.hours_seen = False
        self.appointment_ids: list[int] = []
        self.handoff_ids: list[int] = []
        self.keys = 0
        self.started: float | None = None
        self.result: ExerciseResult | None = None
        self.run_outcome = TrainingRun(None, go_on=False)
        if exercise.channel is PassageChannel.TELEPHONE and services.passages.channel is not PassageChannel.TELEPHONE:
            services.passages.toggle_channel()  # the person calls: counted on the phone from the start

    # -- start ---------------------------------------------------------------------------------------
    def _after_first_paint(self) -> None:
        super()._after_first_paint()
        self.show_situation(first=True)

    @property
    def agency_name(self) -> str:
        home = self.services.home_agency
        return home.name if home else self.exercise.agency

    def show_situation(self, *, first: bool = False) -> None:
        def closed(choice: str | None) -> None:
            if self.started is None:
                self.started = self.timer()  # the clock runs from the first « go »
            if choice == "keys":
                GuichetApp.action_help(self)

        self.push_screen(SituationScreen(self.exercise, self.agency_name, self.position, first), closed)

    def action_help(self) -> None:
        """F1: the situation again (F1 there: the usual keys of the screen)."""
        if isinstance(self.screen, SituationScreen | ResultsScreen | HelpScreen):
            return
        self.show_situation()

    # -- the header: discreetly, training and which exercise ---------------------------------------
    # Where the people received this half-day are counted (nothing to count on a throwaway database),
    # the header says « entraînement 3/14 »; the database is « base jetable ».
    def _mark(self) -> str:
        number, total = self.position
        return f"entraînement {number}/{total}"

    def _show_figures(self, received: Received) -> None:
        self._figures = self._mark()
        for header in self._headers():
            header.received = self._figures

    def dress_header(self, header: CounterHeader) -> None:
        self._figures = self._mark()
        super().dress_header(header)
        header.set_reactive(CounterHeader.database, THROWAWAY)

    def _database_state(self, reachable: bool) -> None:
        super()._database_state(reachable)
        for header in self._headers():
            header.database = THROWAWAY if reachable else f"{THROWAWAY} INJOIGNABLE"

    # -- observing -----------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and not event.is_forwarded and self.result is None
                and not isinstance(self.screen, OWN_SCREENS)):
            self.keys += 1
        await super().on_event(event)

    def passage_consulted(self, service: Service, advice: Advice) -> None:
        super().passage_consulted(service, advice)
        answers = Answers()
        for card in self.search_screen.query(OrientationCard):
            if card.service is not None and card.service.id == service.id:
                answers = card.answers
        self.cards.append(CardRead(service.id, answers, card_outcome(service, advice.desk, advice.destination)))

    def passage_noted(self, kind: Outcome, ref: object = "") -> None:
        super().passage_noted(kind, ref)
        if kind is Outcome.APPOINTMENT and str(ref).isdigit() and int(str(ref)) not in self.appointment_ids:
            self.appointment_ids.append(int(str(ref)))
        elif kind is Outcome.HANDOFF and str(ref).isdigit() and int(str(ref)) not in self.handoff_ids:
            self.handoff_ids.append(int(str(ref)))

    def action_agencies(self) -> None:
        if not isinstance(self.screen, OWN_SCREENS):
            self.hours_seen = True
        super().action_agencies()

    # -- the end -------------------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Ctrl+Q: end the exercise (after a « oui »); on the results, stop the training."""
        if isinstance(self.screen, ResultsScreen):
            self._results_closed(STOP)
        elif self.result is None and not isinstance(self.screen, AskScreen):
            self.push_screen(AskScreen("Terminer l'exercice et voir le résultat ?", title="Fin de l'exercice"),
                             lambda yes: self.end_exercise() if yes else None)

    def end_exercise(self) -> None:
        """Stop the clock, read back what was written, judge."""
        if self.result is not None:
            return
        seconds = self.timer() - self.started if self.started is not None else 0.0
        self.result = ExerciseResult(self.exercise.id, (), seconds, self.keys)
        self._judge(seconds)

    @work(thread=True, exclusive=True, group="training")
    def _judge(self, seconds: float) -> None:
        observed = self.observed()
        result = ExerciseResult(self.exercise.id, evaluate(self.exercise, observed), seconds, self.keys)
        self.call_from_thread(self._show_results, result)

    def observed(self) -> Observed:
        """What the trainee did (reads the throwaway database: call it off the UI thread)."""
        appointments = tuple(a for a in (self.services.appointments.get(i) for i in self.appointment_ids)
                             if a.status not in CANCELLED)
        handoffs = tuple(self.services.handoffs.get(i) for i in self.handoff_ids)
        names = tuple((a.id, a.name) for a in self.services.catalog.agencies)
        return Observed(tuple(self.cards), self.hours_seen, appointments, handoffs, names)

    def _show_results(self, result: ExerciseResult) -> None:
        self.result = result
        number, total = self.position
        catalog = self.services.catalog

        def title_of(service_id: str) -> str:
            service = catalog.service(service_id)
            return service.title if service else service_id

        def agency_name(agency_id: str) -> str:
            agency = catalog.agency(agency_id)
            return agency.name if agency else agency_id

        self.push_screen(ResultsScreen(self.exercise, result, last=number >= total, title_of=title_of,
                                       agency_name=agency_name), self._results_closed)

    def _results_closed(self, choice: str | None) -> None:
        self.run_outcome = TrainingRun(self.result, go_on=choice == NEXT)
        self.passage_closed_now()
        self.exit()


def run_exercise(exercise: Exercise, *, position: tuple[int, int] = (1, 1), **run: Any) -> TrainingRun:
    """Run ``exercise`` in the terminal on a throwaway database; how it ended."""
    with tempfile.TemporaryDirectory(prefix="guichet-entrainement-") as temporary:
        services = training_services(exercise, Path(temporary))
        try:
            app = TrainingApp(services, exercise, position=position)
            app.run(**run)
            return app.run_outcome
        finally:
            services.close()


def training_services(exercise: Exercise, root: Path) -> Services:
    """Services on a database under ``root`` (a throwaway folder), the exercise's clock and agency."""
    settings = Settings(paths=Paths(root / "config", root / "data", root / "logs"), now=exercise.now,
                        agency=exercise.agency, agent_name=exercise.agent)
    return make_services(settings, clock=FixedClock(exercise.now))
