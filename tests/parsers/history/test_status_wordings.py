"""Therapy, menopause, sex and FRAX-with-BMD wordings of the shared history reader: a drug the
patient cannot or will not take, untreated wordings (and generic ones about other drugs),
surgical menopause, a menopausal status as one item of a list, a last menstrual period given
as a year, a sex written as "female patient" or with the age ("85F"), and "(BMD used)". Each
with the look-alikes that must give null."""

from __future__ import annotations

import pytest

from dexa.contract import Therapy
from parsers.history import read_frax, read_history, read_text_history, statements


def _history(text: str, scan_date: str | None = "2024-06-01"):  # type: ignore[no-untyped-def]
    history = read_text_history(text, scan_date=scan_date)
    assert history == read_history(statements(text), scan_date=scan_date)
    return history


# --- a drug not taken ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Intolerant of oral bisphosphonates (GI upset).",
     "History: allergic to alendronate.",
     "Could not tolerate risedronate.",
     "Patient declined denosumab.",
     "Refused zoledronic acid.",
     "Oral bisphosphonates contraindicated.",
     "Alendronate intolerance."],
)
def test_a_drug_not_taken_is_neither_current_nor_untreated(text: str) -> None:
    """Intolerance, allergy, contraindication, refusal: the patient does not take that drug,
    which says nothing of any other (no "untreated" either)."""
    assert _history(text).therapy == Therapy()


@pytest.mark.parametrize(
    ("text", "current"),
    [("Intolerant of alendronate; now on Prolia.", "Prolia"),
     ("Declined zoledronic acid. Takes alendronate 70 mg weekly.", "alendronate 70 mg weekly"),
     # the look-alike: a drug taken, with another word of the class elsewhere
     ("On alendronate 70 mg weekly; no known drug allergies.", "alendronate 70 mg weekly")],
)
def test_the_drug_taken_beside_one_not_taken_is_current(text: str, current: str) -> None:
    therapy = _history(text).therapy
    assert (therapy.status, therapy.current) == ("on_therapy", current)


# --- untreated -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Medications: Not on any bone-active medication.",
     "Calcium and vitamin D only; no prescription osteoporosis medication.",
     "Calcium and vitamin D only.",
     "No osteoporosis meds.",
     "Not on any medication for osteoporosis.",
     "Medications: calcium 600 mg, vitamin D 1000 IU daily"],
)
def test_untreated_wordings(text: str) -> None:
    assert _history(text).therapy.status == "untreated"


@pytest.mark.parametrize(
    "text",
    ["Not on any medication for blood pressure.",
     "No treatment for hypertension.",
     # supplements taken say nothing of other drugs unless they are the only ones
     "Takes calcium and vitamin D3 daily.",
     "Meds: levothyroxine, lisinopril, calcium carbonate."],
)
def test_look_alikes_of_untreated_state_no_status(text: str) -> None:
    assert _history(text).therapy == Therapy()


# --- menopause -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["PMHx: HTN, hypothyroidism, s/p TAH-BSO 2008, Family history: father with hip fracture.",
     "Gyn history: s/p TAH-BSO 2015.",
     "Bilateral oophorectomy at 44.",
     "Surgical history: hysterectomy with BSO.",
     "PMHx: HTN, hypothyroidism, post menopausal, Evaluate fracture risk.",
     "HISTORY: 65 y/o woman. No prescription osteoporosis medication. post menopausal."],
)
def test_stated_postmenopausal(text: str) -> None:
    assert _history(text).menopausal_status == "post"


@pytest.mark.parametrize(
    "text",
    ["s/p TAH, ovaries preserved.",
     "Hysterectomy 2010.",
     "Left oophorectomy 2012.",
     "Unilateral salpingo-oophorectomy for a cyst.",
     "Mother s/p BSO.",
     "BSO planned for next year.",
     "BSO scheduled.",
     "PMHx: HTN, not postmenopausal.",
     "Fracture risk in postmenopausal women."],
)
def test_look_alikes_of_surgical_or_listed_menopause_state_nothing(text: str) -> None:
    assert _history(text).menopausal_status is None


