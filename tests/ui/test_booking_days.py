"""The booking screen's ←/→ (previous/next day): never before today.

The clock is fixed (Monday 23 November 2026, 10:00, tests/conftest.py); the screen is opened with
F4 and read once its slot worker has finished.
"""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import Static

from guichet.ui.screens.booking import BookingScreen, SlotTable
from guichet.ui.workers import workers_done
from tests.conftest import FIXED_NOW
from tests.ui.conftest import AppFactory

TODAY = FIXED_NOW.date()  # Monday 23 November 2026
TOMORROW = date(2026, 11, 24)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the slot worker and the repaint that follows it."""
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def shown(screen: BookingScreen) -> tuple[date, str, list[tuple[str, ...]]]:
    """What the screen shows: its first day, the filters line and the rows of the slot list."""
    filters = str(screen.query_one("#booking-filters", Static).render())
    return screen.day_from, filters, list(screen.query_one(SlotTable).rows)


async def test_previous_day_never_goes_before_today(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert isinstance(app.focused, SlotTable)
        opened = shown(screen)
        day, filters, rows = opened
        assert day == TODAY
        assert "à partir du lundi 23 novembre" in filters
        assert rows and rows[0][0] == "lundi 23 novembre"
        assert all(slot.start >= FIXED_NOW for slot in screen.slots)

        for _ in range(3):  # ← on today stays on today, however often
            await pilot.press("left")
            await settle(pilot)
            assert shown(screen) == opened
            assert "dimanche 22 novembre" not in shown(screen)[1]

        await pilot.press("right")
        await settle(pilot)
        day, filters, rows = shown(screen)
        assert day == TOMORROW
        assert "à partir du mardi 24 novembre" in filters
        assert screen.slots and min(slot.start.date() for slot in screen.slots) == TOMORROW
        assert rows[0][0] == "mardi 24 novembre"

        await pilot.press("left", "left")  # back to today, then held there
        await settle(pilot)
        assert shown(screen) == opened
