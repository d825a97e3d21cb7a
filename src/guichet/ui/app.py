"""The Textual application: receives its services, owns the screen stack."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from guichet.domain.models import Channel, Kind, Service
from guichet.domain.orientation import Answers
from guichet.services import Services
from guichet.ui.commands import ActionProvider, ServiceProvider
from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.booking import BookingChoice, BookingScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.orientation_card import OrientationCard


class GuichetApp(App[None]):
    """guichet's terminal interface."""

    CSS_PATH = "app.tcss"
    TITLE = "guichet"
    COMMANDS: ClassVar = {ActionProvider, ServiceProvider}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True),
        Binding("f2", "agencies", "Agences", id="app.agencies"),
        Binding("f3", "day_sheet", "RDV du jour", id="app.day_sheet"),
        Binding("f4", "book", "Rendez-vous", id="app.book"),
        Binding("f9", "handoffs", "Relais", id="app.handoffs"),
    ]

    def __init__(self, services: Services, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        self.cursor_blink = cursor_blink

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.services, cursor_blink=self.cursor_blink))

    @property
    def search_screen(self) -> SearchScreen:
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                return screen
        raise LookupError("no search screen")  # cannot happen once mounted

    def action_agencies(self) -> None:
        if not isinstance(self.screen, AgenciesScreen):
            self.push_screen(AgenciesScreen(self.services))

    def action_search(self) -> None:
        """Back to the search screen, keeping what was typed."""
        while not isinstance(self.screen, SearchScreen) and len(self.screen_stack) > 2:
            self.pop_screen()
        self.search_screen.action_focus_search()

    def action_new_person(self) -> None:
        self.action_search()
        self.search_screen.action_new_person()

    def show_service(self, service_id: str) -> None:
        """Show the card of ``service_id`` on the search screen (command palette)."""
        self.action_search()
        self.search_screen.select_service(service_id)

    async def action_back(self) -> None:
        """Go back one screen (never past the search screen)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_book(self, choice: BookingChoice | None = None) -> None:
        """Open the booking screen (from the card: kind, channel and motif pre-filled)."""
        if not isinstance(self.screen, BookingScreen):
            self.push_screen(BookingScreen(self.services, choice, cursor_blink=self.cursor_blink))

    def action_day_sheet(self) -> None:
        """The day's appointments of this counter's agency (the first agency if none is set)."""
        home = self.services.home_agency or self.services.agencies[0]
        if not isinstance(self.screen, DaySheetScreen):
            self.push_screen(DaySheetScreen(self.services, home.id))

    def action_handoffs(self) -> None:
        """The list of handoffs, to follow them up."""
        from guichet.ui.screens.handoffs import HandoffsScreen

        if not isinstance(self.screen, HandoffsScreen):
            self.push_screen(HandoffsScreen(self.services))

    def action_handoff(self, service: Service | None = None, answers: Answers | None = None) -> None:
        """The handoff form, pre-filled from the card's service and answers."""
        from guichet.ui.screens.handoff import HandoffScreen

        if not isinstance(self.screen, HandoffScreen):
            self.push_screen(HandoffScreen(self.services, service, answers, cursor_blink=self.cursor_blink))

    def on_orientation_card_action_requested(self, event: OrientationCard.ActionRequested) -> None:
        if event.action == "hours":
            self.action_agencies()
        elif event.action == "book":
            kind = event.advice.booking_kind or Kind.GCA
            channel = event.advice.channel or (Channel.AGENCE if kind is Kind.CSU else Channel.TELEPHONE)
            self.action_book(BookingChoice(kind, channel, event.service))
        elif event.action == "handoff":
            self.action_handoff(event.service, event.answers)


def run_app(services: Services) -> int:
    """Run the TUI until the agent quits."""
    GuichetApp(services).run()
    return 0
