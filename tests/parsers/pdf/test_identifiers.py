"""Patient id and accession in printout header boxes: every label the fact is printed under,
a label set apart from its value by the layout, and the identifiers that are someone else's."""

from __future__ import annotations

import pytest

from parsers.pdf import PageWords, read_pages
from parsers.pdf.layout import Word

_PT = 5.0  # width of one character in these hand-set pages
_TABLE = [(90, [(43, "Region"), (140, "BMD"), (220, "T-score")]),
          (102, [(43, "L1-L4"), (140, "0.930"), (220, "-1.0")])]


def _words(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[Word]:
    """Words of cells given as (top, [(x0, text), ...]), one space between a cell's words."""
    words = []
    for top, cells in rows:
        for x, text in cells:
            for token in text.split():
                words.append(Word(token, x, x + _PT * len(token), top, top + 8))
                x += _PT * (len(token) + 1)
    return words


def _ids(*header: tuple[float, list[tuple[float, str]]],
         extra: list[Word] | None = None) -> tuple[str | None, str | None]:
    page = PageWords(612, 792, _words([*header, *_TABLE]) + (extra or []))
    doc = read_pages([page], path="p.png", sha256="0" * 64)
    return doc.patient.id, doc.study.accession


@pytest.mark.parametrize(("label", "value"), [
    ("Patient ID / MRN:", "HX-9969704"), ("Chart #:", "MRN8670576"), ("Chart No.:", "0007423"),
    ("Hospital No.:", "K2290183"), ("Medical Record #:", "77120394"), ("ID:", "P1339346"),
])
def test_patient_id_labels_in_a_cell_of_their_own(label: str, value: str) -> None:
    """The label in one cell, the value in the next column (a two-cell header row)."""
    assert _ids((30, [(43, "Name:"), (100, "Doe, Jane")]),
                (42, [(43, label), (200, value)]))[0] == value


@pytest.mark.parametrize(("label", "value"), [
    ("Acc. No.:", "A519386-691149"), ("Accession #:", "000707269"), ("Acc #:", "RAD0046605"),
    ("Exam #:", "ACC00747839"), ("Accession Number:", "A123-9"),
])
def test_accession_labels_in_a_cell_of_their_own(label: str, value: str) -> None:
    assert _ids((30, [(43, "Age:"), (100, "78"), (200, label), (330, value)]))[1] == value


def test_a_value_printed_over_the_end_of_a_long_label_follows_it() -> None:
    """The value column starts before a long label ends; read by where words end, the label
    comes first whole and the value after it."""
    label = [Word("Patient", 42.5, 75.8, 42, 50), Word("ID", 82.1, 90.9, 42, 50),
             Word("/", 97.1, 100.0, 42, 50), Word("MRN:", 106.1, 123.8, 42, 50)]
    value = [Word("0008966440", 95.7, 143.1, 42, 50)]
    assert _ids(extra=label + value)[0] == "0008966440"


@pytest.mark.parametrize("header", [
    [(54, [(43, "Scan Date: 5/6/2024"), (200, "ID: A05062490")])],  # Hologic's scan ID
    [(42, [(43, "Referring Physician ID:"), (200, "120034")])],
    [(42, [(43, "Referring Physician ID: 120034")])],
    [(42, [(43, "Study ID: 4471"), (200, "Operator ID: 12")])],
    [(42, [(43, "Reference Chart:"), (200, "No reference data")])],
    [(42, [(43, "Patient ID / Accession:"), (200, "A0091")])],  # which one it is, is unknown
    [(42, [(43, "MRN:"), (200, "Phone: 555-0100")])],  # an empty label, the next label
    [(42, [(43, "Accession:"), (200, "Measured: 03/14/2024")])],
    [(42, [(43, "Accession: 03/14/2024")])],
])
def test_look_alikes_give_no_identifier(header: list) -> None:
    assert _ids(*header) == (None, None)


def test_a_value_over_the_middle_of_a_label_and_a_date_beside_one() -> None:
    """The value starts over the label's slash; a date whose first word sits under the end of
    ``Date of Birth:`` stays after it."""
    row = [Word("Patient", 42.5, 73.7, 42, 50), Word("ID", 79.7, 87.9, 42, 50),
           Word("/", 93.8, 96.5, 42, 50), Word("MRN541973", 95.0, 135.6, 42, 50),
           Word("MRN:", 102.2, 118.8, 42, 50)]
    birth = [Word("Date", 42.3, 61.1, 30, 38), Word("of", 67.0, 75.6, 30, 38),
             Word("Birth:", 81.6, 108.9, 30, 38), Word("May", 93.3, 107.8, 30, 38),
             Word("22,", 113.6, 125.7, 30, 38), Word("1957", 133.2, 151.2, 30, 38)]
    page = PageWords(612, 792, _words(_TABLE) + row + birth)
    doc = read_pages([page], path="p.png", sha256="0" * 64)
    assert (doc.patient.id, doc.patient.birth_date) == ("MRN541973", "1957-05-22")
