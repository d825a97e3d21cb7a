"""The Textual application: receives its services, owns the screen stack."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from guichet.services import Services
from guichet.ui.screens.agencies import AgenciesScreen


class GuichetApp(App[None]):
    """guichet's terminal interface."""

    CSS_PATH = "app.tcss"
    TITLE = "guichet"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True),
        Binding("f2", "agencies", "Agences", id="app.agencies"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_mount(self) -> None:
        self.push_screen(AgenciesScreen(self.services))

    def action_agencies(self) -> None:
        if not isinstance(self.screen, AgenciesScreen):
            self.push_screen(AgenciesScreen(self.services))

    async def action_back(self) -> None:
        """Go back one screen (never past the first one)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()


def run_app(services: Services) -> int:
    """Run the TUI until the agent quits."""
    GuichetApp(services).run()
    return 0
