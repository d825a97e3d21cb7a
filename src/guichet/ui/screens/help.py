"""F1: the keys of the current screen, in French."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "escape": "Échap", "enter": "Entrée", "up": "↑", "down": "↓", "left": "←", "right": "→", "slash": "/",
    "tab": "Tab", "space": "Espace", "delete": "Suppr", "backspace": "Retour arrière",
}


def key_label(key: str) -> str:
    """``ctrl+s`` → ``Ctrl+S``, ``escape`` → ``Échap``."""
    parts = key.split("+")
    named = [KEY_NAMES.get(p, p.upper() if len(p) <= 3 else p.capitalize()) for p in parts]
    return "+".join(p.capitalize() if p in ("ctrl", "shift", "alt") else p for p in named).replace("Ctrl", "Ctrl")


def keys_text(bindings: list[tuple[str, str]]) -> str:
    """One line per key: ``Ctrl+S   Réserver``."""
    width = max((len(key_label(k)) for k, _ in bindings), default=0)
    return "\n".join(f"  [b]{key_label(k):<{width}}[/b]   {description}" for k, description in bindings)


class HelpScreen(ModalScreen[None]):
    """Lists the keys active on the screen below (given when it opens)."""

    CSS = """
    HelpScreen { align: center middle; }
    #help-dialog { max-height: 22; }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Fermer", id="help.close"),
        Binding("f1", "dismiss", "Fermer", id="help.close_f1", show=False),
    ]

    def __init__(self, title: str, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(f"Touches — {self.title_text}", classes="screen-title")
            yield Static(keys_text(self.bindings))
            yield Static("\n  Ctrl+P : palette de commandes · Échap : fermer cette aide", classes="muted")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
