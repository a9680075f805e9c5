"""The shared history reader (parsers.history): every phrase class with its look-alike that
must give null. Reports are written here from the notes and CONTRACT, one statement each."""

from __future__ import annotations

import pytest

from parsers.history import (
    CONFLICT,
    menopause_from_lmp,
    read_history,
    read_text_history,
    statements,
)
from parsers.history.findings import may_state_line


def _history(text: str):  # type: ignore[no-untyped-def]
    """The history of ``text``, read line by line with the readers' fast first test and
    without it: every test here also checks that the test leaves out nothing a reader reads."""
    history = read_text_history(text)
    assert history == read_history(statements(text))
    return history


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


@pytest.mark.parametrize(
    ("text", "fractures", "status"),
    [
        # a modifier binds to the closest target: the fracture's "prior" is not the drug's,
        # the drug's "not" is not the fracture's
        ("Prior vertebral fracture, on denosumab.", (None, True, None), "on_therapy"),
        ("Not on alendronate, hip fracture in 2019.", (True, None, None), "untreated"),
        ("No prior fractures, on alendronate 70 mg weekly.", (False, False, False),
         "on_therapy"),
    ],
)
def test_a_modifier_reaches_only_its_closest_target(text: str, fractures: tuple,
                                                   status: str) -> None:
    history = _history(text)
    fx = history.fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == fractures
    assert history.therapy.status == status


# --- therapy -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "status", "current"),
    [
        ("Current medications: alendronate 70 mg weekly.", "on_therapy",
         "alendronate 70 mg weekly"),
        ("On Prolia since 2021.", "on_therapy", "Prolia"),
        ("Current osteoporosis therapy: none", "untreated", None),
        ("No osteoporosis medication.", "untreated", None),
        # a drug stopped says nothing of the others (CONTRACT: untreated where the report
        # says no osteoporosis drug); with nothing after it, it does
        ("Previously on alendronate, stopped 2019.", None, None),
        ("Previously on alendronate, stopped 2019; not restarted.", "untreated", None),
        ("Previously on alendronate; currently untreated.", "untreated", None),
        ("Previously on risedronate, now on denosumab.", "on_therapy", "denosumab"),
        ("Takes calcium and vitamin D only.", "untreated", None),
        ("Never treated for osteoporosis.", "untreated", None),
        # INN "-ic acid" names and brands beside the "-ate" names
        ("Current therapy: ibandronic acid 150 mg monthly.", "on_therapy",
         "ibandronic acid 150 mg monthly"),
        ("Medications: Movymia (teriparatide) 20 mcg daily.", "on_therapy", "Movymia"),
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
     "Bisphosphonate-related osteonecrosis of the jaw was discussed.",
     "Previously on alendronate."],
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


# --- the per-line first test (read_text_history) ------------------------------------------

@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        # bare answers under labels that name no history word themselves
        ("Osteoporosis medication: none", "therapy", "untreated"),
        ("Osteoporosis: no", "therapy", "untreated"),
        ("Sex: F", "sex", "F"),
        ("Gender: M", "sex", "M"),
        ("Menopausal status: post", "menopausal_status", "post"),
        # a label, then the answer on the next line
        ("TREATMENT:\nNone", "therapy", "untreated"),
        # a label whose second clause completes a phrase with it
        ("Hip: normal. Fracture in 2019.", "fracture_history.hip", None),
    ],
)
def test_lines_without_a_history_word(text: str, field: str, expected: object) -> None:
    history = _history(text)
    value = history.therapy.status if field == "therapy" else (
        getattr(history.fracture_history, field.split(".")[1]) if "." in field
        else getattr(history, field))
    assert value == expected


def test_printout_rows_and_headers_are_left_out_but_keep_their_labels() -> None:
    """Table rows, names and dates give no statement; a section label before them still
    covers the lines under it (a family history stays the family's)."""
    text = ("Name: Quixote, Dulcinea\nRegion BMD T-score Z-score\nL1-L4 0.912 -2.2 -0.4\n"
            "Neck 0.701 -1.9 -0.8\nFamily history:\nMother 0.5\nhip fracture\n"
            "Comment: on alendronate 70 mg weekly")
    history = _history(text)
    assert history.fracture_history.hip is None
    assert history.therapy.current == "alendronate 70 mg weekly"
    kept = statements(text, keep=lambda label, line: "fracture" in line
                      or "alendronate" in line)
    assert [s.keyed for s in kept] == [" hip fracture ", " on alendronate 70 mg weekly "]
    assert kept[0].label == " family history "


