"""History in vendor printouts (issue #13): indication, history and comment lines and header
rows of Hologic and GE pages, built in code, read by the shared history reader. Every phrase
class with its look-alike that must give null; each printout also carries its FRAX box
("Hip Fracture 5.1%"), which must never become a fracture."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from dexa.contract import ReportDocument, Therapy
from parsers import parse_bytes
from parsers.history import CONFLICT
from parsers.pdf import PageWords, read_pages
from tests.conftest import assert_valid_report
from tests.synth import cases
from tests.synth.pdf import ge_pdf, hologic_pdf

HOLOGIC = cases.osteoporosis_case()
GE = cases.motivating_case()


def _hologic(*history: str, comment: str = "") -> ReportDocument:
    doc = parse_bytes(hologic_pdf(HOLOGIC, comment=comment, history=history), "h.pdf")
    assert_valid_report(doc.to_dict())
    assert doc.measurements  # the printout is still read as a vendor layout
    return doc


def _ge(comments: Sequence[str] = (), indications: str = "") -> ReportDocument:
    doc = parse_bytes(ge_pdf(GE, comments=comments, indications=indications), "g.pdf")
    assert_valid_report(doc.to_dict())
    assert doc.measurements
    return doc


def _fractures(doc: ReportDocument) -> tuple[bool | None, bool | None, bool | None]:
    fx = doc.fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility


def test_a_printout_without_history_lines_states_no_history() -> None:
    """The FRAX box ("Hip Fracture 5.1%"), the WHO line and the header state no fracture,
    therapy or menopausal status."""
    for doc in (_hologic(), _ge()):
        assert doc.frax is not None
        assert _fractures(doc) == (None, None, None)
        assert doc.therapy == Therapy()
        assert doc.patient.menopausal_status is None


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Indication: Prior right hip fracture in 2019 after a fall from standing height."],
         (True, None, None)),
        (["History: L1 compression fracture."], (None, True, None)),
        (["History: Low-trauma fracture of the distal radius in 2022."], (None, None, True)),
        # clause boundaries
        (["History: No hip fracture; T12 vertebral fracture in 2021."], (False, True, None)),
        # negation and a blanket denial
        (["History: Denies fractures."], (False, False, False)),
        (["Indication: Screening. No history of fracture."], (False, False, False)),
    ],
)
def test_hologic_history_lines(lines: list[str], expected: tuple) -> None:
    assert _fractures(_hologic(*lines)) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["History: Mother had a hip fracture."],  # family: a risk factor, not hers
        ["Indication: Rule out vertebral fracture."],  # hypothetical
        ["History: Possible L2 compression fracture."],  # uncertain
        ["History: Wrist fracture in a motor vehicle accident."],  # trauma: not fragility
        ["Fracture history: not recorded"],  # status not recorded
        ["Comparison: hip scan 03/2019, scan ID HIPFX0319."],  # a comparison and a scan ID
        ["Referred by: Fracture Liaison Service"],  # a name holding a keyword
    ],
)
def test_hologic_look_alikes_state_no_fracture(lines: list[str]) -> None:
    assert _fractures(_hologic(*lines)) == (None, None, None)


def test_the_scan_information_comment_is_read() -> None:
    assert _fractures(_hologic(comment="Prior vertebral fracture")) == (None, True, None)


def test_contradicting_lines_give_null_and_a_warning() -> None:
    doc = _hologic("History: Right hip fracture in 2019.", "Hip fracture: No")
    assert doc.fracture_history.hip is None
    assert f"{CONFLICT}:fracture_history.hip" in doc.warnings


@pytest.mark.parametrize(
    ("comments", "expected"),
    [
        (["Current therapy: alendronate 70 mg weekly."],
         Therapy(status="on_therapy", current="alendronate 70 mg weekly")),
        (["Previously on alendronate, stopped in 2020."], Therapy()),  # no status
        (["Previously on alendronate, stopped in 2020; not restarted."],
         Therapy(status="untreated")),
        (["No osteoporosis treatment."], Therapy(status="untreated")),
        (["Calcium and vitamin D supplements only."], Therapy(status="untreated")),
        # supplements taken, not said to be the only therapy: other drugs may be taken
        (["Takes calcium and vitamin D supplements."], Therapy()),
        (["Consider denosumab if BMD declines."], Therapy()),  # hypothetical
        (["Medications: not recorded"], Therapy()),
    ],
)
def test_ge_comment_lines_state_therapy(comments: list[str], expected: Therapy) -> None:
    assert _ge(comments).therapy == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [("Alendronate 2015-2020.", Therapy()),  # ended: no current drug, no status
     ("Alendronate 2015-2020; nothing since.", Therapy(status="untreated")),
     ("Alendronate 2018-2024.", Therapy())],  # reaches the scan's year (2024): may go on
)
def test_a_course_of_years_is_read_against_the_printouts_scan_date(
        comment: str, expected: Therapy) -> None:
    assert GE.study.scan_date == "2024-03-14"
    assert _ge([comment]).therapy == expected


@pytest.mark.parametrize(
    ("indications", "expected"),
    [
        ("Postmenopausal, estrogen deficiency", "post"),
        ("Perimenopausal, irregular menses", "peri"),
        ("Menopausal status not recorded", None),
        ("Screening", None),
    ],
)
def test_ge_indications_header_row_states_menopause(indications: str,
                                                    expected: str | None) -> None:
    assert _ge(indications=indications).patient.menopausal_status == expected


def test_ge_indications_row_with_a_fracture() -> None:
    doc = _ge(indications="Prior vertebral fracture, on denosumab")
    assert _fractures(doc) == (None, True, None)
    assert doc.therapy.status == "on_therapy"


# --- pages read by OCR: the same reader through the PDF reader's OCR seam ----------------------

_TABLE = [("Region", 40, 100, 70, 106), ("BMD", 150, 100, 166, 106),
          ("T-score", 200, 100, 230, 106), ("Z-score", 260, 100, 290, 106),
          ("Neck", 40, 112, 60, 118), ("0.712", 150, 112, 172, 118), ("-2.1", 200, 112, 218, 118),
          ("-1.0", 260, 112, 278, 118), ("Left Femur Bone Density", 40, 80, 140, 86)]


def _page(*lines: str) -> ReportDocument:
    """A page of words as the OCR layer hands them over: a results table and ``lines``."""
    boxes = list(_TABLE)
    for n, line in enumerate(lines):
        x = 40.0
        for word in line.split():
            boxes.append((word, x, 300 + 12 * n, x + 4.5 * len(word), 306 + 12 * n))
            x += 4.5 * len(word) + 4
    return read_pages([PageWords.from_boxes(612, 792, boxes)], path="p.png", sha256="0" * 64)


def test_ocr_page_history_lines() -> None:
    doc = _page("History: Prior vertebral fracture. Mother had a hip fracture.",
                "FRAX 10-year probability: Hip fracture 2.1%")
    assert _fractures(doc) == (None, True, None)
    assert doc.frax is not None and doc.frax.hip_pct == 2.1


def test_ocr_page_denial_and_therapy() -> None:
    doc = _page("Indication: No history of fracture. Previously on alendronate, stopped 2020, "
                "not restarted.")
    assert _fractures(doc) == (False, False, False)
    assert doc.therapy == Therapy(status="untreated")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["History: No prior fractures."], (False, False, False)),
        (["Fracture history: s/p R total hip arthroplasty for osteoarthritis (2011)."],
         (None, None, None)),
        (["Fracture history: right hip (2019)"], (True, None, None)),
        (["History: Prior vert fx on VFA."], (None, True, None)),
    ],
)
def test_hologic_fracture_lines_of_an_independent_writer(lines: list[str],
                                                         expected: tuple) -> None:
    assert _fractures(_hologic(*lines)) == expected


@pytest.mark.parametrize(
    ("line", "status", "current", "menopause"),
    [("Indication: Intolerant of oral bisphosphonates (GI upset).", None, None, None),
     ("Indication: Intolerant of alendronate; now on Prolia.", "on_therapy", "Prolia", None),
     ("History: Not on any bone-active medication.", "untreated", None, None),
     ("History: Not on any medication for blood pressure.", None, None, None),
     ("History: s/p TAH-BSO 2008.", None, None, "post"),
     ("History: mother s/p BSO.", None, None, None),
     ("History: LMP 2017.", None, None, "post"),  # the printout's scan is 2024-11-05
     ("History: LMP 2024.", None, None, None)],
)
def test_status_wordings_in_a_printout(line: str, status: str | None, current: str | None,
                                       menopause: str | None) -> None:
    doc = _hologic(line)
    assert (doc.therapy.status, doc.therapy.current, doc.patient.menopausal_status) == (
        status, current, menopause)


@pytest.mark.parametrize(
    ("lines", "status"),
    [(["MP age: 47"], "post"),  # GE: an age at menopause printed
     (["MP age: -"], None),  # the same label left blank
     (["Comment: Menopausal status: Peri."], "peri"),  # the label's answer, not its word
     (["History: menopausal status: N/A"], None),
     (["History: ?perimenopausal"], None)],  # queried
)
def test_printout_menopause_lines(lines: list[str], status: str | None) -> None:
    assert _hologic(*lines).patient.menopausal_status == status


@pytest.mark.parametrize(
    ("reason", "age"),
    [("Reason for study: 59 y/o F.", 59.0), ("Reason for study: Man aged 76.", 76.0),
     ("Reason for study: osteopenia on a previous scan.", None)],
)
def test_a_printout_without_an_age_field_takes_the_age_its_history_line_prints(
        reason: str, age: float | None) -> None:
    from parsers.pdf import read_pdf
    from tests.synth.pdf import lines_pdf
    lines = ["BONE DENSITOMETRY  Exam: 25/01/2024", reason, "Findings:",
             "Site                  BMD (g/cm2)   T-score   Z-score",
             "Left femoral neck     0.489         -3.1      -2.0",
             "Left total hip        0.599         -2.8      -1.3"]
    report = read_pdf(lines_pdf(lines), path="ris.pdf", sha256="0")
    assert report.measurements and report.patient.age_years == age
