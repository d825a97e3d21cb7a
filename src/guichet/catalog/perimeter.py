"""Reading and validating ``social_work.toml``, the CAF social service's perimeter, into a frozen Perimeter.

Found like the other data files (the override directory first, then the shipped copy: see
``loader.resolve``); any mistake raises one :class:`DataError` naming the file, the line and the key.
"""

from __future__ import annotations

from guichet.catalog.loader import Bounds, DataFile
from guichet.domain.perimeter import (
    LifeEvent,
    NotCovered,
    Perimeter,
    PerimeterEvent,
    Scope,
    Window,
    WindowKind,
)
from guichet.tomlcheck import KeyLines, Table, load_toml

__all__ = ["WINDOW_YEARS", "load_perimeter"]

WINDOW_YEARS = Bounds(1, 10)  # window_years, inclusive
_QUOTE = 400  # a quotation of the sources, at most


def load_perimeter(file: DataFile) -> Perimeter:
    """Read and validate ``social_work.toml``."""
    root = Table(load_toml(file.text, file.name), (), KeyLines(file.text), file.name)
    head = root.table("perimeter")
    assert head is not None  # required
    departement: str = head.text("departement", max_len=80)
    source: str = head.text("source", max_len=120)
    quote: str = head.text("quote", required=False, max_len=_QUOTE) or ""
    family_label: str = head.text("family_label", max_len=120)
    head.finish()
    events: list[PerimeterEvent] = []
    seen: set[LifeEvent] = set()
    for table in root.tables("event", required=True):
        event = _event(table, seen)
        events.append(PerimeterEvent(
            event=event,
            label=table.text("label", max_len=120),
            scope=_required(table.choice("scope", Scope)),
            window=_window(table),
            single_parent=table.boolean("single_parent"),
            family=table.boolean("family"),
            source=table.text("source", max_len=120),
            quote=table.text("quote", max_len=_QUOTE),
            window_source=table.text("window_source", required=False, max_len=120),
            window_quote=table.text("window_quote", required=False, max_len=_QUOTE),
            family_source=table.text("family_source", required=False, max_len=120),
            family_quote=table.text("family_quote", required=False, max_len=_QUOTE),
        ))
        if events[-1].family and not events[-1].family_quote:
            table.fail(None, "missing key 'family_quote' (required when family = true)")
        table.finish()
    not_covered: list[NotCovered] = []
    for table in root.tables("not_covered"):
        event = _event(table, seen)
        not_covered.append(NotCovered(event, table.text("note", max_len=300), table.text("source", max_len=120),
                                      table.text("quote", max_len=_QUOTE)))
        table.finish()
    root.finish()
    return Perimeter(departement=departement, source=source, family_label=family_label, events=tuple(events),
                     not_covered=tuple(not_covered), quote=quote)


def _required(value: Scope | None) -> Scope:
    assert value is not None  # choice(required=True)
    return value


def _event(table: Table, seen: set[LifeEvent]) -> LifeEvent:
    event = table.choice("event", LifeEvent)
    assert event is not None  # required
    if event is LifeEvent.AUTRE:
        table.fail("event", "'autre' is not a life event of the perimeter")
    if event in seen:
        table.fail("event", f"{event.value!r} is listed twice")
    seen.add(event)
    return event


def _window(table: Table) -> Window:
    kind = table.choice("window", WindowKind)
    assert kind is not None  # required
    years = table.integer("window_years", required=kind is not WindowKind.NONE, low=WINDOW_YEARS.low,
                          high=WINDOW_YEARS.high)
    if kind is WindowKind.NONE:
        if years is not None:
            table.fail("window_years", 'only with window = "after_event" or "until_child_age"')
        if table.data.get("window_source") or table.data.get("window_quote"):
            table.fail("window_quote", 'no window, no window quote (window = "none")')
        return Window(kind)
    if not table.data.get("window_quote"):
        table.fail(None, "missing key 'window_quote' (the source's words for the window)")
    return Window(kind, years)
