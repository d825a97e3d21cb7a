"""The Textual application: receives its services, owns the screen stack."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.theme import Theme

from guichet.domain.models import Service
from guichet.domain.orientation import Answers
from guichet.services import Services
from guichet.ui.commands import ActionProvider, Palette, ServiceProvider
from guichet.ui.keys import PALETTE_ACTIONS, check_keymap, key_label, screen_keys
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.counter_header import CounterHeader
from guichet.ui.widgets.orientation_card import OrientationCard

if TYPE_CHECKING:
    from guichet.ui.choices import BookingChoice

DATABASE_CHECK_SECONDS = 30.0
HIGH_CONTRAST = Theme(
    name="contraste-eleve", primary="#FFFF00", secondary="#00FFFF", accent="#FFFF00", warning="#FFA500",
    error="#FF5555", success="#00FF00", foreground="#FFFFFF", background="#000000", surface="#000000",
    panel="#1A1A1A", dark=True,
)
SCREEN_TITLES = {
    "SearchScreen": "Recherche et orientation", "AgenciesScreen": "Agences", "BookingScreen": "Prendre rendez-vous",
    "ConfirmationScreen": "Confirmation", "DaySheetScreen": "Rendez-vous du jour", "HandoffScreen": "Passage de relais",
    "HandoffsScreen": "Suivi des passages de relais", "SettingsScreen": "Réglages du poste",
}


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
        Binding("f1", "help", "Aide", id="app.help"),
        Binding("f10", "settings", "Réglages", id="app.settings", show=False),
        # Textual's palette binding, with an id so that [keymap] can move it ("palette": the footer's word).
        Binding(COMMAND_PALETTE_BINDING, "command_palette", "palette", id="app.palette", show=False, priority=True),
    ]

    def __init__(self, services: Services, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        self.cursor_blink = cursor_blink
        self.register_theme(HIGH_CONTRAST)
        self.keymap: dict[str, str] = {}  # [keymap] of config.toml, checked, in Textual's spelling
        if services.settings.keymap:  # checked before anything runs: a mistake is one line, exit code 2
            self.keymap = check_keymap(services.settings.keymap, app_class=type(self),
                                       source=str(services.settings.paths.config_file))
            self.set_keymap(self.keymap)
            if "app.palette" in self.keymap:  # the footer shows the palette's key by looking this one up
                self.COMMAND_PALETTE_BINDING = self.keymap["app.palette"].split(",")[0]  # type: ignore[misc]
        # Set before the first stylesheet parse: setting it once mounted would parse all the CSS again.
        if services.settings.theme in self.available_themes:
            self.theme = services.settings.theme

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_paint)

    def get_default_screen(self) -> SearchScreen:
        """The search screen is the bottom of the stack: no empty screen to compose and lay out first."""
        return SearchScreen(self.services, cursor_blink=self.cursor_blink)

    def _after_first_paint(self) -> None:
        """What start-up did not have to wait for: the index, the database, a quieter GC."""
        self.warm_up()
        if self.services.home_agency is None:
            self.notify("Choisissez l'agence de ce guichet : F10 (Réglages du poste).", timeout=10)
        self.set_interval(DATABASE_CHECK_SECONDS, self.check_database)

    @work(thread=True, group="warm-up")  # not in "ping": a database check must never cancel it
    def warm_up(self) -> None:
        reachable = self.services.warm_up()
        if not gc.isenabled():  # guichet.__main__ (or cli.main) paused the collector for start-up
            # Start-up objects live as long as the app: keep them out of every future
            # collection, which shortens the pauses while the agent types.
            gc.freeze()
            gc.enable()
        self.call_from_thread(self._database_state, reachable)

    @work(thread=True, exclusive=True, group="ping")
    def check_database(self) -> None:
        reachable = self.services.ping()
        self.call_from_thread(self._database_state, reachable)

    def _database_state(self, reachable: bool) -> None:
        label = "base partagée" if self.services.is_shared_database else "base locale"
        if not reachable:
            label += " INJOIGNABLE"
        for screen in self.screen_stack:
            for header in screen.query(CounterHeader):
                header.database = label
                header.set_class(not reachable, "-db-down")

    def refresh_headers(self) -> None:
        """After the settings changed: the agency shown in every header."""
        home = self.services.home_agency
        for screen in self.screen_stack:
            for header in screen.query(CounterHeader):
                header.agency_name = home.name if home else ""

    def action_help(self) -> None:
        """F1: the keys of the current screen."""
        from guichet.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen | CommandPalette):
            return
        entries = screen_keys(self.screen)
        palette = [f"{e.key_text} : palette de commandes" for e in entries if e.binding.action in PALETTE_ACTIONS]
        close = key_label(self.keymap.get("help.close", "escape").split(",")[0])
        note = " · ".join([*palette, f"{close} : fermer cette aide"])
        title = SCREEN_TITLES.get(type(self.screen).__name__, "guichet")
        self.push_screen(HelpScreen(title, [(e.key_text, e.description) for e in entries], note))

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette, in French (the screen's actions and the catalog)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette())

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text field: how to quit, in French (Textual says it in English)."""
        for key, active in self.screen.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Pour quitter guichet : {key_label(key)}", title="Quitter ?", markup=False)
                return

    def action_settings(self) -> None:
        from guichet.ui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(self.services), lambda _saved: self.refresh_headers())

    @property
    def search_screen(self) -> SearchScreen:
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                return screen
        raise LookupError("no search screen")  # cannot happen once mounted

    def action_agencies(self) -> None:
        from guichet.ui.screens.agencies import AgenciesScreen

        if not isinstance(self.screen, AgenciesScreen):
            self.push_screen(AgenciesScreen(self.services))

    def action_search(self) -> None:
        """Back to the search screen, keeping what was typed."""
        while not isinstance(self.screen, SearchScreen) and len(self.screen_stack) > 1:
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
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_book(self, choice: BookingChoice | None = None) -> None:
        """Open the booking screen (from the card: kind, channel and motif pre-filled)."""
        from guichet.ui.screens.booking import BookingScreen

        if not isinstance(self.screen, BookingScreen):
            self.push_screen(BookingScreen(self.services, choice, cursor_blink=self.cursor_blink))

    def action_day_sheet(self) -> None:
        """The day's appointments of this counter's agency (the first agency if none is set)."""
        from guichet.ui.screens.daysheet import DaySheetScreen

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
            from guichet.ui.choices import BookingChoice

            self.action_book(BookingChoice(event.advice.booking_kind, event.advice.channel, event.service))
        elif event.action == "handoff":
            self.action_handoff(event.service, event.answers)


def run_app(services: Services) -> int:
    """Run the TUI until the agent quits."""
    GuichetApp(services).run()
    return 0
