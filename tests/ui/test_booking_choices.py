"""The booking screen's kind and channel follow the domain's rules: what the agencies offer decides."""

from __future__ import annotations

from guichet.domain.models import Channel, Kind
from guichet.ui.screens.booking import BookingScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle


async def test_f4_opens_a_phone_gca_and_f5_switches_to_an_on_site_csu(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)  # most appointments: by phone
        await pilot.press("f5")
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.AGENCE)  # no agency offers CSU by phone
        assert screen.slots and all(s.channel is Channel.AGENCE for s in screen.slots)
        await pilot.press("f6")  # by phone: offered nowhere for a CSU, said so, nothing changes
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.CSU, Channel.AGENCE)
        assert [n.message for n in app._notifications] == [
            "Aucune agence ne propose de rendez-vous conseiller (CSU) par téléphone."]
        await pilot.press("f5")  # back to a GCA: the channel stays on site, which GCAs offer
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.AGENCE)
        await pilot.press("f6")
        await settle(pilot)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)