@pytest.mark.parametrize(
    ("text", "scan_date", "status"),
    [("INDICATION: 88F; LMP 2017; back pain.", "2024-06-01", "post"),
     ("LMP: 03/2016", "2018-01-10", "post"),
     ("History: LMP 2022.", "2024-01-05", "post"),
     # the year before the scan's: the period may be a month before it
     ("History: LMP 2023.", "2024-01-05", None),
     ("LMP in 2024.", "2024-06-01", None),
     # no scan date to measure it against
     ("LMP 2017.", None, None),
     ("Mother's LMP 2010.", "2024-06-01", None)],
)
def test_an_lmp_year_is_post_two_years_before_the_scan(
        text: str, scan_date: str | None, status: str | None) -> None:
    assert _history(text, scan_date).menopausal_status == status


# --- sex -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "sex"),
    [("INDICATION: Female patient; menopause at 52.", "F"),
     ("Patient: Male patient", "M"),
     ("History: a 67-year-old female patient with back pain.", "F"),
     ("REASON FOR EXAM: 85F, c/o back pain.", "F"),
     ("INDICATION: 61 F; screening.", "F"),
     ("REASON FOR EXAM: 87M, screening.", "M"),
     ("INDICATION: 50 yo F; LMP 2017.", "F")],
)
def test_stated_sex(text: str, sex: str) -> None:
    assert _history(text).sex == sex


@pytest.mark.parametrize(
    "text",
    ["T-scores compared with the Caucasian Women reference database.",
     "Female reference database.",
     "Sex: M/F",
     "F/U in 2 years.",
     "INDICATION: 5F catheter in situ.",
     "Temperature 98.6F.",
     "Vertebra T12 M",
     "Referred by Dr Smith, a male physician.",
     "Sex:",
     "Women's Health Clinic",
     "Postmenopausal; she reports back pain.",
     "INDICATION: Mother, female patient of this clinic, had a hip fracture."],
)
def test_look_alikes_of_sex_state_nothing(text: str) -> None:
    assert _history(text).sex is None


# --- FRAX with BMD -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "with_bmd"),
    [("FRAX: 10-yr risk of major osteoporotic fx 22.6%, hip fx 6.7% (BMD used).", True),
     ("FRAX 10-year probability: major osteoporotic 12%, hip 2% (BMD not used).", False),
     ("FRAX 10-year probability (BMD used: no): major osteoporotic 12%, hip 2%.", False),
     ("FRAX 10-year probability: major osteoporotic 12%, hip 2%.", None)],
)
def test_frax_with_bmd(text: str, with_bmd: bool | None) -> None:
    frax = read_frax([text])
    assert frax is not None and frax.with_bmd is with_bmd


# --- composed untreated wordings, corrections, mixed risk-factor headings --------------------

@pytest.mark.parametrize(
    "text",
    ["No current osteoporosis therapy.", "Not on any bone-protective medication.",
     "No prior anti-resorptive treatment.", "Not currently taking any prescribed bone medicines.",
     "Are you taking any medicines for your bones? No current osteoporosis therapy."],
)
def test_an_untreated_statement_composed_of_its_parts(text: str) -> None:
    assert _history(text).therapy == Therapy(status="untreated")


@pytest.mark.parametrize(
    "text",
    ["Not on any medication for blood pressure.", "No bone pain.",
     "No current bone density scan for comparison.",
     "Mother not on any osteoporosis medication.",
     "If not on any bone-protective medication, consider alendronate."],
)
def test_a_look_alike_of_a_composed_untreated_statement_states_no_status(text: str) -> None:
    assert _history(text).therapy == Therapy()


def test_a_correction_outranks_the_body_of_the_report() -> None:
    text = ("INDICATION: Osteoporosis treatment: alendronate. No fractures.\n\nADDENDUM:\n"
            "Correction to medication history: the patient is currently receiving denosumab.")
    therapy = _history(text).therapy
    assert (therapy.status, therapy.current) == ("on_therapy", "denosumab")
    amended = _history("HISTORY: On alendronate.\nAmended: not on any osteoporosis medication.")
    assert amended.therapy == Therapy(status="untreated")
    # without a correction, two statements of one strength that disagree stay a conflict
    plain = _history("HISTORY: On alendronate.\nMedications: not on any osteoporosis medication.")
    assert plain.therapy == Therapy() and "HISTORY_CONFLICT:therapy" in plain.warnings


def test_a_risk_factor_heading_that_names_the_history_section_heads_the_patients_history() -> None:
    text = ("Clinical details / risk factors:\n- Proximal humerus fracture 2015, tripped.\n"
            "- No prior osteoporosis treatment.")
    history = _history(text)
    assert history.fracture_history.other_fragility is True
    assert history.therapy == Therapy(status="untreated")
    # a FRAX form's list of factors, and a relative's, stay nobody's
    legend = _history("FRAX risk factors: prior fracture, parental hip fracture, glucocorticoids")
    assert legend.fracture_history.other_fragility is None
    assert _history("Clinical details / risk factors: mother hip fracture").fracture_history \
        .hip is None


