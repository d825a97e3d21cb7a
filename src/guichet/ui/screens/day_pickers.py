"""What the day sheet (screens/daysheet.py) asks the agent to choose: the date prompt (`d`,
:class:`DayPromptScreen`). The agencies come in ``Services.agencies_counter_first()``'s order."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from guichet.errors import InvalidInput


class DayPromptScreen(ModalScreen[date | None]):
    """A small field for a date: « 24/11 », « 24/11/2026 », « demain », « lundi ». Entrée shows the
    day, or says in French why the text is not a date and stays open; Échap leaves."""

    DEFAULT_CSS = """
    DayPromptScreen { align: center middle; }
    #day-prompt { width: 60; max-width: 100%; height: auto; }
    #day-prompt-help { padding: 0 1; color: $text-muted; }
    #day-prompt-error { padding: 0 1; color: $error; text-style: bold; height: auto; }
    """

    BINDINGS = [Binding("escape", "leave", "Retour", id="day_prompt.cancel")]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="day-prompt", classes="dialog"):
            yield Static("Afficher quel jour ?", classes="screen-title")
            yield Input(placeholder="jj/mm", id="day-prompt-input")
            yield Static("Par exemple : 24/11, 24/11/2026, demain, hier, lundi.\n"
                         "Entrée : afficher · Échap : annuler", id="day-prompt-help")
            yield Static("", id="day-prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from guichet.domain.days import parse_day

        event.stop()
        try:
            chosen = parse_day(event.value, self.today)
        except InvalidInput as exc:  # quotes what was typed: shown literally
            self.query_one("#day-prompt-error", Static).update(Content(str(exc)))
            return
        self.dismiss(chosen)

    def action_leave(self) -> None:
        self.dismiss(None)
