"""SR history through the shared history reader (issue #13): free-text history items (clinical
history, indication, comments) and written values of fracture, therapy and menopausal-status
items are read as statements under their concept name, and coded answers meet them in one
merge. Every phrase class with its look-alike that must give null, on hand-built trees."""

from __future__ import annotations

import pytest

from dexa.contract import FractureHistory, Frax, ReportDocument, Therapy
from parsers import parse_bytes
from parsers.history import CONFLICT
from tests.conftest import assert_valid_report
from tests.synth import cases, sr
from tests.synth.sr import NO, YES, HeaderQuirks, code_item, container, num, text

CASE = cases.motivating_case()


def _read(*items, coded=(), **quirks: bool) -> ReportDocument:  # type: ignore[no-untyped-def]
    """A GE-style SR with one spine value and ``items`` in a history container."""
    children = [container("AP Spine", [container("L1-L4", [num("BMD", 0.9, "g/cm2")])]),
                container("Patient History", [*items, *coded])]
    data = sr._sr(CASE, sr.ENHANCED_SR, sr.concept("DXA Report"), children,
                  HeaderQuirks(**quirks))
    doc = parse_bytes(data, "t.dcm")
    assert_valid_report(doc.to_dict())
    return doc


def _fractures(doc: ReportDocument) -> tuple[bool | None, bool | None, bool | None]:
    fx = doc.fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Clinical History", "Prior right hip fracture in 2019 after a fall from standing "
                             "height.", (True, None, None)),
        ("Indication", "Postmenopausal woman. L1 compression fracture on radiograph.",
         (None, True, None)),
        ("Comments", "Low-trauma fracture of the distal radius in 2022.", (None, None, True)),
        ("Reason for Study", "Status post kyphoplasty at T12.", (None, True, None)),
        # clause boundaries: each clause keeps its own polarity
        ("Clinical History", "No hip fracture; L1 compression fracture in 2021.",
         (False, True, None)),
        # a fracture item holding words, not a bare answer
        ("History of hip fracture", "Right hip, 2019", (True, None, None)),
    ],
)
def test_a_written_history_item_states_fractures(name: str, value: str, expected: tuple) -> None:
    assert _fractures(_read(text(name, value))) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("Clinical History", "Denies fractures."),
     ("Indication", "Screening. No history of fracture."),
     ("Fracture History", "None"),
     ("Comments", "Negative for hip, spine or wrist fractures.")],
)
def test_a_blanket_denial_in_a_history_item_covers_every_key(name: str, value: str) -> None:
    assert _fractures(_read(text(name, value))) == (False, False, False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # FRAX results and risk wordings are not fractures
        ("Comments", "FRAX 10-year probability: major osteoporotic fracture 12%, "
                     "hip fracture 2.1%."),
        ("Impression", "Fracture risk is high; treatment reduces the risk of hip fracture."),
        # family history is a risk factor, not the patient's fracture
        ("Clinical History", "Mother had a hip fracture at 80."),
        ("Clinical History", "Family history: parental hip fracture."),
        # hypothetical and uncertain
        ("Comments", "If a vertebral fracture is suspected, consider VFA."),
        ("Findings", "Possible L2 compression fracture, cannot exclude artefact."),
        # not a fragility fracture (clinical-rules §0)
        ("Clinical History", "Wrist fracture in a motor vehicle accident in 2015."),
        # status not recorded
        ("Fracture History", "Not recorded"),
        ("History of vertebral fracture", "Unknown"),
        # a referral service, a comparison and a scan ID holding a keyword
        ("Clinical History", "Referred by the fracture liaison service."),
        ("Comments", "Compared with the prior hip scan of 03/2019 (scan ID HIPFX0319)."),
    ],
)
def test_look_alikes_in_history_items_state_no_fracture(name: str, value: str) -> None:
    assert _fractures(_read(text(name, value))) == (None, None, None)


def test_an_item_that_is_not_history_is_not_read() -> None:
    """A physician's name or an operator holding a keyword is no history item."""
    doc = _read(text("Referring Physician", "Dr Hip Fracture"),
                text("Operator", "Alendronate"))
    assert _fractures(doc) == (None, None, None)
    assert doc.therapy == Therapy()


def test_a_coded_answer_and_a_written_statement_that_disagree_give_null_and_a_warning() -> None:
    doc = _read(text("Clinical History", "Right hip fracture in 2019."),
                coded=[code_item("History of hip fracture", NO)])
    assert doc.fracture_history.hip is None
    assert f"{CONFLICT}:fracture_history.hip" in doc.warnings