def test_first_test_reads_the_line_as_written() -> None:
    """The readers' first test looks for a phrase's first word in the line as written: words
    joined by punctuation or a percent sign are still found, rows and names are left out."""
    for text, field, expected in (
            ("Hx: hip-fracture 2019", "hip", True),
            ("L1-L4 0.912 -2.2\nPrior vertebral fx (T12)", "vertebral", True),
            ("Comments: s/p vertebral fracture; on alendronate", "vertebral", True)):
        assert getattr(_history(text).fracture_history, field) is expected
    assert not may_state_line("", "L1-L4 0.912 -2.2 -0.4", ())
    assert not may_state_line("", "Neck 0.701 -1.9 -0.8 82%", ())
    assert may_state_line("", "Prior hip-fracture", ())
    assert may_state_line(" prior fracture ", "2019", ())  # the trigger is in the label
    assert not may_state_line(" referring physician ", "Dr Hip", ())


def test_first_test_not_asked_where_a_line_is_not_its_clause() -> None:
    """Under a label, a line of several clauses is cut as it is: each clause's whole (label and
    clause) is not the line's key, so the line's key cannot stand for them."""
    refuse = lambda label, line: False  # noqa: E731
    assert [s.keyed for s in statements("Hip: normal. Fracture in 2019.", keep=refuse)] == [
        " normal ", " fracture in 2019 "]
    assert statements("Hip: normal.", keep=refuse) == []
    assert statements("normal. Fracture in 2019.", keep=refuse) == []


def test_a_statement_read_again_gives_the_same_facts_in_a_history_of_its_own() -> None:
    """Findings are remembered per statement (statements come back report after report); each
    report still gets a history of its own, which its reader may change."""
    first = read_text_history("Fracture history: right hip fracture 2019\nOn alendronate")
    first.fracture_history.hip = None
    first.warnings.append("CHANGED")
    again = read_text_history("Fracture history: right hip fracture 2019\nOn alendronate")
    assert again.fracture_history.hip is True and again.therapy.current == "alendronate"
    assert again.warnings == []
    assert read_text_history("Fracture history: no hip fracture").fracture_history.hip is False


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("Menopausal status = postmenopausal", "menopausal_status", "post"),
    ("Age: 63   Sex: F   Therapy: alendronate", "sex", "F"),
    ("CLINICAL HISTORY:\nNo fractures; on alendronate", "therapy.current", "alendronate"),
    ("CLINICAL HISTORY:\n\u2022 postmenopausal \u2022 prior wrist fracture",
     "fracture_history.other_fragility", True),
    ("History:\n[x] hip fracture [ ] vertebral fracture", "fracture_history.hip", True),
    ("History:\n[x] hip fracture [ ] vertebral fracture", "fracture_history.vertebral", None),
    ("Comments | prior hip fracture | on denosumab", "fracture_history.hip", True),
])
def test_lines_of_several_clauses_are_read_whole_under_their_label(
        text: str, field: str, expected: object) -> None:
    """Clause marks (semicolons, bullets, checkboxes, pipes), ``=`` labels and cells of a line
    are found by the first test as by the full reading (``_history`` checks both)."""
    value: object = _history(text)
    for name in field.split("."):
        value = getattr(value, name)
    assert value == expected


def test_a_line_read_again_under_another_label_stands_under_that_label() -> None:
    """Cells are remembered with the section they stand under: the same line under a family
    history is the family's, under a clinical history the patient's."""
    line = "hip fracture at 70"
    assert _fractures(f"FAMILY HISTORY:\n{line}")[0] is None
    assert _fractures(f"CLINICAL HISTORY:\n{line}")[0] is True
    assert _fractures(f"FAMILY HISTORY:\n{line}")[0] is None
    long_line = "Feels well. " * 20 + "Prior hip fracture 2019."
    assert len(long_line) > 200 and _fractures(long_line)[0] is True  # read, not remembered
    assert [s.label for s in statements(f"Comment:\n{line}")] == [" comment "]
    assert [s.label for s in statements(f"Indication:\n{line}")] == [" indication "]


