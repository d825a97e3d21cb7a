"""Known Textual bugs worked around here, each with its upstream issue where there is one (issue 16).

Each fix replaces one Textual attribute with a version that behaves as Textual means it to, and
checks first that the attribute is still the buggy one: once Textual ships its own fix, the
replacement is skipped and the test in ``tests/ui/test_textual_fixes.py`` says the fix can go.

- Textualize/textual#6665 (open): ``StylesCache.get_inner_outer`` is an instance method under
  ``functools.lru_cache(1024)``, so the cache's keys hold the last 1,024 ``StylesCache`` objects, each
  with every line its widget last rendered. A widget removed from the screen is thus kept as rendered
  lines: each handoff form opened and closed left about 1.4 MB behind, and a counter's day grew
  without bound until 1,024 widgets were pinned. The colours alone make the key here.
- A widget that watches an attribute of the app (Textual's ``TextArea`` watches ``App.theme``) is
  dropped from the app's watchers only when that attribute next changes: every handoff form closed
  kept its comment field, and the comment typed in it, until the theme changed. The quiet moments
  (ui/quiet.py) drop the watchers of closed widgets: :func:`drop_closed_watchers`.
- A late timer waits one interval too many (``Timer._run``: ``count = int((now - start) / _interval
  + 1)``, then ``next_timer = start + (count + 1) * _interval``). The screen's update timer is late
  after every frame longer than 1/60 s, so the next frame waited up to 33 ms instead of 16.7 for
  its turn: a keystroke after a heavy frame showed that much later (issue 16: keystroke p95). The
  fixed copy waits for the next tick. Detected on Textual's source: :data:`TEXTUAL_TIMER_SKIPS_A_TICK`.

And one cost that is not a bug: every ``Strip`` (a line drawn) makes its seven small caches (a
``FIFOCache`` and its dict each) when it is made, though most lines are never cropped, styled or
divided again. A counter's session holds 12,000 to 20,000 of those caches (2.7 MB of its peak
memory, issue 16). :func:`lazy_strip_caches` makes each cache the first time it is asked for.
"""

from __future__ import annotations

import linecache
from functools import lru_cache
from typing import Any

from textual import _time as textual_time
from textual import timer as textual_timer
from textual._styles_cache import StylesCache
from textual.cache import FIFOCache
from textual.color import Color
from textual.strip import Strip
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Textual's ``StylesCache.get_inner_outer``, keyed on the two colours only."""
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(_cache: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


# Whether the Textual imported has bug #6665: its method is the one cached on its instances.
TEXTUAL_HAD_6665 = hasattr(StylesCache.__dict__.get("get_inner_outer"), "cache_info")


_LATE_TIMER_LINE = "count = int((now - start) / _interval + 1)"


def _timer_skips_a_tick() -> bool:
    """Whether Textual's ``Timer._run`` has the line that loses a tick. Its lines are read as they
    are (``linecache``), not parsed as ``inspect.getsource`` would: 4 ms less at start-up."""
    code = textual_timer.Timer._run.__code__
    lines = linecache.getlines(code.co_filename)
    last = max((line for *_, line in code.co_lines() if line is not None), default=code.co_firstlineno)
    return _LATE_TIMER_LINE in "".join(lines[code.co_firstlineno - 1:last])  # no source shipped: False


TEXTUAL_TIMER_SKIPS_A_TICK = _timer_skips_a_tick()
_TEXTUAL_TIMER_RUN = textual_timer.Timer._run  # Textual's own (its test shows the lost tick)


async def _timer_run(self: textual_timer.Timer) -> None:
    """Textual's ``Timer._run`` (8.2), a late timer waiting for its next tick, not the one after, and a
    late one-shot timer firing (Textual's never fires: ``set_timer`` whose start came late)."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 - forces instantiation in this thread, as Textual does
    await self._active.wait()
    start = textual_time.get_time()

    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = textual_time.get_time()
        if self._skip and next_timer < now:
            due = int((now - start) / _interval)  # the tick due next (Textual's + 1 skipped it)
            if _repeat is None or due <= _repeat:
                count = due
                continue
            # Late past its last tick (a one-shot timer whose thread was held up, as by a worker
            # holding the interpreter between its start and now): that tick now. Textual's left the
            # loop without it, and the callback never came (the typeahead's poll: keys held for good).
        now = textual_time.get_time()
        wait_time = max(0, next_timer - now)
        await textual_time.sleep(wait_time)
        count += 1
        await self._active.wait()
        if self._reset:
            start = textual_time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except textual_timer.EventTargetGone:
            break


# Strip's caches and their sizes, as Textual's ``Strip.__init__`` (8.2) makes them.
_STRIP_CACHES = {"_divide_cache": 4, "_crop_cache": 16, "_style_cache": 16, "_filter_cache": 4,
                 "_line_length_cache": 4, "_crop_extend_cache": 4, "_offsets_cache": 4}


class _MadeOnFirstUse:
    """A ``Strip`` slot holding a cache: read before it is set, it is set to a new empty cache."""

    __slots__ = ("size", "slot")

    def __init__(self, slot: Any, size: int) -> None:
        self.slot = slot  # the slot's own descriptor (a member_descriptor)
        self.size = size

    def __get__(self, strip: Strip | None, owner: type | None = None) -> Any:
        if strip is None:
            return self
        try:
            return self.slot.__get__(strip, owner)
        except AttributeError:
            cache: FIFOCache[Any, Any] = FIFOCache(self.size)
            self.slot.__set__(strip, cache)
            return cache

    def __set__(self, strip: Strip, value: Any) -> None:
        self.slot.__set__(strip, value)


_TEXTUAL_STRIP_INIT = Strip.__init__  # Textual's own (its test shows the caches it makes)


def _strip_init(self: Strip, segments: Any, cell_length: int | None = None) -> None:
    """Textual's ``Strip.__init__`` (8.2) without its seven caches (made on first use)."""
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def strip_caches_eager() -> bool:
    """Whether a new ``Strip`` comes with its caches made (Textual 8.2 does; False once fixed here)."""
    slot = Strip.__dict__.get("_crop_cache")
    if slot is None or isinstance(slot, _MadeOnFirstUse):
        return False
    try:
        slot.__get__(Strip([]), Strip)
    except AttributeError:
        return False
    return True


def lazy_strip_caches() -> None:
    """Make each of a Strip's caches the first time it is asked for (idempotent)."""
    if not strip_caches_eager():
        return
    slots = set(Strip.__slots__)
    if not slots >= set(_STRIP_CACHES) | {"_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count"}:
        return  # not the Strip this copy of __init__ was written for: leave it as it is
    for name, size in _STRIP_CACHES.items():
        setattr(Strip, name, _MadeOnFirstUse(Strip.__dict__[name], size))
    Strip.__init__ = _strip_init  # type: ignore[method-assign]


def apply() -> None:
    """Install every fix this Textual still needs (idempotent)."""
    lazy_strip_caches()
    if TEXTUAL_HAD_6665:
        StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
    if TEXTUAL_TIMER_SKIPS_A_TICK:
        textual_timer.Timer._run = _timer_run  # type: ignore[method-assign]


def drop_closed_watchers(app: Any) -> int:
    """Drop the app's watchers held for widgets that have closed, as Textual does itself on the
    watched attribute's next change (``Reactive._check_watchers``); return how many went."""
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(app, "__watchers", {})
    dropped = 0
    for callbacks in watchers.values():
        alive = [(node, callback) for node, callback in callbacks if not (node._closing or node._closed)]
        dropped += len(callbacks) - len(alive)
        callbacks[:] = alive
    return dropped
