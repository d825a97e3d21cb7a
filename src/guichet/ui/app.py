"""The Textual application: receives its services, owns the screens.

The top-level screens (the search, F2 agencies, F3 day sheet, F4 booking, F9 handoffs, F10
settings, Ctrl+F finder) are Textual *modes*: F-keys switch between them, never stack them, so
Escape is always one step from the search. Each mode holds one screen at its root (the search's
own stack also holds the handoff form and the card's dialogs). A mode is closed when the agent
leaves it, except the booking form and the finder, kept while the agent checks something
elsewhere (and any screen holding unsaved work): F4 or Ctrl+F bring them back as they were.
Escape from a mode's root goes back to the search, or to the form the agent came from when that
form holds unsaved work. Ctrl+Q and Ctrl+N look at every screen of every mode for
``unsaved_work()`` and ask before anything typed is lost."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from guichet import logs
from guichet.domain.models import Service
from guichet.domain.orientation import Answers
from guichet.services import Services
from guichet.ui import quiet, textual_fixes, warm
from guichet.ui.ahead import AheadMixin
from guichet.ui.commands import ActionProvider, Palette, ServiceProvider
from guichet.ui.keys import PALETTE_ACTIONS, check_keymap, key_label, screen_keys
from guichet.ui.modes import KEPT_MODES, OPENS, SEARCH, unsaved_work
from guichet.ui.quiet import QuietMixin
from guichet.ui.reception import ReceptionMixin
from guichet.ui.screens.fresh import StyledWhenMounted
from guichet.ui.screens.search import SearchScreen
from guichet.ui.typeahead import TypeaheadMixin
from guichet.ui.widgets.counter_header import CounterHeader
from guichet.ui.widgets.orientation_card import OrientationCard

if TYPE_CHECKING:
    from textual.css.stylesheet import CssSource, Stylesheet
    from textual.dom import DOMNode

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
    "FinderScreen": "Retrouver un rendez-vous", "StatsScreen": "Statistiques de l'accueil",
}


log = logs.get("ui")

def guichet_classes() -> Iterator[type[DOMNode]]:
    """Every screen and widget class of guichet (importing them all: only when a keymap is set)."""
    from textual.dom import DOMNode

    for module in warm.import_screens():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module.__name__:
                yield value


class GuichetApp(ReceptionMixin, QuietMixin, TypeaheadMixin, AheadMixin, StyledWhenMounted, App[None]):
    """guichet's terminal interface (its modes: :class:`~guichet.ui.modes.ModesMixin`, the top-level
    screens made ahead: :class:`~guichet.ui.ahead.AheadMixin`; keys typed ahead
    wait for their screen: :class:`~guichet.ui.typeahead.TypeaheadMixin`; every person received
    counted: :class:`~guichet.ui.reception.ReceptionMixin`)."""

    CSS_PATH = "app.tcss"
    TITLE = "guichet"
    COMMANDS: ClassVar = {ActionProvider, ServiceProvider}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    DEFAULT_MODE: ClassVar[str] = SEARCH
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True),
        Binding("f2", "agencies", "Agences", id="app.agencies"),
        Binding("f3", "day_sheet", "Rendez-vous du jour", id="app.day_sheet"),
        Binding("f4", "book", "Rendez-vous", id="app.book"),
        Binding("f9", "handoffs", "Relais", id="app.handoffs"),
        Binding("f1", "help", "Aide", id="app.help"),
        Binding("f10", "settings", "Réglages du poste", id="app.settings"),
        Binding("ctrl+f", "find", "Retrouver un RDV", id="app.find"),
        Binding("f12", "stats", "Statistiques de l'accueil", id="app.stats"),
        # The reception log (ui/reception.py): from anywhere, a text field included.
        Binding("ctrl+t", "toggle_channel", "Accueil au guichet / au téléphone", id="app.channel", priority=True),
        Binding("ctrl+r", "quick_question", "Question rapide (sans recherche)", id="app.quick", priority=True),
        # Priority: the next person from anywhere, a text field included.
        Binding("ctrl+n", "new_person", "Nouvel usager", id="app.new_person", priority=True),
        # Textual's palette binding, with an id so that [keymap] can move it (F1 and the key strip name it).
        Binding(COMMAND_PALETTE_BINDING, "command_palette", "Palette de commandes", id="app.palette", show=False,
                priority=True),
    ]

    def __init__(self, services: Services, *, cursor_blink: bool = True) -> None:
        textual_fixes.apply()
        super().__init__()
        self._typeahead_init()
        self._reception_init()
        self.services = services
        self.cursor_blink = cursor_blink
        self._came_from: dict[str, str] = {}  # mode → the mode the agent was in when it opened
        self._made_ahead: set[str] = set()  # modes made at quiet moments, not shown yet (ui/ahead.py)
        # The screens' warm-up (quiet_moment): None until it ends, then whether its CSS was handed over.
        self.screens_ready: bool | None = None
        self._warming_screens = False
        self.register_theme(HIGH_CONTRAST)
        self.keymap: dict[str, str] = {}  # [keymap] of config.toml, checked, in Textual's spelling
        if services.settings.keymap:  # checked before anything runs: a mistake is one line, exit code 2
            self.keymap = check_keymap(services.settings.keymap, app_class=type(self), classes=guichet_classes(),
                                       source=str(services.settings.paths.config_file))
            self.set_keymap(self.keymap)
            if "app.palette" in self.keymap:  # Textual looks the palette's key up here
                self.COMMAND_PALETTE_BINDING = self.keymap["app.palette"].split(",")[0]  # type: ignore[misc]
        # Set before the first stylesheet parse: setting it once mounted would parse all the CSS again.
        if services.settings.theme in self.available_themes:
            self.theme = services.settings.theme

    def on_mount(self) -> None:
        # The search's mode is named only now that its screen is up: named before, Textual would make
        # it through its modes' path, which parses the whole stylesheet again at start-up.
        self.add_mode(SEARCH, self.get_default_screen)
        self._styled_now(self.screen)  # styled as it mounted: coming back to it parses no CSS again
        self.call_after_refresh(self._after_first_paint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F2 on the agencies (F3 on the day sheet…) would open the screen already shown: hidden."""
        below = [screen for screen in self._screen_stack if not isinstance(screen, ModalScreen)]  # F1, palette
        return not below or OPENS.get(action) != type(below[-1]).__name__

    def get_default_screen(self) -> SearchScreen:
        """The search screen is the bottom of the stack: no empty screen to compose and lay out first."""
        return SearchScreen(self.services, cursor_blink=self.cursor_blink)

    def _after_first_paint(self) -> None:
        """What start-up did not have to wait for: the index, the database, a quieter GC; and, at the
        first quiet moment (:meth:`quiet_moment`), every screen's code and CSS."""
        self.warm_up()
        if self.services.home_agency is None:
            self.choose_agency()
        self.set_interval(DATABASE_CHECK_SECONDS, self.check_database)
        self._quiet_start()
        self._reception_start()

    @work(thread=True, group="warm-up")  # not in "ping": a database check must never cancel it
    def warm_up(self) -> None:
        reachable = self.services.warm_up()
        if not gc.isenabled():  # guichet.__main__ (or cli.main) paused the collector for start-up
            quiet.resume()  # start-up objects frozen; full passes moved to quiet moments
        self.call_from_thread(self._database_state, reachable)

    def quiet_moment(self) -> None:
        """The keyboard is quiet: the screens' warm-up, once, then a top-level screen made ahead (ui/ahead.py),
        the watchers of closed widgets dropped, then what the mixin does (a collection)."""
        if self.keys_waiting:  # keys typed ahead still wait for their screen: the keyboard is not quiet
            return
        if self.screens_ready is None and not self._warming_screens:
            self._warming_screens = True
            sheet = self.stylesheet
            self.warm_screens(dict(sheet.source), dict(sheet._variables))
        elif self.screens_ready is not None:
            self.build_ahead()  # after the warm-up: one top-level screen made ahead a quiet moment
        textual_fixes.drop_closed_watchers(self)
        super().quiet_moment()

    @work(thread=True, group="warm-up")
    def warm_screens(self, source: dict[tuple[str, str], CssSource], variables: dict[str, str]) -> None:
        """Every screen imported and every screen's CSS parsed (:mod:`guichet.ui.warm`), off the UI thread:
        no screen's first opening pays for them. Waits for the quiet keyboard: the imports and the parse
        hold the interpreter for half a second, which the first keys typed must not share."""
        try:
            warm.import_screens()
            parsed = warm.parsed_with_every_screen(source, variables)
        except Exception as exc:  # a bug, logged: a head start only, each screen still loads its own on opening
            logs.unexpected(log, exc, "preparing the screens ahead")
            self.call_from_thread(setattr, self, "screens_ready", False)
            return
        self.call_from_thread(self._screens_warmed, parsed, source, variables)

    def _screens_warmed(self, parsed: Stylesheet, source: dict[tuple[str, str], CssSource],
                        variables: dict[str, str]) -> None:
        self.screens_ready = warm.install(self, parsed, source, variables)

    @work(thread=True, exclusive=True, group="ping")
    def check_database(self) -> None:
        reachable = self.services.ping()
        self.call_from_thread(self._database_state, reachable)

    def _database_state(self, reachable: bool) -> None:
        label = "base partagée" if self.services.is_shared_database else "base locale"
        if not reachable:
            label += " INJOIGNABLE"
        for screen in self.all_screens():
            for header in screen.query(CounterHeader):
                header.set_class(not reachable, "-db-down")  # first: the status line reads it
                header.database = label

    def refresh_headers(self) -> None:
        """After the settings changed: the agency shown in every header; the screens made ahead with
        the old settings go (the day sheet of the old agency)."""
        self.drop_ahead()
        home = self.services.home_agency
        for screen in self.all_screens():
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

    async def action_quit(self) -> None:
        """Ctrl+Q: quit at once, or ask first when a form holds unsaved work (in any screen)."""
        self.ask_first("Quitter guichet ?", self._losses(), self._leave, title="Quitter")

    def _leave(self) -> None:
        """Quit: the person's passage ends now and is written before guichet goes (what the database
        cannot take now is lost, and the log says how much)."""
        self.passage_closed_now()
        self.exit()

    def action_new_person(self) -> None:
        """Ctrl+N, from anywhere: close everything about the previous person, back to an empty search."""
        self.ask_first("Passer à la personne suivante ?", self._losses(), self._clear_person, title="Nouvel usager")

    def _clear_person(self) -> None:
        self.passage_closed()  # the person has gone: their passage ends (ui/reception.py)
        if self.current_mode != SEARCH:
            self.switch_mode(SEARCH)
        # The screens made ahead and never shown hold nothing of the person: they stay (made again, all
        # at once, they would take the UI thread from the next person's first keys).
        for mode in [m for m in self._modes if m != SEARCH and m not in self._made_ahead]:
            self._close_mode(mode)
        self._came_from.clear()
        while len(self._screen_stack) > 1:  # the handoff form, the card's dialogs, the palette…
            super().pop_screen()
        self.search_screen.action_new_person()

    # -- first launch ----------------------------------------------------------------------------
    def choose_agency(self) -> None:
        """First launch (no agency for this counter): ask which agency, Échap for later."""
        from guichet.ui.screens.settings import AgencyChoiceScreen

        if not isinstance(self.screen, AgencyChoiceScreen):
            self.push_screen(AgencyChoiceScreen(self.services), lambda _chosen: self.refresh_headers())

    # -- the top-level screens --------------------------------------------------------------------
    def action_settings(self) -> None:
        self.open_mode("settings", partial(self.make_screen, "settings"))

    @property
    def search_screen(self) -> SearchScreen:
        for screen in self._screen_stacks[SEARCH]:
            if isinstance(screen, SearchScreen):
                return screen
        raise LookupError("no search screen")  # cannot happen once mounted

    def action_agencies(self) -> None:
        self.passage_touched()  # the hours asked by the person at the counter
        self.open_mode("agencies", partial(self.make_screen, "agencies"))

    def action_search(self) -> None:
        """Back to the search screen, keeping what was typed (a form with unsaved work stays open)."""
        if self.current_mode != SEARCH:
            left = self.current_mode
            self.switch_mode(SEARCH)
            if left not in KEPT_MODES and not self._mode_losses(left):
                self._close_mode(left)
        while len(self._screen_stack) > 1 and not unsaved_work(self._screen_stack[-1]):
            super().pop_screen()
        if self.screen is self.search_screen:
            self.search_screen.action_focus_search()

    def show_service(self, service_id: str) -> None:
        """Show the card of ``service_id`` on the search screen (command palette)."""
        self.action_search()
        self.search_screen.select_service(service_id)

    def action_find(self) -> None:
        """Ctrl+F: find a person's appointments (kept while the agent looks elsewhere)."""
        self.passage_touched()
        self.open_mode("finder", partial(self.make_screen, "finder"))

    def action_stats(self) -> None:
        """F12: the agency's statistics (people received, appointments, handoffs) over a period."""
        from guichet.ui.screens.stats import StatsScreen  # type: ignore[import-not-found,unused-ignore]

        self.open_mode("stats", lambda: StatsScreen(self.services))

    def action_book(self, choice: BookingChoice | None = None) -> None:
        """Open the booking screen (from the card: kind, channel and motif pre-filled). F4 brings
        back the form being typed; a new motif from the card replaces it, after asking when
        something was typed."""
        from guichet.ui.screens.booking import BookingScreen

        def make() -> Screen[Any]:
            return BookingScreen(self.services, choice, cursor_blink=self.cursor_blink)

        self.passage_touched()
        form = self._screen_in("booking", BookingScreen)
        if form is None:  # none, or its confirmation: a new form
            self._replace_mode("booking", make)
        elif "booking" in self._made_ahead and self._laid_out("booking"):  # made ahead, never shown
            if choice is not None:
                form.take_choice(choice)  # type: ignore[attr-defined]
            self.open_mode("booking", make)
        elif choice is None:
            self.open_mode("booking", make)
        else:
            self.ask_first("Remplacer le rendez-vous en cours par ce nouveau motif ?", self._mode_losses("booking"),
                           lambda: self._replace_mode("booking", make), title="Nouveau rendez-vous")

    def action_day_sheet(self) -> None:
        """The day's appointments of this counter's agency (None when no agency is chosen: the
        day sheet asks which, never shows another agency's day silently)."""
        self.open_mode("day_sheet", partial(self.make_screen, "day_sheet"))

    def action_handoffs(self) -> None:
        """The list of handoffs, to follow them up."""
        self.open_mode("handoffs", partial(self.make_screen, "handoffs"))

    def action_handoff(self, service: Service | None = None, answers: Answers | None = None) -> None:
        """The handoff form, pre-filled from the card's service and answers (over the search)."""
        from guichet.ui.screens.handoff import HandoffScreen

        if self.current_mode != SEARCH:
            self.action_search()
        self.passage_touched()
        if not self.form_open():
            form = self.form_made_ahead()  # ui/ahead.py: made at a quiet moment, given the card now
            if isinstance(form, HandoffScreen):
                form.take_card(service, answers)
            else:
                form = HandoffScreen(self.services, service, answers, cursor_blink=self.cursor_blink)
            self.push_screen(form, mode=SEARCH)

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
