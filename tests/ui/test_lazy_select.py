"""LazySelect: Textual's Select in two widgets until opened, used like it (issue 16: the handoff form's
opening); and StyledWhenMounted: no restyling of a widget that is not mounted yet."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from guichet.ui.screens.fresh import StyledWhenMounted
from guichet.ui.widgets.lazy_select import LazySelect, SelectLine

OPTIONS = [("Accord de la personne : oui", "yes"), ("La personne refuse", "no"), ("[b]Crochets[/b]", "markup")]


class Form(App[None]):
    def __init__(self, **select: Any) -> None:
        super().__init__()
        self.select_args = select
        self.changes: list[object] = []

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        yield LazySelect(OPTIONS, id="choice", compact=True, **self.select_args)
        yield Input(id="after")

    def on_select_changed(self, event: Select.Changed) -> None:
        self.changes.append(event.value)

    @property
    def choice(self) -> LazySelect[str]:
        return self.query_one("#choice", LazySelect)

    def line(self) -> str:
        return str(self.query_one(SelectLine).render().plain)


async def test_two_widgets_until_opened_then_textual_s_list() -> None:
    app = Form(prompt="Consentement : à demander")
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert [type(w).__name__ for w in app.choice.walk_children()] == ["SelectLine"]
        assert not app.query(SelectOverlay)
        assert app.line().startswith("Consentement : à demander")
        assert app.line().endswith(" ▼")
        app.choice.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = app.query_one(SelectOverlay)
        assert app.choice.expanded and overlay.has_focus and overlay.display
        assert app.line().endswith(" ▲")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.choice.value == "yes"
        assert not app.choice.expanded and app.choice.has_focus
        assert app.line().startswith("Accord de la personne : oui")
        assert app.changes == ["yes"]
        assert len(app.query(SelectOverlay)) == 1  # mounted once, kept


async def test_keys_typed_in_one_burst_choose_as_textual_s_select_does() -> None:
    for cls in (Select, LazySelect):
        class Burst(Form):
            kind: type[Select[str]] = cls

            def compose(self) -> ComposeResult:
                yield self.kind(OPTIONS, id="choice", compact=True, prompt="à demander")

        app = Burst()
        async with app.run_test(size=(60, 12)) as pilot:
            app.query_one("#choice", Select).focus()
            await pilot.press("enter", "down", "down", "enter", "tab")
            await pilot.pause()
            assert app.query_one("#choice", Select).value == "no", cls.__name__


async def test_escape_closes_the_list_and_keeps_the_value() -> None:
    app = Form(value="no")
    async with app.run_test(size=(60, 12)) as pilot:
        app.choice.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(SelectOverlay).highlighted == 2  # the current value (after the blank line)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert app.choice.value == "no" and not app.choice.expanded and app.choice.has_focus
        assert app.changes == ["no"]  # the initial value only


async def test_the_mouse_opens_it_too() -> None:
    app = Form(prompt="à demander")
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.click(SelectLine)
        await pilot.pause()
        assert app.choice.expanded
        assert app.query_one(SelectOverlay).display


async def test_values_set_by_code_before_and_after_opening() -> None:
    app = Form(prompt="non demandé", value="markup")
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert app.line().startswith("[b]Crochets[/b]")  # a label from data is shown literally
        app.choice.value = "yes"
        await pilot.pause()
        assert app.line().startswith("Accord de la personne : oui")
        app.choice.clear()
        await pilot.pause()
        assert app.line().startswith("non demandé")
        app.choice.prompt = "à demander"
        await pilot.pause()
        assert app.line().startswith("à demander")
        app.choice.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.query_one(SelectOverlay).get_option_at_index(0).prompt) == "à demander"
        app.choice.value = "no"
        assert app.query_one(SelectOverlay).highlighted == 2  # the blank line first, then the options
        await pilot.pause()
        assert app.changes == ["markup", "yes", Select.NULL, "no"]


async def test_a_long_label_is_cut_with_an_ellipsis_before_the_arrow() -> None:
    app = Form(value="yes")
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        line = app.line()
        assert line.endswith("… ▼") and len(line) == app.query_one(SelectLine).content_size.width


class Counting(StyledWhenMounted, App[None]):
    pass


async def test_no_restyle_before_mount_then_styled_at_mount(monkeypatch: Any) -> None:
    updated: list[str] = []
    original = Stylesheet.update_nodes

    def update_nodes(self: Stylesheet, nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        updated.extend(n.id or type(n).__name__ for n in nodes)
        original(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", update_nodes)
    app = Counting()
    async with app.run_test(size=(40, 6)) as pilot:
        field = Input(id="late", compact=True)  # compact=True adds a class: Textual would restyle it now
        field.add_class("extra")
        assert "late" not in updated
        await app.mount(field)
        await pilot.pause()
        assert field.styles.border_top[0] == ""  # compact: styled at mount, with its classes
        assert field.styles.height is not None and field.styles.height.value == 1
        field.add_class("-invalid")
        assert "late" in updated  # once mounted, a class change restyles as in Textual
