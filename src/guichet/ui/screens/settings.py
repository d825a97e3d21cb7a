"""Réglages du poste: this counter's agency, the agent's name, the theme; and, at first launch,
the choice of the counter's agency (AgencyChoiceScreen)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from guichet.services import Services
from guichet.settings import SettingsError, save_workstation
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.lazy_select import LazySelect

THEMES = [("Sombre", "textual-dark"), ("Clair", "textual-light"), ("Contraste élevé", "contraste-eleve")]
UNSAVED = "des réglages non enregistrés"


def _refresh_headers(screen: Screen[Any]) -> None:
    """Every header shows the new agency (the app's refresh_headers: no import of the app here)."""
    refresh = getattr(screen.app, "refresh_headers", None)
    if callable(refresh):
        refresh()


class SettingsScreen(FreshStart, Screen[bool]):
    """Edit the workstation settings; Ctrl+S (or Entrée in the name field) saves them to the
    config file. Escape with changes asks for a second Escape (as the booking form does)."""

    CSS_PATH = "settings.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Retour", id="settings.back"),
        Binding("ctrl+s", "save", "Enregistrer", id="settings.save"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._leave_armed = False
        self._theme = ""

    def compose(self) -> ComposeResult:
        settings = self.services.settings
        # Names from a data file: Rich Text is shown literally (a str would be read as markup) and
        # still found by the Select's type-to-search.
        agencies = [(Text(a.name), a.id) for a in self.services.agencies]
        known = {a.id for a in self.services.agencies}
        yield header_for(self.services)
        with Vertical(id="settings-body"):
            yield Static("Réglages du poste", classes="screen-title")
            with Horizontal(classes="field-row"):
                yield Label("Agence du guichet", classes="field-label")
                yield LazySelect(agencies, id="agency", prompt="à choisir", compact=True,
                             value=settings.agency if settings.agency in known else Select.NULL)
            with Horizontal(classes="field-row"):
                yield Label("Nom de l'agent", classes="field-label")
                yield Input(settings.agent_name or "", id="agent-name", placeholder="Prénom Nom (signature)",
                            max_length=60, compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Thème", classes="field-label")
                yield LazySelect(THEMES, id="theme", allow_blank=False, compact=True,
                             value=self.app.theme if self.app.theme in dict(THEMES).values() else "textual-dark")
            yield Static("\nCes réglages sont propres à ce poste ; « guichet info » indique le fichier.",
                         id="settings-file", classes="muted")
            yield Static("", id="settings-message")
        yield KeyStrip()

    def on_mount(self) -> None:
        self._theme = self.app.theme
        self.query_one("#agency", Select).focus()

    def _changes(self) -> list[str]:
        """What differs from the saved settings: « agence », « nom », « thème »."""
        settings = self.services.settings
        agency = self.query_one("#agency", Select).value
        saved_agency = settings.agency if settings.agency in {a.id for a in self.services.agencies} else None
        changes = []
        if (agency if isinstance(agency, str) else None) != saved_agency:
            changes.append("agence")
        if self.query_one("#agent-name", Input).value.strip() != (settings.agent_name or ""):
            changes.append("nom")
        if self.app.theme != self._theme:
            changes.append("thème")
        return changes

    def unsaved_work(self) -> str | None:
        """The shared contract: what Ctrl+Q or Ctrl+N would lose."""
        return UNSAVED if self.is_mounted and self._changes() else None

    @on(Input.Submitted, "#agent-name")
    def _enter_saves(self) -> None:
        """Entrée in the name field (a one-line form) saves, as Ctrl+S does."""
        self.action_save()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "theme" and isinstance(event.value, str):
            self.app.theme = event.value  # preview at once

    def action_save(self) -> None:
        agency = self.query_one("#agency", Select).value
        theme = self.query_one("#theme", Select).value
        try:
            settings = save_workstation(
                self.services.settings,
                agency=agency if isinstance(agency, str) else None,
                agent_name=self.query_one("#agent-name", Input).value,
                theme=theme if isinstance(theme, str) else None,
            )
        except SettingsError as exc:
            self.query_one("#settings-message", Static).update(  # the message may quote a path: literally
                Content.from_markup("[b $error]Enregistrement impossible : $text[/]", text=str(exc)))
            return
        self.services.settings = settings
        self._theme = self.app.theme
        _refresh_headers(self)
        self.notify("Réglages enregistrés.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Leave without saving; any change (agency, name, theme) needs a second Escape, so nothing
        is lost by mistake."""
        changes = self._changes()
        if changes and not self._leave_armed:
            self._leave_armed = True
            self.query_one("#settings-message", Static).update(Content.from_markup(
                "[b $warning]Modifications non enregistrées ($what) : Ctrl+S pour enregistrer, Échap encore "
                "pour les abandonner.[/]", what=", ".join(changes)))
            return
        if self.app.theme != self._theme:
            self.app.theme = self._theme  # the preview is undone
        self.dismiss(False)


class AgencyChoiceScreen(ModalScreen[str | None]):
    """First launch: which agency is this counter's? Entrée chooses (saved as F10 saves it),
    Échap leaves the choice for later (the header says « agence non choisie »)."""

    CSS = """
    AgencyChoiceScreen { align: center middle; }
    #agency-choice { width: 66; max-width: 100%; height: auto; max-height: 20; }
    #agency-choice OptionList { height: auto; max-height: 10; border: none; }
    #agency-choice-message { height: auto; }
    """

    BINDINGS = [Binding("escape", "later", "Plus tard", id="first.later")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        with Vertical(id="agency-choice", classes="dialog"):
            yield Static("Bienvenue : quelle est l'agence de ce guichet ?", classes="screen-title")
            yield Static("Elle sert au planning du jour (F3) et aux rendez-vous (F4).", classes="muted")
            yield OptionList(*(Option(Content(a.name), id=a.id) for a in self.services.agencies), id="agencies")
            yield Static("", id="agency-choice-message")
            yield Static("↑↓ puis Entrée : choisir · Échap : plus tard (F10 Réglages)", classes="muted")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        settings = self.services.settings
        try:
            self.services.settings = save_workstation(
                settings, agency=event.option.id, agent_name=settings.agent_name, theme=settings.theme)
        except SettingsError as exc:
            self.query_one("#agency-choice-message", Static).update(
                Content.from_markup("[b $error]Enregistrement impossible : $text[/]", text=str(exc)))
            return
        self.dismiss(event.option.id)

    def action_later(self) -> None:
        self.dismiss(None)