def test_coded_answers_and_agreeing_text_both_count() -> None:
    doc = _read(text("Clinical History", "No prior vertebral fracture."),
                coded=[code_item("History of hip fracture", YES)])
    assert doc.fracture_history == FractureHistory(hip=True, vertebral=False)
    assert not [w for w in doc.warnings if w.startswith(CONFLICT)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Alendronate 70 mg weekly", Therapy(status="on_therapy",
                                             current="Alendronate 70 mg weekly")),
        ("None", Therapy(status="untreated")),
        # calcium and vitamin D alone count as untreated (clinical-rules §2)
        ("Calcium and vitamin D", Therapy(status="untreated")),
        # historical therapy: stopped is not current, nor a statement of no drug
        ("Previously on alendronate, stopped 2020.", Therapy()),
        ("Previously on alendronate, stopped 2020; nothing since.", Therapy(status="untreated")),
        ("Ibandronic acid 150 mg monthly", Therapy(status="on_therapy",
                                                   current="Ibandronic acid 150 mg monthly")),
        ("Not recorded", Therapy()),
        # a value naming no osteoporosis drug (clinical-rules §2) states no therapy
        ("Physiotherapy and exercise programme", Therapy()),
        # a hypothetical drug is no therapy
        ("Consider denosumab if BMD declines.", Therapy()),
    ],
)
def test_a_therapy_item_is_read_by_meaning(value: str, expected: Therapy) -> None:
    assert _read(text("Osteoporosis Therapy", value)).therapy == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Alendronate 2015-2020", Therapy()),  # ended: no current drug, no status
     ("Alendronate 2015-2020; nothing since", Therapy(status="untreated")),
     ("Alendronate 2018-2024", Therapy())],  # reaches the SR's scan year (2024): may go on
)
def test_a_course_of_years_states_no_current_drug(value: str, expected: Therapy) -> None:
    assert CASE.study.scan_date == "2024-03-14"
    assert _read(text("Medications", value)).therapy == expected


def test_therapy_in_a_history_item() -> None:
    doc = _read(text("Medications", "Denosumab 60 mg every 6 months since 2021."))
    assert doc.therapy.status == "on_therapy"
    assert doc.therapy.current == "Denosumab 60 mg every 6 months"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Menopausal Status", "Postmenopausal", "post"),
        ("Menopausal Status", "Peri-menopausal", "peri"),
        ("Menopausal Status", "Not recorded", None),
        ("Menopausal Status", "Unknown", None),
        ("Clinical History", "58-year-old postmenopausal woman.", "post"),
        ("Clinical History", "Premenopausal, regular menses.", "pre"),
        # a criterion, not the patient's status
        ("Comments", "WHO criteria apply to postmenopausal women.", None),
    ],
)
def test_menopausal_status_from_items(name: str, value: str, expected: str | None) -> None:
    assert _read(text(name, value)).patient.menopausal_status == expected


def test_a_coded_menopausal_status_is_read() -> None:
    doc = _read(code_item("Menopausal Status", sr.concept("Postmenopausal")))
    assert doc.patient.menopausal_status == "post"


def test_frax_written_in_a_comment_is_frax_not_a_fracture() -> None:
    doc = _read(text("Comments", "FRAX 10-year probability (with BMD): major osteoporotic "
                                 "fracture 12%, hip fracture 2.1%."))
    assert doc.frax == Frax(major_osteoporotic_pct=12.0, hip_pct=2.1, with_bmd=True)
    assert _fractures(doc) == (None, None, None)


def test_coded_frax_wins_over_a_written_one() -> None:
    coded = container("FRAX", [num("Major osteoporotic fracture", 20.0, "%"),
                               num("Hip fracture", 4.0, "%")])
    doc = _read(text("Comments", "10-year probability of hip fracture 2.1%."), coded=[coded])
    assert doc.frax is not None
    assert (doc.frax.major_osteoporotic_pct, doc.frax.hip_pct) == (20.0, 4.0)


