"""Wording classes an independent writer's reports showed misread (parsers.history), each with
the look-alikes that must not be read: a menopause given by an age or by the year the periods
ended, a menstrual pattern ticked on a form, a patient's history under a "History / risk
factors" heading, an excluded fracture given as the only one, a calcium/vitamin D brand as
the only bone medicine, a medication table's status column, and a drug stopped in one clause
beside the current one in the next. Sentences are written here, one or two lines each."""

from __future__ import annotations

import pytest

from dexa.contract import Therapy
from parsers.history import History
from tests.parsers.history.reading import fractures, history


def _history(text: str, scan_date: str | None = "2024-06-01") -> History:
    return history(text, scan_date)


def _fractures(text: str) -> tuple[bool | None, bool | None, bool | None]:
    return fractures(text, scan_date="2024-06-01")


# --- menopause: an age at menopause --------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Age at menopause: 49",
     "Obstetric history: G3P2, age at menopause 51.",
     "HRT: Never [ ]  Stopped [x] - age at menopause 50",
     "Age of menopause was 47.",
     "Patient ID: 12345   MP age: 52   Height: 162 cm",
     # a GE header row: the age at menopause beside a field that is never history
     "Name: Example, Anne MP age: 48",
     "Age: 63 MP age: 50"],
)
def test_an_age_at_menopause_is_post(text: str) -> None:
    assert _history(text).menopausal_status == "post"


@pytest.mark.parametrize(
    "text",
    ["Age at menopause: ___",
     "Age at menopause:",
     "Age at menopause: unknown",
     "Name: Example, Anne MP age: -",
     "Age at menopause not recorded.",
     "Her mother's age at menopause was 44.",
     "Family history: sister's age at menopause 41."],
)
def test_look_alikes_of_an_age_at_menopause_state_nothing(text: str) -> None:
    assert _history(text).menopausal_status is None


# --- menopause: the year the periods ended -------------------------------------------------

@pytest.mark.parametrize(
    ("text", "scan_date", "status"),
    [("Her periods stopped in 2013.", "2024-06-01", "post"),
     ("Menses ceased around 2011.", "2024-06-01", "post"),
     ("Last period in 2016, no bleeding since.", "2024-06-01", "post"),
     ("No menstrual periods since 2017.", "2024-06-01", "post"),
     ("LMP: Mar 2019", "2024-06-01", "post"),
     # the year before the scan's, or the scan's: the last period may be months before it
     ("Periods stopped in 2023.", "2024-02-01", None),
     ("No periods since 2024.", "2024-09-01", None),
     # no scan date to measure it against
     ("Periods stopped in 2013.", None, None)],
)
def test_the_year_the_periods_ended_is_post_two_years_before_the_scan(
        text: str, scan_date: str | None, status: str | None) -> None:
    assert _history(text, scan_date).menopausal_status == status


@pytest.mark.parametrize(
    "text",
    ["Her periods stopped when she went on the pill.",
     "Periods stopped in 2014 with the Mirena coil.",
     "LMP 2012 (hysterectomy, ovaries conserved).",
     "Came off HRT in 2013.",
     "Her mother's periods stopped in 2010.",
     "No period for 3 years on Depo-Provera."],
)
def test_look_alikes_of_the_periods_ending_state_nothing(text: str) -> None:
    assert _history(text).menopausal_status is None


# --- menopause: a menstrual pattern --------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "status"),
    [("Periods: Regular [ ]  Irregular [x]", "peri"),
     ("Menstrual cycle: [ ] regular [x] irregular", "peri"),
     ("Periods: Regular [x]  Irregular [ ]", "pre"),
     ("Menses: irregular", "peri"),
     ("Periods have become irregular; hot flushes at night.", "peri"),
     ("History: irregular periods for the last year.", "peri"),
     ("Irregular menses.", "peri")],
)
def test_a_menstrual_pattern(text: str, status: str | None) -> None:
    assert _history(text).menopausal_status == status


@pytest.mark.parametrize(
    "text",
    ["Periods: Regular [ ]  Irregular [ ]",
     "Periods: ___",
     "No irregular periods.",
     "Her daughter has irregular periods."],
)
def test_look_alikes_of_a_menstrual_pattern_state_nothing(text: str) -> None:
    assert _history(text).menopausal_status is None


# --- a history under a risk-factor heading -------------------------------------------------

def test_the_items_of_a_history_and_risk_factor_heading_are_the_patients() -> None:
    history = _history("History / risk factors: distal radius fracture 2020 after tripping "
                       "on a step; on HRT; post-menopausal")
    assert history.fracture_history.other_fragility is True
    assert history.therapy == Therapy(status="on_therapy", current="HRT")
    assert history.menopausal_status == "post"
    assert _history("Past history: eczema; postmenopausal; never smoked").menopausal_status \
        == "post"


@pytest.mark.parametrize(
    "text",
    ["Risk factors entered into FRAX: parental hip fracture, current smoking",
     "FRAX clinical risk factors: parent fractured hip; glucocorticoids",
     "History / risk factors: father had a hip fracture; smoker"],
)
def test_a_frax_or_relatives_risk_factor_is_no_fracture_of_the_patient(text: str) -> None:
    assert _fractures(text) == (None, None, None)


