"""Identifiers as reports label them: the number mark of a label and the shape of a value.

A patient id or accession is read only after a label of its fact (``report_labels.json``);
this module says what follows such a label. Labels are written in the vocabulary as words;
a label ending in `` #`` (``chart #``) counts only with a number mark after its words --
``Chart #``, ``Chart No.``, ``Chart Number`` -- because the bare word (``Chart:``, a reference
chart's title) names something else.

The value is the first token after the label, and only when it looks like an identifier: it
has a digit (``MRN: Phone:`` leaves the MRN unread; the next label is not its value) and it is
not a date. Digit groups of national numbers (NHS ``943 476 5919``, Ontario health card
``1234 567 890 AB``) are kept whole, as printed.
"""

from __future__ import annotations

import re

from parsers.kit.dates import DATE_RE, parse_date

# what may stand between a label's words and its colon: "#", "No.", "Nr.", "Number"
NUMBER_MARK = r"(?:#|No\b\.?|Nr\b\.?|Number\b)"
NUMBERED = " #"  # the vocabulary's ending of a label that needs a number mark

_GROUPED_RE = re.compile(r"(?:\d{3} \d{3} \d{4}|\d{4} \d{3} \d{3}(?: [A-Z]{2})?)(?![\w-])")
_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")


def numbered(label: str) -> bool:
    """Whether a vocabulary label needs a number mark (it ends in ``" #"``)."""
    return label.endswith(NUMBERED)


def label_words(label: str) -> str:
    """A vocabulary label without its number-mark ending."""
    return label.removesuffix(NUMBERED)


def identifier(value: str) -> str | None:
    """The identifier at the start of a labelled value, else None."""
    value = value.lstrip()
    grouped = _GROUPED_RE.match(value)
    if grouped:
        return grouped.group(0)
    token = _TOKEN_RE.match(value)
    if not token:
        return None
    text = token.group(0).rstrip("./-")
    if not re.search(r"\d", text):
        return None
    date = DATE_RE.match(value)
    if date and date.end() >= len(text) and not text.isdigit() and (
            parse_date(date.group(0), day_first=True) or parse_date(date.group(0))):
        return None  # "Accession: 03/04/2019": a date is not an identifier
    return text
