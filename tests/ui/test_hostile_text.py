"""Text from the data files, the database, the settings and the keyboard on every screen: shown
literally, never read as markup, and no crash (issue 13, item 7).

The oracle is the screen as the agent reads it, rebuilt cell by cell from the SVG screenshot that
Textual exports (``App.export_screenshot``): markup that Textual interpreted would have vanished
from it, and a crash would have ended the test.
"""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static, TextArea

from guichet.domain.handoff import Contact, HandoffDraft
from guichet.domain.handoff_message import signature
from guichet.domain.models import Channel, Kind, LifeEvent
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.demo import CaptionBar, show_caption
from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.booking import BookingScreen
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.screens.emergency import EmergencyScreen
from guichet.ui.screens.handoff import HandoffScreen
from guichet.ui.screens.handoffs import COLUMNS as HANDOFF_COLUMNS
from guichet.ui.screens.handoffs import HandoffsScreen
from guichet.ui.screens.help import HelpScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.screens.settings import SettingsScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from guichet.ui.widgets.rowlist import fit
from tests.cli.test_hostile_output import (
    ADDRESS,
    AGENCY,
    AGENCY_NOTE,
    AGENT,
    BRING,
    CLOSURE,
    COMMENT,
    CONTROL,
    MOTIFS,
    OSC52,
    PARTNER,
    PERSON,
    SERVICE_NOTE,
    SUMMARY,
    TITLE,
    hostile_catalog,
)
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

pytestmark = pytest.mark.slow  # hostile text through every screen: the full suite's

SIZE = (160, 50)
CELL = 12.2  # the width of one cell in Rich's SVG export (0.61 x its 20-pixel font)
_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')


def screen_text(app: GuichetApp) -> str:
    """The current screen as text, one line per terminal row (the screenshot's SVG, cell by cell)."""
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        row = rows.setdefault(int(line), {})
        column = round(float(x) / CELL)
        for offset, character in enumerate(html.unescape(text).replace("\xa0", " ")):
            row[column + offset] = character
    return "\n".join(
        "".join(rows.get(y, {}).get(x, " ") for x in range(max(rows.get(y, {0: ""}), default=0) + 1)).rstrip()
        for y in range(max(rows, default=-1) + 1)
    )


def assert_shown(app: GuichetApp, *texts: str) -> str:
    shown = screen_text(app)
    for text in texts:
        assert text in shown, f"{text!r} is not on the screen:\n{shown}"
    return shown


@pytest.fixture
def app(make_app: AppFactory, tmp_path: Path) -> GuichetApp:
    return make_app(data_dir=hostile_catalog(tmp_path / "hostile"), agent_name=AGENT)


