"""The shared history reader (parsers.history): every phrase class with its look-alike that
must give null. Reports are written here from the notes and CONTRACT, one statement each."""

from __future__ import annotations

import pytest

from parsers.history import CONFLICT, read_history, statements


def _history(text: str):  # type: ignore[no-untyped-def]
    return read_history(statements(text))


def _fractures(text: str) -> tuple[bool | None, bool | None, bool | None]:
    fx = _history(text).fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility


# --- fracture history ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HISTORY: Prior right hip fracture in 2019.", (True, None, None)),
        ("Indication: L1 compression fracture.", (None, True, None)),
        ("History of a wrist fracture after a fall from standing height.", (None, None, True)),
        ("Status post kyphoplasty at T12.", (None, True, None)),
        ("Low-trauma fracture of the distal radius.", (None, None, True)),
        ("History of fragility fracture.", (None, None, True)),
        ("Prior wrist fracture, no hip fracture.", (False, None, True)),
        ("Hip fracture: yes", (True, None, None)),
        ("Vertebral fracture: no", (None, False, None)),
        ("Previous fracture: hip (2019)", (True, None, None)),
    ],
)
def test_stated_fractures(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["No history of fracture.", "Denies fractures.", "Fracture history: none",
     "Fracture history: no prior fractures.", "Previous fragility fracture: No",
     "Personal history of fracture: denies hip, vertebral or other fragility fractures.",
     "Negative for hip, spine or wrist fractures."],
)
def test_a_blanket_denial_covers_every_key(text: str) -> None:
    assert _fractures(text) == (False, False, False)


def test_a_site_stated_outranks_a_blanket_denial() -> None:
    assert _fractures("Prior hip fracture in 2018. No other fractures.") == (True, False, False)
    assert _fractures("History of hip fracture. No other fragility fracture.") == (
        True, None, False)


@pytest.mark.parametrize(
    "text",
    [
        # printed FRAX results and risk wordings are not fractures
        "FRAX 10-year probability: major osteoporotic fracture 12%, hip fracture 2.1%",
        "Hip fracture: 2.1 %",
        "The 10-year probability of a hip fracture is 1.6%.",
        "Fracture Risk: Increased",
        "Treatment reduces the risk of hip fracture.",
        # family history is a FRAX risk factor, not the patient's fracture
        "Family history: mother had a hip fracture.",
        "Parental hip fracture.",
        "Her father fractured his hip at 80.",
        # hypothetical and uncertain mentions
        "If a vertebral fracture is suspected, consider VFA.",
        "Possible L2 compression fracture.",
        "Cannot exclude a vertebral fracture.",
        "Rule out hip fracture.",
        # legends, checkboxes, definitions, status unknown
        "[ ] prior hip fracture  [ ] parent fractured hip  [ ] smoker",
        "Risk factors: prior fracture, parental hip fracture, smoking, glucocorticoids",
        "Severe osteoporosis: osteoporosis with one or more fragility fractures.",
        "Fracture history: unknown",
        "Fracture history: not recorded",
        # names and titles that contain a keyword
        "Referring physician: Dr Hip",
        "Referred by the Fracture Liaison Service.",
        "Fracture clinic follow-up.",
        # not fragility fractures (clinical-rules §0)
        "Hip fracture in a motor vehicle accident.",
        "Pathological vertebral fracture from metastasis.",
        "Toe fracture last year.",
        "Wrist fracture at age 12.",
    ],
)
def test_look_alikes_state_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


def test_ticked_checkbox_is_stated() -> None:
    assert _fractures("[x] prior hip fracture  [ ] parent fractured hip") == (True, None, None)


def test_contradicting_statements_give_null_and_a_warning() -> None:
    history = _history("Prior hip fracture.\nHip fracture: no")
    assert history.fracture_history.hip is None
    assert f"{CONFLICT}:fracture_history.hip" in history.warnings


# --- therapy -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "status", "current"),
    [
        ("Current medications: alendronate 70 mg weekly.", "on_therapy",
         "alendronate 70 mg weekly"),
        ("On Prolia since 2021.", "on_therapy", "Prolia"),
        ("Current osteoporosis therapy: none", "untreated", None),
        ("No osteoporosis medication.", "untreated", None),
        ("Previously on alendronate, stopped 2019.", "untreated", None),
        ("Previously on alendronate; currently untreated.", "untreated", None),
        ("Previously on risedronate, now on denosumab.", "on_therapy", "denosumab"),
        ("Takes calcium and vitamin D only.", "untreated", None),
        ("Never treated for osteoporosis.", "untreated", None),
    ],
)
def test_therapy(text: str, status: str, current: str | None) -> None:
    therapy = _history(text).therapy
    assert (therapy.status, therapy.current) == (status, current)


@pytest.mark.parametrize(
    "text",
    ["RECOMMENDATIONS: Consider alendronate.", "Bisphosphonate therapy could be considered.",
     "If FRAX is above threshold, denosumab is recommended.",
     "Postmenopausal estrogen deficiency.", "Estrogen receptor positive breast cancer.",
     "Her mother takes alendronate.", "Therapy: unknown",
     "Bisphosphonate-related osteonecrosis of the jaw was discussed."],
)
def test_look_alikes_state_no_therapy(text: str) -> None:
    assert _history(text).therapy.status is None


def test_a_drug_and_a_stated_untreated_conflict() -> None:
    history = _history("On alendronate.\nCurrent osteoporosis therapy: none")
    assert history.therapy.status is None
    assert f"{CONFLICT}:therapy" in history.warnings


# --- menopausal status ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "status"),
    [("68-year-old postmenopausal woman.", "post"), ("Status: post-menopausal", "post"),
     ("Menopause: Postmenopausal", "post"), ("Menopausal status: peri", "peri"),
     ("47 years old peri-menopausal Woman.", "peri"), ("Premenopausal, regular menses.", "pre"),
     ("Menopause at age 50.", "post")],
)
def test_menopause(text: str, status: str) -> None:
    assert _history(text).menopausal_status == status


@pytest.mark.parametrize(
    "text",
    ["Menopausal status: not recorded", "Menopausal status: unknown",
     "WHO criteria apply to postmenopausal women and men over 50.",
     "T-scores are used in postmenopausal women.", "Not postmenopausal."],
)
def test_look_alikes_state_no_menopause(text: str) -> None:
    assert _history(text).menopausal_status is None


# --- sex -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "sex"),
    [("Sex: Female", "F"), ("Gender: M", "M"), ("CLINICAL DATA: 83 years old Male", "M"),
     ("HISTORY: 68-year-old woman for screening.", "F"), ("72 y/o M with back pain", "M")],
)
def test_sex_stated(text: str, sex: str) -> None:
    assert _history(text).sex == sex


@pytest.mark.parametrize(
    "text",
    ["Postmenopausal.", "She reports back pain.", "Mrs Smith attended.",
     "T-score vs. White Female. Source: NHANES White Female.",
     "WHO criteria apply to postmenopausal women.", "Referring physician: Dr. Man"],
)
def test_sex_is_never_inferred(text: str) -> None:
    assert _history(text).sex is None


def test_evidence_is_the_clause() -> None:
    history = _history("INDICATION: Screening.\nPrior hip fracture in 2019.")
    assert history.evidence["fracture_history.hip"] == "Prior hip fracture in 2019"
