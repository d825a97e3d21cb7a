"""Ahead of the agent: every screen's code imported and every stylesheet parsed, once, off the UI thread.

A screen opened for the first time paid for three things a later opening does not (issue 16): its
module's import (the app imports screens when they are first asked for, to start faster), its CSS
file read and the whole stylesheet parsed again with it (Textual's ``_load_screen_css``: 60–90 ms),
and the default CSS of widget classes met for the first time (``Select``, ``Checkbox``…), parsed as
they are mounted. A worker, at the keyboard's first quiet moment (ui/quiet.py), does all of it: it imports the screens
and widgets (:func:`import_screens`), then parses a copy of the app's stylesheet with every screen's
and widget's CSS added (:func:`parsed_with_every_screen`); the UI thread then takes the parsed rules
in one assignment (:func:`install`), unless its stylesheet changed meanwhile (a screen opened, a theme
chosen), in which case Textual's own path stays in charge.

Textual's stylesheet has no public API for this: the private fields used are those of the pinned
version (pyproject.toml), and ``tests/ui/test_screen_opening.py`` fails if they stop meaning what they meant.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual._path import _css_path_type_as_list
from textual.css.stylesheet import CssSource, Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App

CSSLocation = tuple[str, str]
PACKAGES = ("guichet.ui.screens", "guichet.ui.widgets")


def import_screens() -> list[types.ModuleType]:
    """Import every module of guichet's screens and widgets (in any thread: imports hold their own lock)."""
    modules = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            modules.append(importlib.import_module(info.name))
    return modules


def _widget_classes() -> Iterator[type[Widget]]:
    """Every widget class imported by now (guichet's and Textual's), each once."""
    seen: set[type[Widget]] = set()
    todo = [Widget]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(("textual.", "guichet.")):
            yield cls


def _class_file(cls: type) -> str:
    try:
        return inspect.getfile(cls)
    except (TypeError, OSError):
        return ""


def css_sources() -> Iterator[tuple[CSSLocation, CssSource]]:
    """The CSS Textual would add as each widget and screen class is first mounted, keyed as it keys it."""
    for cls in _widget_classes():
        # DOMNode._get_default_css reads only ``_node_bases``: what an instance of ``cls`` would have.
        bases = types.SimpleNamespace(_node_bases=cls._css_bases(cls))
        for read_from, css, tie_breaker, scope in DOMNode._get_default_css(bases):  # type: ignore[arg-type]
            yield read_from, CssSource(css, True, tie_breaker, scope)
        if not issubclass(cls, Screen):
            continue
        base = getattr(cls, "_BASE_PATH", None) or _class_file(cls)
        for css_path in _css_path_type_as_list(cls.CSS_PATH) if cls.CSS_PATH is not None else []:
            path = Path(css_path) if Path(css_path).is_absolute() else (Path(base).parent / css_path).resolve()
            yield (str(path), ""), CssSource(path.read_text(encoding="utf-8"), False, 0, "")
        if cls.__dict__.get("CSS"):
            scope = cls._css_type_name if cls.SCOPED_CSS else ""
            yield (_class_file(cls), f"{cls.__name__}.CSS"), CssSource(cls.CSS, False, 0, scope)


def parsed_with_every_screen(source: dict[CSSLocation, CssSource], variables: dict[str, str]) -> Stylesheet:
    """A stylesheet with ``source`` (the app's, copied on the UI thread) and every screen's and widget's
    CSS, parsed (for a worker thread: it touches nothing of the app's)."""
    sheet = Stylesheet(variables=dict(variables))
    sheet.source = dict(source)
    for read_from, css in css_sources():
        known = sheet.source.get(read_from)
        if known is None:
            sheet.source[read_from] = css
        elif known.content == css.content and css.tie_breaker < known.tie_breaker:
            sheet.source[read_from] = css._replace(tie_breaker=css.tie_breaker)  # as add_source keeps the lower
    sheet.parse()
    return sheet


def install(app: App[Any], parsed: Stylesheet, source: dict[CSSLocation, CssSource],
            variables: dict[str, str]) -> bool:
    """Give ``app`` the parsed rules when its stylesheet is still what was copied (``source``,
    ``variables``); False, changing nothing, when it moved on meanwhile."""
    sheet = app.stylesheet
    if sheet.source != source or sheet._variables != variables or sheet._require_parse:
        return False
    sheet.source = dict(parsed.source)
    sheet._rules = parsed._rules
    sheet._rules_map = None
    sheet._require_parse = False
    for key in list(parsed._parse_cache.keys()):  # a later in-place parse reuses each source's rules
        rules = parsed._parse_cache.get(key)
        if rules is not None:
            sheet._parse_cache.set(key, rules)
    # Textual restyles the whole app when a screen's CSS arrives (some 60 ms on the UI thread, here
    # at a quiet moment but perhaps as a key comes): not done, because no rule of a screen's or a
    # widget's CSS applies to a widget of another screen (ids, screen types and classes of their own).
    # tests/ui/test_screen_opening.py checks it: restyling after the hand-over changes no style.
    return True