def book(services: Services) -> int:
    """An appointment at Nanterre today for a person whose name looks like markup."""
    [slot] = services.appointments.find_slots(Kind.GCA, Channel.AGENCE, "nanterre", limit=1)
    assert slot.start.date() == services.now().date()
    booked = services.appointments.book(BookingRequest(
        agency_id="nanterre", kind=slot.kind, channel=slot.channel, start=slot.start, name=PERSON,
        file_number="1234567", phone="0612345678", service_id="paiement-non-recu", objective=MOTIFS))
    return booked.id


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` key by key (a line break is Entrée)."""
    await pilot.press(*("enter" if character == "\n" else character for character in text))


# -- the search screen and the card ----------------------------------------------------------------
async def test_search_screen_and_card_show_catalog_text_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        card = screen.query_one(OrientationCard)
        assert card.service is not None and card.service.id == "paiement-non-recu"
        assert_shown(app, f"guichet · {AGENCY}", TITLE, SUMMARY, *(f"• {item}" for item in BRING))
        await type_text(pilot, "domiciliation")
        await pilot.press("enter")
        await pilot.pause()
        assert card.service is not None and card.service.id == "domiciliation"
        assert_shown(app, f" {PARTNER} ", SERVICE_NOTE)


@pytest.mark.parametrize("typed", ["zz[/", "[link=x]", "[b", "[$error]x[/] \\", "$error"])
async def test_typed_markup_in_the_search_field_is_shown_literally(app: GuichetApp, typed: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, typed)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.query_one(Input).value == typed
        if not screen.hits:
            assert_shown(app, f"Aucun service ne correspond à « {typed} »")
        assert_shown(app, typed)  # in the field itself


async def test_emergency_question_over_a_hostile_card(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # to the card of « Paiement non reçu »
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyScreen)
        assert_shown(app, "Urgence sociale ?", TITLE)  # the card stays visible behind the question
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert_shown(app, TITLE, "Urgence sociale : aide alimentaire")


# -- agencies, settings, help --------------------------------------------------------------------
async def test_agencies_screen_shows_names_addresses_notes_and_closures_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgenciesScreen)
        row = [s.agency.id for s in screen.statuses].index("nanterre")
        await pilot.press(*["down"] * row)
        await pilot.pause()
        assert_shown(app, f"{AGENCY} ★", ADDRESS, f"  {AGENCY_NOTE}", f"jeudi 24 décembre 2026 : {CLOSURE}")


async def test_settings_show_the_agency_and_agent_names_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#agent-name", Input).value == AGENT
        assert_shown(app, AGENCY, AGENT)
        await pilot.press("enter")  # the list of agencies
        await pilot.pause()
        assert screen.query_one("#agency", Select).expanded
        assert_shown(app, AGENCY, "Gennevilliers")
        await pilot.press("escape")
        await pilot.press("ctrl+s")  # saved as it is, and the header shows it literally
        await pilot.pause()
        assert app.services.settings.agent_name == AGENT
        assert_shown(app, f"guichet · {AGENCY}")


async def test_help_shows_keys_and_titles_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert_shown(app, "Touches — Recherche et orientation")
        await pilot.press("escape")
        await pilot.pause()
        # Keys come from config.toml and titles may one day come from elsewhere: neither is markup.
        app.push_screen(HelpScreen("Titre [/] [b $error \\", [("[b", "[$error]Action[/] \\")], note="[/] note [b"))
        await pilot.pause()
        assert_shown(app, "Touches — Titre [/] [b $error \\", "[b   [$error]Action[/] \\", "[/] note [b")


async def test_demo_captions_are_shown_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await show_caption(app, "Légende [/] [link=https://x]clic[/link] [b $error \\")
        await pilot.pause()
        assert_shown(app, "Légende [/] [link=https://x]clic[/link] [b $error \\")
        await show_caption(app, "[$warning]Suite[/] [/b]")
        await pilot.pause()
        assert len(app.screen.query(CaptionBar)) == 1
        assert_shown(app, "[$warning]Suite[/] [/b]")


# -- appointments ----------------------------------------------------------------------------------
async def test_day_sheet_shows_the_agency_and_person_literally(app: GuichetApp) -> None:
    book(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DaySheetScreen)
        assert [a.name for a in screen.rows] == [PERSON]
        assert_shown(app, f"Rendez-vous — {AGENCY} — lundi 23 novembre (aujourd'hui)", fit(PERSON, 17))


async def test_booking_and_confirmation_show_names_and_typed_text_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "r")  # the card of « Paiement non reçu », then Rendez-vous
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert_shown(app, f"motif : {TITLE}", fit(AGENCY, 18))
        await pilot.press("f6")  # at the agency: the confirmation gives its name and address
        while screen.agency_id != "nanterre":
            await pilot.press("f7")
        await settle(pilot)
        assert_shown(app, f"· {AGENCY} ·")
        await pilot.press("enter")  # the first slot, then the person
        await type_text(pilot, PERSON)
        await pilot.press("enter")
        await type_text(pilot, "1234567")
        await pilot.press("enter", "enter")
        assert screen.query_one("#objective", Input).value == TITLE
        await pilot.press("enter")  # Entrée on the last field books
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        assert app.screen.appointment.name == PERSON
        assert_shown(app, f"Objet : {TITLE}.", f"À l'accueil de la Caf : {AGENCY}, {ADDRESS}.",
                     f"À préparer : {BRING[0]} ; {BRING[1]}.")


# -- handoffs --------------------------------------------------------------------------------------
async def test_handoff_form_previews_typed_text_literally(app: GuichetApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_handoff(app.services.service("domiciliation"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        await type_text(pilot, PERSON)
        screen.query_one("#phone", Input).value = "0612345678"
        screen.query_one("#benefits", SelectionList).select("ASF")
        screen.query_one("#motifs", Input).focus()
        await type_text(pilot, MOTIFS)
        screen.query_one(TextArea).focus()
        await type_text(pilot, COMMENT)
        screen.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        assert screen.message is not None
        assert_shown(app, f"Personne : {PERSON}", MOTIFS, *COMMENT.splitlines(), signature(AGENT))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        [record] = app.services.handoffs.listing(())
        assert (record.draft.name, record.draft.motifs, record.draft.comment) == (PERSON, MOTIFS, COMMENT)


async def test_handoff_list_shows_names_and_messages_literally(app: GuichetApp) -> None:
    record = app.services.handoffs.create(HandoffDraft(
        name=PERSON, life_event=LifeEvent.SEPARATION, motifs=MOTIFS, comment=COMMENT, benefits=("ASF",),
        contact=Contact.COURRIER, file_number="1234567", consent=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffsScreen)
        assert [r.draft.name for r in screen.records] == [PERSON]
        name_width = next(column.width for column in HANDOFF_COLUMNS if column.label == "Nom")
        assert_shown(app, fit(PERSON, name_width), f"Personne : {PERSON}", MOTIFS)
        # The pane shows the first lines; the rest of the message is there, as plain text, to scroll to.
        detail = screen.query_one("#handoffs-detail", Static).visual
        assert isinstance(detail, Content) and not detail.spans
        assert record.message is not None and detail.plain == record.message
        assert COMMENT in record.message and signature(AGENT) in record.message


async def test_day_sheet_never_sends_a_control_character_from_a_row_changed_by_hand(app: GuichetApp) -> None:
    """Names are refused with a control character on the way in; a row changed by hand (or by an
    older version) shows each as the replacement character, never as a terminal sequence."""
    appointment_id = book(app.services)
    con = sqlite3.connect(app.services.settings.paths.database_file)
    try:
        with con:
            con.execute("UPDATE appointment SET name = ? WHERE id = ?", (f"Awa{OSC52}Diallo\x9b2J", appointment_id))
    finally:
        con.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        shown = assert_shown(app, "Awa\N{REPLACEMENT CHARACTER}]52;c;SGVsbG…")
        assert not CONTROL.search(shown)
