"""Demographics of a printout's header and letter lines, by meaning: an age cell opens with its
number (a threshold sentence holding "for age:" is no age), the two sexes of a blank form
offered side by side state no sex, a ticked sex box after an age on the same line, a birth date
label written with points, a letter's sentence that dates the scan."""

from __future__ import annotations

from dexa.contract import ReportDocument
from parsers.pdf import PageWords, read_pages

_PT = 5.0  # width of one character in these hand-set pages


def _page(*lines: list[tuple[float, str]]) -> ReportDocument:
    """A page of the given lines (cells as (x, text)), 14 points apart, with a results table
    after them."""
    rows = [*lines,
            [(60, "Region"), (200, "BMD (g/cm2)"), (300, "T-score"), (380, "Z-score")],
            [(60, "Lumbar spine L1-L4"), (200, "0.912"), (300, "-1.2"), (380, "-0.3")],
            [(60, "Left femoral neck"), (200, "0.701"), (300, "-1.5"), (380, "-0.6")]]
    boxes = [(text, x, 60.0 + 14 * i, x + _PT * len(text), 68.0 + 14 * i)
             for i, cells in enumerate(rows) for x, text in cells]
    return read_pages([PageWords.from_boxes(612, 792, boxes)], path="p.pdf",
                      sha256="0" * 64, kind="pdf")


def test_an_age_cell_gives_its_number() -> None:
    doc = _page([(60, "Name: X"), (250, "Age: 71 years"), (400, "Sex: Female")])
    assert doc.patient.age_years == 71.0
    assert doc.patient.sex == "F"


def test_a_threshold_sentence_for_age_is_no_age() -> None:
    doc = _page([(60, "Guideline treatment threshold for age: MOF 18.2%, hip 5.0% (not this "
                      "patient's risk).")])
    assert doc.patient.age_years is None


def test_the_age_a_letter_prints_is_read_when_the_header_gives_none() -> None:
    doc = _page([(60, "Referral notes: 79-year-old patient with back pain.")],
                [(60, "Intervention threshold for age: MOF 20.1%, hip 6.2%.")])
    assert doc.patient.age_years == 79.0


def test_both_sexes_printed_side_by_side_state_no_sex() -> None:
    """A form whose boxes were printed on another line: "Sex: F M" offers both."""
    doc = _page([(60, "Age:"), (200, "Sex: F M")], [(60, "____"), (200, "[ ] [ ]")])
    assert doc.patient.sex is None


def test_a_ticked_sex_box_after_an_age_on_one_line() -> None:
    assert _page([(60, "Age: 66 Sex: [ ] F [X] M")]).patient.sex == "M"
    assert _page([(60, "Age: 66 Sex: [X] F [ ] M")]).patient.sex == "F"
    assert _page([(60, "Age: 66 Sex: [ ] F [ ] M")]).patient.sex is None


def test_a_birth_date_label_written_with_points() -> None:
    doc = _page([(60, "D.O.B.: 14/03/1951"), (250, "Date of scan: 20/05/2024")])
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1951-03-14", "2024-05-20")
    assert doc.patient.age_years == 73.2  # derived: no age printed


def test_a_letter_sentence_dates_the_scan_of_a_printout() -> None:
    doc = _page([(60, "Thank you for referring this patient, seen after a DXA scan on "
                      "02/11/2023.")], [(60, "Clinic date: 30/11/2023")])
    assert doc.study.scan_date == "2023-11-02"


def test_a_birth_date_in_a_letter_line_without_a_colon() -> None:
    doc = _page([(60, "Date of scan: 20/05/2024")],
                [(60, "Re: X Y, DOB 14/03/1951, Hosp No 1234567")])
    assert (doc.patient.birth_date, doc.patient.age_years) == ("1951-03-14", 73.2)


def test_a_relative_born_in_a_year_gives_no_birth_date() -> None:
    doc = _page([(60, "Date of scan: 20/05/2024")], [(60, "Mother born 1930, hip fracture.")])
    assert doc.patient.birth_date is None
