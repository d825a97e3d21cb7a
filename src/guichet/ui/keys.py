"""One source for keys: what F1 and the command palette list, and the ``[keymap]`` of config.toml.

F1 and the palette both call :func:`screen_keys`: the current screen's active bindings that are
guichet's (every one has an ``id`` and a French description), enabled, one entry per action.
Textual's own bindings have no id: they are hidden, except the few an agent needs, in French.

:func:`check_keymap` validates a ``[keymap]`` table (binding id → keys) against the bindings of
the app and of every screen and widget class, before the app runs: an unknown id, a key Textual
does not know or two bindings on one key end guichet with one French line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations, product
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.binding import ActiveBinding, Binding
from textual.keys import Keys, _character_to_key, format_key

from guichet.settings import SettingsError, one_line

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

# Textual's own bindings an agent may use, in French; every other binding without an id is hidden.
TEXTUAL_FRENCH = {
    "app.focus_next": "Champ suivant",
    "app.focus_previous": "Champ précédent",
    "command_palette": "Palette de commandes",
}
PALETTE_ACTIONS = frozenset({"command_palette", "app.command_palette"})
# Every other binding without an id (Textual's scrolling, copying, an open list's "Dismiss menu"…)
# is listed nowhere: not in F1, the palette nor the key strip (widgets/keystrip.py).

# The key strip (widgets/keystrip.py): the app's keys in short form, in the order shown …
STRIP_APP = {
    "app.help": "Aide", "app.agencies": "Agences", "app.day_sheet": "Jour", "app.book": "RDV",
    "app.handoffs": "Relais", "app.settings": "Réglages", "app.find": "Retrouver", "app.new_person": "Nouveau",
    "app.quit": "Quitter", "app.palette": "Commandes",
}
# … and the order in which they give way when 80 columns are too few (the last first).
STRIP_APP_RANK = ("app.help", "app.book", "app.day_sheet", "app.agencies", "app.handoffs", "app.find",
                  "app.new_person", "app.settings", "app.quit", "app.palette")
# A screen's keys that matter most (they keep their place before the others of their screen).
STRIP_FIRST = frozenset({
    "booking.book", "handoff.save", "settings.save", "card.book", "card.handoff", "confirmation.done",
    "day.seen", "finder.open", "ask.yes", "ask.no",
})

KEY_NAMES = {
    "escape": "Échap", "enter": "Entrée", "tab": "Tab", "space": "Espace", "backspace": "Retour arrière",
    "delete": "Suppr", "insert": "Inser", "home": "Début", "end": "Fin", "pageup": "Page préc.",
    "pagedown": "Page suiv.", "up": "↑", "down": "↓", "left": "←", "right": "→",
}
MODIFIER_NAMES = {"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt", "meta": "Méta", "super": "Super", "hyper": "Hyper"}
# Textual's names of the keys that are not one character: "f2", "pageup", "slash", "question_mark"…
NAMED_KEYS = frozenset(
    {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    | {_character_to_key(chr(code)) for code in range(32, 127)}
)
# A follower takes its leader's keys unless the keymap moves it too: the key that opens F1 closes it.
FOLLOWERS = {"help.close_f1": "app.help"}


def key_label(key: str) -> str:
    """A key as the agent reads it: ``ctrl+s`` → ``Ctrl+S``, ``escape`` → ``Échap``, ``slash`` → ``/``."""
    *modifiers, name = key.split("+")
    if name in KEY_NAMES:
        label = KEY_NAMES[name]
    elif len(name) == 1:
        label = name.upper() if modifiers else name
    elif name[0] == "f" and name[1:].isdigit():
        label = name.upper()
    else:
        label = format_key(name)
    return "+".join([*(MODIFIER_NAMES.get(m, m) for m in modifiers), label])


class KeyEntry(NamedTuple):  # not a dataclass: this module is imported at start-up, keep it cheap
    """One action of the current screen: its keys (as displayed), its French description."""

    node: DOMNode  # where the binding lives: its action runs there
    binding: Binding
    keys: tuple[str, ...]  # labels, e.g. ("F2", "Ctrl+G")
    description: str

    @property
    def key_text(self) -> str:
        return ", ".join(self.keys)

    async def run(self) -> None:
        """Run the binding's action where the binding lives (as pressing its key would)."""
        await self.node.app.run_action(self.binding.action, self.node)