# --- an excluded fracture as the only one --------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Only fracture: pathological rib fracture (myeloma).", (False, False, False)),
     ("Her only previous fracture was a tibial fracture in a motorcycle accident.",
      (False, False, False)),
     # a fragility fracture as the only one: that one, and no other
     ("Only fracture: wrist 2018, tripped on a kerb.", (False, False, True)),
     # without "only": an excluded fracture says nothing of the others
     ("Pathological humerus fracture (metastasis) 2021.", (None, None, None)),
     # only of one site: the others are not spoken of
     ("The only vertebral fracture is the T11 wedge.", (None, True, None)),
     # a relative's only fracture, and a denied "only"
     ("Her sister's only fracture was a hip fracture.", (None, None, None)),
     ("Not her only fracture: a traumatic ankle fracture 2015.", (None, None, None))],
)
def test_an_excluded_fracture_given_as_the_only_one(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


# --- calcium and vitamin D brands ----------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Current osteoporosis medication: Adcal-D3 only",
     "Bone treatment: Kalcipos-D one tablet twice daily only.",
     "Takes Caltrate alone.",
     "Medications: Fultium-D3 800 IU daily"],
)
def test_a_calcium_or_vitamin_d_brand_as_the_only_bone_medicine_is_untreated(text: str) -> None:
    assert _history(text).therapy == Therapy(status="untreated")


@pytest.mark.parametrize(
    "text",
    ["Medications: Calcichew D3 Forte, lisinopril 10 mg, atorvastatin.",
     "Accrete D3 daily.",
     "Adcal-D3 only; alendronate 70 mg weekly."],
)
def test_a_brand_in_a_list_or_beside_a_drug_states_no_untreated(text: str) -> None:
    assert _history(text).therapy.status != "untreated"


# --- a medication table's status column ----------------------------------------------------

def test_a_stopped_row_of_a_medication_table_is_no_current_drug() -> None:
    table = ("Medication | Start | End | Status\n"
             "Risedronate 35 mg weekly | 2011-05-02 | 2016-08-30 | Discontinued\n"
             "Zoledronic acid 5 mg yearly | 2016-09 | | Active\n"
             "Amlodipine 5 mg | 2012-01 | | Active")
    assert _history(table).therapy == Therapy(status="on_therapy",
                                              current="Zoledronic acid 5 mg yearly")
    spaced = ("Alendronate 70 mg tablet    04/02/2013    11/30/2018    Inactive\n"
              "Prolia 60 mg injection    12/2018        Current")
    assert _history(spaced).therapy.current == "Prolia 60 mg"


def test_a_table_whose_only_bone_drug_is_stopped() -> None:
    table = ("Medication | Start | End | Status\n"
             "Ibandronate 150 mg monthly | 2010-02 | 2015-02 | Stopped\n"
             "Levothyroxine 50 mcg | 2009-01 | | Active")
    # a stopped drug, as "ibandronate stopped 2015": no current drug, and nothing said of
    # the others (CONTRACT: untreated only where the report says no osteoporosis drug)
    assert _history(table).therapy == Therapy()
    # a row whose status is unknown states nothing of its drug
    unknown = ("Medication        Start        Stop    Status\n"
               "Alendronate 70 mg    2015-04-01    -    Unknown\n"
               "Ramipril 5 mg    2016-01-01    -    Active")
    assert _history(unknown).therapy == Therapy()
    # a row with two status words states neither
    assert _history("Ibandronate 150 mg | Stopped | Active").therapy.current \
        == "Ibandronate 150 mg"


# --- a drug stopped beside the current one -------------------------------------------------

@pytest.mark.parametrize(
    ("text", "current"),
    [("Came off risedronate, on zoledronic acid since 2021.", "zoledronic acid"),
     ("Stopped ibandronate, now taking Prolia.", "Prolia"),
     ("Risedronate discontinued in 2018; now on denosumab.", "denosumab"),
     ("Switched from alendronate to Aclasta.", "Aclasta"),
     ("Off HRT and on raloxifene 60 mg daily.", "raloxifene 60 mg daily"),
     ("Not on HRT, on risedronate.", "risedronate"),
     ("Ibandronate was stopped in 2017 and she was changed to denosumab, which continues.",
      "denosumab"),
     # the clause's subject and verb before its opener ("and she is on ...")
     ("Came off alendronate, and she is on teriparatide.", "teriparatide"),
     ("Risedronate stopped, and the patient was started on Evenity.", "Evenity")],
)
def test_the_current_drug_after_a_stopped_one(text: str, current: str) -> None:
    assert _history(text).therapy == Therapy(status="on_therapy", current=current)


@pytest.mark.parametrize(
    ("text", "status"),
    [("Stopped alendronate, risedronate.", None),  # a list under one "stopped": none current
     ("Risedronate, started 2012, stopped 2017.", None),  # no drug after "started"
     ("Stopped alendronate, risedronate; not restarted.", "untreated"),
     ("Not on alendronate, denosumab or teriparatide.", "untreated")],
)
def test_a_list_under_one_stopped_or_negation_names_no_current_drug(
        text: str, status: str | None) -> None:
    assert _history(text).therapy == Therapy(status=status)
