"""Fuzz the form validators: any text gives a normalised value or one InvalidInput, never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.domain import person
from guichet.domain.handoff import Contact, HandoffDraft, problems, qualify, validate
from guichet.domain.models import LifeEvent
from guichet.errors import InvalidInput
from guichet.ui.screens.handoff_parts import parse_day

TODAY = date(2026, 11, 23)
TEXT = st.text(st.characters(codec="utf-8"), max_size=120)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_person_validators_never_crash_and_are_idempotent(text: str) -> None:
    for check in (person.name, person.phone, person.file_number, person.note):
        try:
            value = check(text)
        except InvalidInput as exc:
            assert str(exc) and "\n" not in str(exc)
            continue
        if value is not None:
            assert check(value) == value  # normalising twice changes nothing


@settings(max_examples=200, deadline=None)
@given(name=TEXT, motifs=TEXT, comment=TEXT, phone=TEXT, number=TEXT, event=st.sampled_from(list(LifeEvent)),
       when=st.one_of(st.none(), st.dates()), consent=st.sampled_from([None, True, False]),
       benefits=st.lists(st.sampled_from(["APL", "RSA", "AAH", "ASF", "xx", ""]), max_size=3))
def test_handoff_rules_never_crash(name: str, motifs: str, comment: str, phone: str, number: str, event: LifeEvent,
                                   when: date | None, consent: bool | None, benefits: list[str]) -> None:
    draft = HandoffDraft(name=name, life_event=event, motifs=motifs, comment=comment, benefits=tuple(benefits),
                         phone=phone or None, file_number=number or None, contact=Contact.TELEPHONE,
                         event_date=when, non_payment_since=when, consent=consent)
    qualify(draft, TODAY)
    found = problems(draft, TODAY)
    try:
        clean = validate(draft, TODAY)
    except InvalidInput as exc:
        assert found and str(exc) == found[0]
    else:
        assert not found
        assert validate(clean, TODAY) == clean


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_form_dates_are_a_date_none_or_a_value_error(text: str) -> None:
    try:
        value = parse_day(text)
    except ValueError:
        return
    assert value is None or isinstance(value, date)