def _transparent(binding: Binding) -> bool:
    """Textual's scroll bindings step aside (SkipAction) when the widget cannot scroll that way:
    a list without a horizontal scrollbar leaves ← → to its screen (the day sheet's Veille, Lendemain)."""
    return binding.id is None and binding.action.startswith("scroll_")


def _active_bindings(screen: Screen[Any]) -> dict[str, ActiveBinding]:
    """``Screen.active_bindings`` (Textual 8.2.8's, keymap applied), looking through Textual's
    scroll bindings to the binding the key really reaches."""
    app = screen.app
    chosen: dict[str, ActiveBinding] = {}
    for node, bindings in screen._modal_binding_chain:
        for key, binding in bindings:
            if _transparent(binding):
                continue
            state = app._check_action_state(binding.action, node)
            if state is False:  # hidden here: the key goes on to the next node
                continue
            current = chosen.get(key)
            if current is None or (binding.priority and not current.binding.priority):
                chosen[key] = ActiveBinding(node, binding, bool(state), binding.tooltip)
    return chosen


def screen_keys(screen: Screen[Any]) -> list[KeyEntry]:
    """The keys of ``screen``: its active bindings that are guichet's (or Textual's, translated),
    enabled, one entry per action (all its keys together); the screen's own first, then its
    widgets', the app's, and Textual's last, each in the order of its BINDINGS."""
    grouped: dict[tuple[int, str], tuple[DOMNode, Binding, list[str], str]] = {}
    for key, active in _active_bindings(screen).items():
        binding = active.binding
        french = TEXTUAL_FRENCH.get(binding.action) or (binding.description if binding.id is not None else None)
        if not french or not active.enabled:
            continue  # Textual's own (in English), a binding without a description, or disabled here
        label = binding.key_display or key_label(key)
        group = (id(active.node), binding.id or binding.action)
        if group in grouped:
            grouped[group][2].append(label)
        else:
            grouped[group] = (active.node, binding, [label], french)

    app = screen.app
    nodes = list(dict.fromkeys(id(node) for node, *_ in grouped.values()))

    def order(entry: KeyEntry) -> tuple[int, int, int]:
        rank = 3 if entry.binding.id is None else 0 if entry.node is screen else 2 if entry.node is app else 1
        declared = [b.id or b.action for _, b in entry.node._bindings]
        name = entry.binding.id or entry.binding.action
        return rank, nodes.index(id(entry.node)), declared.index(name) if name in declared else len(declared)

    entries = [KeyEntry(node, binding, tuple(labels), text) for node, binding, labels, text in grouped.values()]
    return sorted(entries, key=order)


# -- [keymap] ---------------------------------------------------------------------------------


def _normal_key(key: str) -> str | None:
    """Textual's spelling of one key (``Ctrl+G`` → ``ctrl+g``, ``/`` → ``slash``), None if unknown."""
    if len(key) == 1:
        return _character_to_key(key)
    *modifiers, name = key.split("+")
    modifiers = [m.strip().lower() for m in modifiers]
    name = name.strip()
    if modifiers == ["shift"] and len(name) == 1 and name.isalpha():
        return name.upper()  # Textual names Shift+A "A"
    name = _character_to_key(name.lower() if modifiers else name) if len(name) == 1 else name.lower()
    known = name in NAMED_KEYS or (len(name) == 1 and name.isprintable())
    if not known or any(m not in MODIFIER_NAMES for m in modifiers):
        return None
    return "+".join([*sorted(set(modifiers)), name])  # Textual sorts the modifiers of a key event


class _Scope(NamedTuple):
    """The bindings of one class (the app, a screen or a widget), each key on its own line."""

    name: str
    bindings: tuple[tuple[str, Binding], ...]
    modal: bool = False


def _class_scope(cls: type[DOMNode]) -> _Scope:
    from textual.screen import ModalScreen

    merged = cls._merged_bindings or cls._merge_bindings()
    pairs = tuple((key, binding) for key, bindings in merged.key_to_bindings.items() for binding in bindings)
    return _Scope(cls.__name__, pairs, modal=issubclass(cls, ModalScreen))