@pytest.mark.parametrize(
    ("text", "with_bmd"),
    [("FRAX UK, BMD-adjusted: MOF 23.2% / Hip 10.6%.", True),
     ("FRAX (not BMD adjusted): MOF 3.0%, hip 1.0%", False),
     ("FRAX (not adjusted for BMD): MOF 3.0%, hip 1.0%", False),
     ("FRAX: MOF 3.0%, hip 1.0%", None)],
)
def test_a_bmd_adjusted_frax(text: str, with_bmd: bool | None) -> None:
    frax = read_frax([text])
    assert frax is not None and frax.with_bmd is with_bmd


@pytest.mark.parametrize(
    "text",
    ["10-Year Fracture Risk (FRAX)\nMajor Osteoporotic Fracture -\nHip Fracture -",
     "Hip Fracture  --", "Vertebral fracture -"],
)
def test_a_label_whose_value_is_a_dash_states_nothing(text: str) -> None:
    fx = _history(text).fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hip fracture - 2019 after a fall", (True, None, None)),
     ("Wrist fracture - 2019", (None, None, True))],
)
def test_a_dash_between_a_fracture_and_its_details_is_no_empty_value(
        text: str, expected: tuple[bool | None, ...]) -> None:
    fx = _history(text).fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == expected


@pytest.mark.parametrize(
    ("text", "sex"),
    [("Sex: M [ ]  F [x]", "F"), ("Sex: M [x]  F [ ]", "M"), ("Sex: [ ] M  [x] F", "F"),
     ("Gender: Male [ ] Female [x]", "F"), ("Sex: M [ ] F [ ]", None)],
)
def test_a_tick_box_after_its_item_ticks_that_item(text: str, sex: str | None) -> None:
    assert _history(text).sex == sex


def test_a_fracture_item_with_its_box_after_it() -> None:
    assert _history("Previous hip fracture [x]").fracture_history.hip is True
    assert _history("Previous hip fracture [ ]").fracture_history.hip is None


@pytest.mark.parametrize(
    ("text", "status", "current"),
    [("HRT 2005-2015, no bone medication since.", "untreated", None),
     ("Alendronate 2010-2015; nothing since.", "untreated", None),
     ("On HRT since 2015.", "on_therapy", "HRT"),  # since a date: still taken
     ("Denosumab since 2019.", "on_therapy", "Denosumab")],
)
def test_since_then_is_no_current_course(text: str, status: str, current: str | None) -> None:
    assert _history(text).therapy == Therapy(status=status, current=current)


@pytest.mark.parametrize(
    ("text", "fractures", "status"),
    [("Nil previous low-trauma fractures.", (False, False, False), None),
     ("Nil fractures.", (False, False, False), None),
     ("Nil bone medication.", (None, None, None), "untreated"),
     ("Nil by mouth. Hip fracture 2019.", (True, None, None), None)],
)
def test_nil_denies(text: str, fractures: tuple[bool | None, ...], status: str | None) -> None:
    history = _history(text)
    fx = history.fracture_history
    assert ((fx.hip, fx.vertebral, fx.other_fragility), history.therapy.status) \
        == (fractures, status)


def test_an_addendum_heading_with_its_date_corrects_what_follows() -> None:
    text = ("HISTORY: Previous hip fracture.\n"
            "ADDENDUM (26/08/2024): History corrected: the hip fracture was sustained by the "
            "patient's mother. The patient has had no fractures.")
    fx = _history(text).fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == (False, False, False)
    # without the correction the body's own hip fracture stands over a blanket denial
    body = _history("HISTORY: Previous hip fracture. The patient has had no other fractures.")
    assert body.fracture_history.hip is True


@pytest.mark.parametrize(
    ("text", "status", "current"),
    [("HISTORY: On alendronate.\nADDENDUM: Medication history corrected - the patient is on "
      "denosumab (Prolia), not alendronate.", "on_therapy", "denosumab"),
     ("On alendronate, not denosumab.", "on_therapy", "alendronate"),
     ("Not on alendronate or denosumab.", "untreated", None)],
)
def test_a_drug_denied_beside_a_current_one_denies_that_drug_only(
        text: str, status: str, current: str | None) -> None:
    assert _history(text).therapy == Therapy(status=status, current=current)
