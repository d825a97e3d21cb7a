"""The booking confirmation: the text to read out, then back to the counter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from guichet.domain.models import Appointment
from guichet.services import Services
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip


class ConfirmationScreen(FreshStart, Screen[Appointment]):
    """Shows the confirmation of ``appointment``; copy it, or go on with the next person."""

    CSS_PATH = "confirmation.tcss"

    BINDINGS = [
        Binding("enter", "done", "Terminer", id="confirmation.done"),
        Binding("escape", "done", "Retour", id="confirmation.back", show=False),
        Binding("c", "copy", "Copier", id="confirmation.copy"),
        Binding("n", "app.new_person", "Nouvel usager", id="confirmation.new"),
    ]

    def __init__(self, services: Services, appointment: Appointment) -> None:
        super().__init__()
        self.services = services
        self.appointment = appointment
        self.text = services.appointments.confirmation(appointment)

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="confirmation-body"):
            yield Static("Rendez-vous confirmé", classes="screen-title")
            yield Static(self.text, id="confirmation-text", markup=False)
            yield Static("Entrée : terminer · c : copier le texte · n : nouvel usager", id="confirmation-help")
        yield KeyStrip()

    def action_copy(self) -> None:
        """The system clipboard if there is one, always a file; the message says which (ui/clipboard.py)."""
        from guichet.ui.clipboard import copy_text

        copy_text(self.app, self.text, self.services.settings.paths.exports_dir, before="Confirmation :")

    def action_done(self) -> None:
        self.dismiss(self.appointment)
