"""Spaces the recogniser dropped are put back only between words of the readers' vocabulary."""

from __future__ import annotations

import pytest

from parsers.scanned.spacing import respaced


@pytest.mark.parametrize(("read", "printed"), [
    ("otherfragilityfractures.", "other fragility fractures."),
    ("INDICATIONS64yearsoldpost-menopausalWoman", "INDICATIONS 64 years old post-menopausal Woman"),
    ("DensitometryTrend:", "Densitometry Trend:"),
    ("MOF14.1%", "MOF 14.1%"), ("Hip0.3%", "Hip 0.3%"),  # a FRAX label and its percentage
    ("age61.", "age 61."), ("age61", "age 61"),  # a word of prose and a small number
])
def test_glued_words_of_the_vocabulary_are_parted(read: str, printed: str) -> None:
    assert respaced(read) == printed


@pytest.mark.parametrize("token", [
    "postmenopausal", "premenopausal",  # a word of its own is never cut
    "INGERSOLL,Gwendolyn", "Featherstone^Ignatius",  # names: pieces unknown
    "A433985-154289", "0004682696",  # identifiers
    "MRN12345678", "DOB27/10/1951",  # a label glued to its value may be printed so
    "ABC12%", "X12%",  # a percentage after letters that are no word (or one letter)
    "mrn12345", "AGE61", "age61a", "abc61.",  # many digits, capitals, more after, no word
    "statistically",
])
def test_the_look_alikes_stay_as_read(token: str) -> None:
    assert respaced(token) == token
