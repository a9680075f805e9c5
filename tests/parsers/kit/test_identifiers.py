"""parsers.kit.identifiers: what a patient id or accession label is followed by."""

from __future__ import annotations

import pytest

from parsers.kit.identifiers import identifier, label_words, numbered


@pytest.mark.parametrize(("value", "expected"), [
    ("MRN2397695", "MRN2397695"),
    ("0004211879   Sex: F", "0004211879"),  # leading zeros are part of the id
    ("A1204190-553812.", "A1204190-553812"),  # dashes inside, a sentence's point after
    ("HX-40211 (external)", "HX-40211"),
    ("943 476 5919", "943 476 5919"),  # an NHS number in its printed groups
    ("4532 178 923 KT", "4532 178 923 KT"),  # an Ontario health card number with its code
    ("19870312", "19870312"),  # eight digits labelled as an id stay an id
])
def test_an_identifier_is_the_first_token_with_a_digit(value: str, expected: str) -> None:
    assert identifier(value) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "not specified", "(not specified)",
    "Phone: 555-0100",  # the label was empty: the next label is not its value
    "DOB: 1950-02-03",
    "03/04/2019", "2019-03-04", "14-Mar-2019", "March 14, 2019",  # a date is not an id
    "(555) 010-0199",  # a telephone number
])
def test_what_is_not_an_identifier(value: str) -> None:
    assert identifier(value) is None


def test_a_numbered_label_is_written_with_a_number_sign() -> None:
    assert numbered("chart #") and label_words("chart #") == "chart"
    assert not numbered("patient id") and label_words("patient id") == "patient id"
