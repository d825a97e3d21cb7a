"""The yes/no dialog: the safe answer is the default, and nothing typed leaks below it."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from guichet.ui.screens.ask import AskScreen


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Input(id="below")

    def on_mount(self) -> None:
        self.push_screen(AskScreen("Annuler le rendez-vous de « [b]Awa[/b] » ?"), self.answers.append)


@pytest.mark.parametrize(("keys", "answer"), [
    (["enter"], False), (["enter", "enter"], False), (["escape"], False), (["n"], False),
    (["o"], True), (["tab", "enter"], True), (["left", "enter"], True),
])
async def test_answers(keys: list[str], answer: bool) -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        assert app.answers == [answer]
        assert app.query_one("#below", Input).value == ""  # the second Entrée reached nothing below


async def test_question_is_shown_literally() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#ask-question").render())
        assert "« [b]Awa[/b] »" in text


async def test_letters_typed_in_the_dialog_do_not_reach_the_screen_below() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x", "y", "z")
        assert isinstance(app.screen, AskScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.query_one("#below", Input).value == ""