# --- issue 13, house styles: hip operations, FRAX risk-factor answers, LMP, year ranges ----

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("History: s/p R hip ORIF 2019.", (True, None, None)),
        ("Status post ORIF of the left femoral neck in 2020.", (True, None, None)),
        ("Right hip pinning 2018.", (True, None, None)),
        ("Status post left hip hemiarthroplasty for fracture.", (True, None, None)),  # once
        ("Dynamic hip screw for intertrochanteric fracture, 2021.", (True, None, None)),
        ("s/p L hip ORIF and R ankle ORIF.", (True, None, None)),
        # a denial of the other fractures takes no site of the operation
        ("s/p right hip ORIF 2019, no other fractures.", (True, False, False)),
        ("Right hip hemiarthroplasty for fracture, no other fractures.", (True, False, False)),
        ("Right hip ORIF 2019, wrist fracture 2015.", (True, None, True)),
    ],
)
def test_an_operation_of_a_hip_fracture_is_a_hip_fracture(
        text: str, expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["History: THR for OA.", "Status post total hip arthroplasty.",
     "Left hip hemiarthroplasty for osteoarthritis.", "Hip hemiarthroplasty for AVN.",
     "s/p right ankle ORIF 2018.", "s/p ORIF left femur 2015.", "Wrist ORIF 2017.",
     "ORIF 2019.", "No hip surgery; no hip ORIF.", "Hip ORIF after MVA 2010.",
     "Her mother had a hip ORIF."],
)
def test_look_alike_operations_state_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FRAX risk factors: prior fracture - no; parent fractured hip - yes; smoker - no",
         (False, False, False)),
        ("FRAX risk factors:\nprior fracture - no\nparental hip fracture - yes",
         (False, False, False)),
        ("FRAX risk factors: previous fracture - yes", (None, None, True)),
        ("Risk factors: prior hip fracture - yes", (True, None, None)),
        ("Fractures: none, denied.", (False, False, False)),  # one answer, twice: no choices
    ],
)
def test_a_risk_factor_list_answering_the_patients_prior_fracture(
        text: str, expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["FRAX risk factors: prior fracture, parental hip fracture, smoking",  # no answer
     "FRAX risk factors: parental hip fracture - yes",
     "FRAX risk factors: prior fracture - unknown",
     "FRAX risk factors: hip fracture 2.1%",
     "Family history: prior fracture - yes", "Recommendations: prior fracture - no",
     # a blank form's choices
     "FRAX risk factors: prior fracture (yes/no), parental hip fracture (yes/no)",
     "FRAX risk factors: prior fracture Y/N", "FRAX risk factors: prior fracture yes or no",
     "Prior fracture: yes / no", "Prior fracture: Y/N", "Hip fracture: Yes No"],
)
def test_risk_factor_items_that_state_no_fracture_of_the_patient(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "status"),
    [("LMP 2 years ago.", "post"), ("LMP: 10 years ago", "post"),
     ("Last menstrual period was 18 months ago.", "post"),
     ("History: 52 yo F, LMP a year ago.", "post"),
     ("LMP 3 months ago.", None), ("LMP 11 months ago.", None), ("LMP unknown.", None),
     ("Status post hysterectomy.", None), ("Mother's LMP 5 years ago.", None)],
)
def test_menopause_from_months_since_the_last_period(text: str, status: str | None) -> None:
    assert _history(text).menopausal_status == status


