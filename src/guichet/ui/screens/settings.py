"""Réglages du poste: this counter's agency, the agent's name, the theme."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from guichet.services import Services
from guichet.settings import SettingsError, save_workstation
from guichet.ui.widgets.counter_header import header_for

THEMES = [("Sombre", "textual-dark"), ("Clair", "textual-light"), ("Contraste élevé", "contraste-eleve")]


class SettingsScreen(Screen[bool]):
    """Edit the workstation settings; Ctrl+S saves them to the config file."""

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
                yield Select(agencies, id="agency", prompt="à choisir", compact=True,
                             value=settings.agency if settings.agency in known else Select.NULL)
            with Horizontal(classes="field-row"):
                yield Label("Nom de l'agent", classes="field-label")
                yield Input(settings.agent_name or "", id="agent-name", placeholder="Prénom Nom (signature)",
                            max_length=60, compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Thème", classes="field-label")
                yield Select(THEMES, id="theme", allow_blank=False, compact=True,
                             value=self.app.theme if self.app.theme in dict(THEMES).values() else "textual-dark")
            yield Static("\nCes réglages sont propres à ce poste ; « guichet info » indique le fichier.",
                         id="settings-file", classes="muted")
            yield Static("", id="settings-message")
        yield Footer()

    def on_mount(self) -> None:
        self._theme = self.app.theme
        self.query_one("#agency", Select).focus()

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
        self.notify("Réglages enregistrés.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Leave without saving; a changed name needs a second Escape, so nothing is lost by mistake."""
        typed = self.query_one("#agent-name", Input).value.strip()
        if typed != (self.services.settings.agent_name or "") and not self._leave_armed:
            self._leave_armed = True
            self.query_one("#settings-message", Static).update(
                "[b $warning]Modifications non enregistrées : Échap encore pour les abandonner, Ctrl+S pour "
                "enregistrer.[/]")
            return
        if self.app.theme != self._theme:
            self.app.theme = self._theme  # the preview is undone
        self.dismiss(False)