def test_sex_from_a_history_item_only_where_the_header_has_none() -> None:
    """The header's typed PatientSex first; an empty one leaves the history item's wording
    ("68-year-old woman") to say it; a menopause word alone never does."""
    assert _read(text("Clinical History", "68-year-old woman, screening."),
                 empty_sex=True).patient.sex == "F"
    assert _read(text("Clinical History", "Postmenopausal, screening."),
                 empty_sex=True).patient.sex is None
    assert _read(text("Clinical History", "68-year-old woman, screening.")).patient.sex == \
        CASE.patient.sex


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        # a sentence that denies fractures is not a bare answer to the item's name
        ("Comment", "No prior fractures.", (False, False, False)),
        ("Comment", "No prior fractures. Screening.", (False, False, False)),
        ("Comment", "No prior study for comparison.", (None, None, None)),
        # a negation ends with its sentence, which may start with "s/p"
        ("Clinical History", "Never treated for osteoporosis. s/p left intertrochanteric femur "
                             "fracture after a fall from standing (2013).", (True, None, None)),
        ("Fracture History", "Fracture risk assessment requested.", (None, None, None)),
    ],
)
def test_sentences_of_a_comment_item(name: str, value: str, expected: tuple) -> None:
    assert _fractures(_read(text(name, value))) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("FHx: mother hip fx. Menopausal status unknown. Zoledronic acid 5 mg IV yearly; last "
      "infusion 2023.", Therapy(status="on_therapy", current="Zoledronic acid 5 mg IV yearly")),
     # the look-alikes: the family label's own clause, and a drug under it
     ("FHx: mother on alendronate. Menopausal status unknown.", Therapy()),
     ("Family history: mother took alendronate.", Therapy())],
)
def test_an_item_opening_with_a_family_label_covers_its_first_clause_only(
        value: str, expected: Therapy) -> None:
    """An indication whose value opens with "FHx:" reads as the same line of a text report
    ("INDICATION: FHx: mother hip fx. ..."): the label covers its own clause; the clauses
    after it are the indication's, the patient's."""
    doc = _read(text("Indication", value))
    assert doc.therapy == expected
    assert doc.fracture_history.hip is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("LMP 2017.", "post"),  # the SR's scan is 2024-03-14
     ("LMP 2023.", None),  # the year before the scan's: it may be a month before
     ("s/p TAH-BSO 2008.", "post"),
     ("s/p TAH, ovaries preserved.", None)],
)
def test_menopause_from_an_lmp_year_and_surgery_in_an_item(value: str,
                                                           expected: str | None) -> None:
    assert _read(text("Clinical History", value)).patient.menopausal_status == expected


@pytest.mark.parametrize("name", ["Parental history of hip fracture", "Mother hip fracture",
                                  "Family history of vertebral fracture"])
def test_a_relatives_coded_fracture_is_not_the_patients(name: str) -> None:
    assert _read(coded=[code_item(name, YES)]).fracture_history == FractureHistory()


def test_the_patients_coded_fracture_beside_a_relatives() -> None:
    doc = _read(coded=[code_item("Parental history of hip fracture", YES),
                       code_item("History of hip fracture", NO)])
    assert doc.fracture_history == FractureHistory(hip=False)


@pytest.mark.parametrize(
    ("answer", "with_bmd"),
    [("Yes - total hip BMD", True), ("No (clinical risk factors only)", False),
     ("Not recorded", None)],
)
def test_a_written_bmd_used_answer_in_a_frax_container(answer: str,
                                                       with_bmd: bool | None) -> None:
    coded = container("FRAX", [num("Major osteoporotic fracture", 15.0, "%"),
                               num("Hip fracture", 2.0, "%"), text("FRAX BMD used", answer)])
    doc = _read(coded=[coded])
    assert doc.frax is not None and doc.frax.with_bmd is with_bmd


@pytest.mark.parametrize(
    ("history", "fractures", "therapy"),
    [("Fractured proximal humerus, fall from standing, 2020. Takes denosumab 60 mg.",
      (None, None, True), Therapy(status="on_therapy", current="denosumab 60 mg")),
     # the look-alike: a relative's fracture and a drug to consider state nothing
     ("Mother had a hip fracture. Consider alendronate.", (None, None, None), Therapy())],
)
def test_the_headers_additional_patient_history(history: str, fractures: tuple,
                                                therapy: Therapy) -> None:
    """(0010,21B0) Additional Patient History, the request's clinical history in the DICOM
    header, is read by the shared history reader as a written history item."""
    import io

    import pydicom

    children = [container("AP Spine", [container("L1-L4", [num("BMD", 0.9, "g/cm2")])])]
    ds = pydicom.dcmread(io.BytesIO(sr._sr(CASE, sr.ENHANCED_SR, sr.concept("DXA Report"),
                                           children, HeaderQuirks())))
    ds.AdditionalPatientHistory = history
    out = io.BytesIO()
    ds.save_as(out)
    doc = parse_bytes(out.getvalue(), "t.dcm")
    assert_valid_report(doc.to_dict())
    assert _fractures(doc) == fractures
    assert doc.therapy == therapy
