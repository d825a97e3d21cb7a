"""A small modal: which social emergency, if any."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from guichet.domain.orientation import Emergency


class EmergencyScreen(ModalScreen[Emergency | None]):
    """Choose the social emergency (or none); dismisses with the choice."""

    CSS_PATH = "emergency.tcss"

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="emergency.cancel")]

    def __init__(self, current: Emergency | None) -> None:
        super().__init__()
        self.current = current
        self.cancelled = False  # Échap: the caller keeps its answer as it was (even "not asked yet")

    def compose(self) -> ComposeResult:
        with Vertical(id="emergency-dialog", classes="dialog"):
            yield Static("Urgence sociale ?", classes="screen-title")
            options = [Option("Non, pas d'urgence sociale", id="none")]
            options += [Option(e.label.capitalize(), id=e.value) for e in Emergency]
            yield OptionList(*options, id="emergency-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = ["none", *(e.value for e in Emergency)]
        options.highlighted = ids.index(self.current.value) if self.current else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.dismiss(None if chosen in (None, "none") else Emergency(chosen))

    def action_cancel(self) -> None:
        self.cancelled = True
        self.dismiss(self.current)