@pytest.mark.parametrize(
    ("text", "status", "current"),
    [
        # a closed course is no current drug, and says nothing of the others
        ("Alendronate 2015-2020.", None, None),
        ("Medications: risedronate 35 mg weekly 2012 to 2017.", None, None),
        ("Alendronate 2010-2015; nothing since.", "untreated", None),
        ("Currently on alendronate 2015-2024.", "on_therapy", "alendronate"),
        ("On alendronate since 2015.", "on_therapy", "alendronate"),
        ("Alendronate 2015-present.", "on_therapy", "Alendronate"),
        ("Alendronate since 2015, DXA 2020.", "on_therapy", "Alendronate"),
        ("Alendronate 70 mg weekly, scans 2019-2021 stable.", "on_therapy",
         "Alendronate 70 mg weekly"),  # the years are the scans'
        ("Alendronate 2015-2020, now on denosumab.", "on_therapy", "denosumab"),
        ("Alendronate 2015-2020, currently taking denosumab.", "on_therapy", "denosumab"),
        ("Currently taking alendronate 2015-2024.", "on_therapy", "alendronate"),
        # a switch still to come names no current drug, nor does the ended course
        ("Alendronate 2015-2020, to be switched to denosumab.", None, None),
        ("To be started on denosumab.", None, None),
    ],
)
def test_a_course_given_as_a_range_of_years(text: str, status: str, current: str | None) -> None:
    therapy = _history(text).therapy
    assert (therapy.status, therapy.current) == (status, current)


@pytest.mark.parametrize(
    ("scan_date", "status"),
    [("2026-03-02", None), ("2021-01-15", None),  # ended before the scan's year: no drug
     ("2020-11-30", None), ("2019-06-01", None),  # reaches the scan's year: may go on
     (None, None)],  # a course of years is no current drug, and says nothing of the others
)
def test_a_range_of_years_states_no_status_whatever_the_scans_year(
        scan_date: str | None, status: str | None) -> None:
    text = "Alendronate 2015-2020."
    history = read_text_history(text, scan_date=scan_date)
    assert history == read_history(statements(text), scan_date=scan_date)
    assert (history.therapy.status, history.therapy.current) == (status, None)


def test_a_stopped_course_and_nothing_since_is_untreated_whatever_the_scans_year() -> None:
    therapy = read_text_history("Alendronate 2015-2020, stopped; nothing since.",
                                scan_date="2020-05-01").therapy
    assert therapy.status == "untreated"
    assert read_text_history("Alendronate 2015-2020, stopped.").therapy.status is None


@pytest.mark.parametrize(
    ("text", "status", "current"),
    [
        ("Previously treated with denosumab; last injection March 2021.", None, None),
        ("Previously on zoledronic acid, last infusion 2019.", None, None),
        ("On denosumab; last injection March 2021.", "on_therapy", "denosumab"),  # the latest
        ("Denosumab, last injection 2 months ago.", "on_therapy", "Denosumab"),
        ("Previously on alendronate, last seen 2019.", None, None),  # no dose: past alone
        ("Previously on alendronate; last DXA 2019.", None, None),
    ],
)
def test_a_past_drugs_last_dose_ends_the_course(text: str, status: str | None,
                                                current: str | None) -> None:
    therapy = _history(text).therapy
    assert (therapy.status, therapy.current) == (status, current)


@pytest.mark.parametrize(
    ("value", "scan_date", "status"),
    [
        ("2023-01-15", "2024-06-01", "post"),  # 16 months: was "pre" (under two calendar years)
        ("2023-06-01", "2024-06-01", "post"),  # 12 months, both ends
        ("2023-06-02", "2024-06-01", None),  # under 12 months: pre or the transition
        ("2023-01-15", None, None),  # no scan date to measure it against
        ("18 months ago", None, "post"),  # was "pre" (no "years ago")
        ("a year ago", None, "post"),
        ("3 months ago", None, None),
        ("unknown", "2024-06-01", None),
    ],
)
def test_menopause_from_a_labelled_last_period(value: str, scan_date: str | None,
                                              status: str | None) -> None:
    assert menopause_from_lmp([value], scan_date, False) == status


