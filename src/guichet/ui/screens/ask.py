"""A yes/no question before something that cannot be taken back (quit with a form typed,
cancel an appointment…). The safe answer is the default: Entrée on the focused « Non » and
Échap both answer no; « o » answers yes. Whatever is typed meanwhile stays in this dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class AskScreen(ModalScreen[bool]):
    """Asks ``question``; dismisses with True (yes) or False (no)."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    #ask-dialog { width: 64; max-width: 100%; height: auto; }
    #ask-question { padding: 0 1 1 1; }
    #ask-buttons { height: auto; align-horizontal: center; }
    #ask-buttons Button { margin: 0 2; min-width: 16; }
    """

    BINDINGS = [
        Binding("o", "answer(True)", "Oui", id="ask.yes"),
        Binding("n", "answer(False)", "Non", id="ask.no"),
        Binding("escape", "answer(False)", "Non", id="ask.cancel", show=False),
        Binding("left,right", "app.focus_next", "Changer de bouton", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Oui", no: str = "Non", title: str = "Confirmer") -> None:
        super().__init__()
        self.question = question  # may quote a name or data: shown literally
        self.yes_label = yes
        self.no_label = no
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-dialog", classes="dialog"):
            yield Static(Content(self.title_text), classes="screen-title")
            yield Static(Content(self.question), id="ask-question")
            with Horizontal(id="ask-buttons"):
                yield Button(Content(f"{self.yes_label} (o)"), id="ask-yes", variant="warning")
                yield Button(Content(f"{self.no_label} (n, Échap)"), id="ask-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ask-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ask-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