def _name(binding: Binding) -> str:
    if binding.id is not None:
        return f"« {binding.id} »"
    described = TEXTUAL_FRENCH.get(binding.action) or binding.description or binding.action
    return f"« {described} » (touche de Textual)"


def _placed(scope: _Scope, keymap: Mapping[str, list[str]]) -> dict[str, list[Binding]]:
    """The scope's bindings by key once the keymap has moved those it names."""
    placed: dict[str, list[Binding]] = {}
    for key, binding in scope.bindings:
        keys = keymap.get(binding.id, [key]) if binding.id is not None else [key]
        for new_key in keys:
            line = placed.setdefault(new_key, [])
            if all(b != binding and (b.id is None or b.id != binding.id) for b in line):
                line.append(binding)
    return placed


def _clash(own: dict[str, list[Binding]], app: dict[str, list[Binding]] | None,
           moved: Mapping[str, object]) -> tuple[str, Binding, Binding] | None:
    """The first key held by two bindings, one of them moved by the keymap: two of ``own``, or
    (given ``app``) one of ``own`` and one of the app's."""
    for key, bindings in own.items():
        pairs = combinations(bindings, 2) if app is None else product(bindings, app.get(key, []))
        for first, second in pairs:
            if any(b.id is not None and b.id in moved for b in (first, second)):
                return key, first, second
    return None


def check_keymap(keymap: Mapping[str, str], *, app_class: type[DOMNode], classes: Iterable[type[DOMNode]],
                 source: str) -> dict[str, str]:
    """The keymap for ``App.set_keymap`` (keys in Textual's spelling), checked against the bindings
    of ``app_class`` and of ``classes`` (every guichet screen and widget: the app lists them, this
    module imports none of them); a :class:`SettingsError` (one French line starting with
    ``source``) names an unknown id, an unknown key, or the two ids of a clash."""
    import difflib  # here: only a workstation with a keymap pays for it

    where = f"{source} : [keymap]"
    scopes = [_class_scope(app_class), *(_class_scope(cls) for cls in classes)]
    known = sorted({b.id for scope in scopes for _, b in scope.bindings if b.id is not None})
    moved: dict[str, list[str]] = {}
    for binding_id, text in keymap.items():
        if binding_id not in known:
            # the ids of the same screen (the part before the dot), else the nearest spellings, else all
            family = [k for k in known if k.split(".")[0] == binding_id.split(".")[0]]
            close = difflib.get_close_matches(binding_id, known, n=3, cutoff=0.6)
            if close and not family:
                hint = f"vouliez-vous dire {' ou '.join([', '.join(close[:-1]), close[-1]] if close[1:] else close)} ?"
            else:
                hint = f"identifiants : {', '.join(family or known)}"
            raise SettingsError(f"{where} : identifiant inconnu « {one_line(binding_id)} » ({hint})")
        keys: list[str] = []
        for part in text.split(","):
            normal = _normal_key(part.strip())
            if normal is None:
                raise SettingsError(
                    f"{where} : « {one_line(binding_id)} » : touche inconnue « {one_line(part.strip())} » "
                    "(exemples : f2, ctrl+g, alt+a, escape, enter, slash, a)")
            if normal not in keys:
                keys.append(normal)
        moved[binding_id] = keys
    for follower, leader in FOLLOWERS.items():
        if leader in moved and follower not in moved:
            moved[follower] = moved[leader]

    app_scope = _placed(scopes[0], moved)
    app_priority = {key: [b for b in bindings if b.priority] for key, bindings in app_scope.items()}
    for index, scope in enumerate(scopes):
        placed = _placed(scope, moved)
        found = _clash(placed, None, moved)
        if found is None and index:  # a screen's or widget's key the app would shadow, or the reverse
            # (a modal screen cuts the app's bindings off, except the priority ones)
            found = _clash(placed, app_priority if scope.modal else app_scope, moved)
        if found is not None:
            key, first, second = found
            raise SettingsError(
                f"{where} : {_name(first)} et {_name(second)} auraient la même touche « {one_line(key)} » "
                f"({scope.name}) : choisissez-en une autre")
    return {binding_id: ",".join(keys) for binding_id, keys in moved.items()}
