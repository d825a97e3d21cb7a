"""F1: the keys of the current screen, in French (listed by ``guichet.ui.keys.screen_keys``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def keys_text(bindings: list[tuple[str, str]]) -> Content:
    """One line per action: ``  Ctrl+S   Réserver``, the keys in bold; never read as markup
    (keys come from config.toml)."""
    width = max((len(keys) for keys, _ in bindings), default=0)
    return Content("\n").join(
        Content.assemble("  ", (f"{keys:<{width}}", "bold"), f"   {description}") for keys, description in bindings
    )


class HelpScreen(ModalScreen[None]):
    """Lists the keys active on the screen below, given when it opens as (keys, description) pairs."""

    # Opaque: Textual draws a see-through modal by blending every cell of the screen below into it,
    # which doubled the cost of F1 (issue 16); the help is read, then left with Échap.
    CSS = """
    HelpScreen { align: center middle; background: $background; }
    #help-dialog { max-height: 22; }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Fermer", id="help.close"),
        Binding("f1", "dismiss", "Fermer", id="help.close_f1", show=False),
    ]

    def __init__(self, title: str, bindings: list[tuple[str, str]],
                 note: str = "Ctrl+P : palette de commandes · Échap : fermer cette aide") -> None:
        super().__init__()
        self.title_text = title
        self.bindings = bindings
        self.note = note  # the keys of the palette and of this screen's closing, as [keymap] set them

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content(f"Touches — {self.title_text}"), classes="screen-title")
            yield Static(keys_text(self.bindings))
            yield Static(Content(f"\n  {self.note}"), classes="muted")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
