"""The booking confirmation: the text to read out, then back to the counter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from guichet.domain.models import Appointment
from guichet.services import Services
from guichet.ui.widgets.counter_header import header_for


class ConfirmationScreen(Screen[Appointment]):
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
        yield Footer()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Confirmation copiée dans le presse-papiers.")

    def action_done(self) -> None:
        self.dismiss(self.appointment)
