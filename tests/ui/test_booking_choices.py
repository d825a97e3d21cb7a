"""The booking screen's kind and channel follow the domain's rules: what the agencies offer decides.

The table is 000_fb1f5dfc0eaffb6c.txt, p.5, read as in DOMAIN.md: CSU by phone at Gennevilliers only
(« Lundi, mercredi, vendredi »). Variants of the shipped agencies.toml (``data_dir``) make a kind or a
channel offered by no agency, which the screen must say instead of "no free slot".
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

from guichet.domain.models import Channel, Kind
from guichet.paths import SHIPPED_DATA
from guichet.ui.screens.booking import BookingScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

CSU_BLOCKS = re.compile(r'\[\[agency\.schedule\]\]\nkind = "csu"\nchannel = "(telephone|agence)"\n[^\[]*')


def without_csu(tmp_path: Path, channels: str) -> Path:
    """A data directory whose agencies.toml has no CSU schedule on ``channels`` (a regex)."""
    text = (SHIPPED_DATA / "agencies.toml").read_text(encoding="utf-8")
    changed = CSU_BLOCKS.sub(lambda m: "" if re.fullmatch(channels, m.group(1)) else m.group(0), text)
    assert changed != text
    directory = tmp_path / "data-variant"
    directory.mkdir()
    (directory / "agencies.toml").write_text(changed, encoding="utf-8")
    return directory


def message(screen: BookingScreen) -> str:
    return str(screen.query_one("#booking-message", Static).render())


async def test_f4_opens_a_phone_gca_and_f5_switches_to_a_phone_csu(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)  # most appointments: by phone
        await pilot.press("f5")  # CSU by phone: Gennevilliers, « Lundi, mercredi, vendredi »
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.TELEPHONE)
        assert screen.slots and {s.agency_id for s in screen.slots} == {"gennevilliers"}
        assert {s.start.weekday() for s in screen.slots} <= {0, 2, 4}
        await pilot.press("f6")  # on site: Châtenay-Malabry and Gennevilliers
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.AGENCE)
        assert screen.slots and all(s.channel is Channel.AGENCE for s in screen.slots)
        await pilot.press("f5")  # back to a GCA: the channel stays on site, which GCAs offer
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.AGENCE)
        await pilot.press("f6")
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)
        assert [n.message for n in app._notifications] == []


async def test_a_channel_offered_nowhere_is_refused_and_said(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(data_dir=without_csu(tmp_path, "telephone"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f4", "f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.AGENCE)  # no agency offers CSU by phone here
        await pilot.press("f6")  # by phone: offered nowhere for a CSU, said so, nothing changes
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.AGENCE)
        assert [n.message for n in app._notifications] == [
            "Aucune agence ne propose de rendez-vous conseiller (CSU) par téléphone."]


async def test_a_kind_offered_nowhere_says_so_in_the_slot_list(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(data_dir=without_csu(tmp_path, "telephone|agence"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "f5")  # a CSU, which no agency offers here: not "aucun créneau libre"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.TELEPHONE)
        assert screen.slots == []
        assert message(screen) == "Aucune agence ne propose de rendez-vous conseiller (CSU) par téléphone."
        await pilot.press("f5")  # a GCA again: the list is back
        await settle(pilot)
        assert screen.slots and "créneaux" in message(screen)