# --- fracture readings of an independent writer's reports ----------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a proximal femur fracture named by its anatomic type is one hip fracture
        ("HISTORY: s/p left intertrochanteric femur fracture after a fall from standing (2023).",
         (True, None, None)),
        ("Subtrochanteric fracture of the right femur, 2020.", (True, None, None)),
        ("Neck of femur fracture 2018.", (True, None, None)),
        ("Femur neck fracture in 2019.", (True, None, None)),
        ("Proximal femur fracture after a trip and fall.", (True, None, None)),
        # look-alikes: the femoral shaft is not the hip; two fractures are two keys
        ("Femoral shaft fracture 2018.", (None, None, True)),
        ("Left femur fracture 2016.", (None, None, True)),
        ("Hip fracture 2019 and femoral shaft fracture 2021.", (True, None, True)),
    ],
)
def test_a_proximal_femur_fracture_is_a_hip_fracture_only(
        text: str, expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prior vert fx on VFA.", (None, True, None)),
        ("PMHx: HTN, hypothyroidism, Prior vert fx on VFA.", (None, True, None)),
        ("Prior VCF at T12.", (None, True, None)),
        ("Prior compression fx.", (None, True, None)),
        ("T12 wedge fracture.", (None, True, None)),
        ("No vert fx.", (None, False, None)),
        # a fracture without a site stays an other fragility fracture
        ("Prior fracture.", (None, None, True)),
    ],
)
def test_vertebral_abbreviations(text: str, expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the name of the examination is not a fracture of the patient
        "Vertebral fracture assessment (VFA) was performed.",
        "Vertebral Fracture Assessment: see separate report.",
        # a request, a risk or a hypothetical under a fracture label is no fracture
        "Fracture history: Fracture risk assessment requested; if osteoporotic, consider "
        "treatment.",
        "Fracture history: to assess fracture risk",
        "Prior fracture: risk of fracture to be assessed",
        # an operation or a disease that is no fracture's under a fracture label
        "Fracture history: s/p R total hip arthroplasty for osteoarthritis (2011).",
        "Fracture history: left total knee replacement",
        "Fracture history: right hip (osteoarthritis)",
        "Fracture history: hypertension",
    ],
)
def test_a_fracture_label_over_a_value_that_is_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fracture history: s/p hemiarthroplasty for femoral neck fracture",
         (True, None, None)),
        ("Fracture history: right hip (2019)", (True, None, None)),
        ("Prior fracture: 2019", (None, None, True)),
        ("Prior fracture: yes, 2019", (None, None, True)),
        ("Prior fracture: no, 2019 was a sprain", (False, False, False)),
        # a "no" before a site denies that site, not every fracture
        ("Fracture history: no hip", (False, None, None)),
        ("Fracture history: No hip. Wrist 2019.", (False, None, True)),
        ("Hip fracture: no (2019 was a wrist sprain)", (False, None, None)),
        ("Previous fracture: after a fall from standing 2015", (None, None, True)),
        ("Fracture history: s/p ORIF right ankle 2015", (None, None, True)),
    ],
)
def test_a_fracture_label_over_its_answer(text: str,
                                          expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negation ends with its sentence; the next may start with a lower-case "s/p"
        ("HISTORY: 69-year-old male. Never treated for osteoporosis. s/p left "
         "intertrochanteric femur fracture after a fall from standing (2013).",
         (True, None, None)),
        ("No falls. h/o wrist fracture 2020.", (None, None, True)),
        ("Mother had early menopause. s/p L1 kyphoplasty 2023.", (None, True, None)),
        # a relative's scope ends with the list item that names them
        ("PMHx: HTN, hypothyroidism, Mother had early menopause, Low-trauma distal radius "
         "fracture 2023.", (None, None, True)),
        ("Hip fracture 2019, Mother with osteoporosis.", (True, None, None)),
        # look-alikes: within one item or sentence the scope holds
        ("Mother had a hip fracture, and osteoporosis.", (None, None, None)),
        ("Family history of osteoporosis, hip fracture.", (None, None, None)),
        ("Mother had early menopause and a hip fracture.", (None, None, None)),
        ("No hip fracture. no vertebral fracture.", (False, False, None)),
        ("Never treated for osteoporosis. pts mother had a hip fracture.", (None, None, None)),
    ],
)
def test_a_scope_ends_with_its_sentence_or_list_item(
        text: str, expected: tuple[bool | None, ...]) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Clinical History: No prior fractures.", "HISTORY: No prior fractures.",
     "HISTORY: No previous fractures.", "Comment: No prior fractures. Routine screening.",
     "Indication: No known fractures."],
)
def test_a_sentence_under_a_history_label_is_not_a_bare_answer(text: str) -> None:
    assert _fractures(text) == (False, False, False)


@pytest.mark.parametrize(
    "text",
    ["Clinical History: No prior study for comparison.", "HISTORY: No prior DXA.",
     "Clinical History: None."],
)
def test_a_denial_of_something_else_under_a_history_label(text: str) -> None:
    assert _fractures(text) == (None, None, None)
