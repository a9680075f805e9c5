"""The patient's age as a second independent writer prints it: "Gentleman aged 70", "this
Woman aged 50", "75y M", a header row's "DOB: ...  Scan: ..." (day-first dotted dates); and
the ages that are not the patient's: a relative's ("Yes - mother, hip, aged 80"), a reference
population's ("Caucasian Woman aged 20-40"), a prior scan's date ("Previous scan:")."""

from __future__ import annotations

import pytest

from tests.parsers.prose.reading import read_text

BODY = """BONE DENSITOMETRY REPORT
{header}
CLINICAL HISTORY: {history}
TECHNIQUE: DXA of the lumbar spine and left hip using a Hologic densitometer.
RESULTS:
L1-L4 Total    BMD values= 0.901 T-score= -1.5 Z-score= -0.4
Femur Neck     BMD values= 0.652 T-score= -1.9 Z-score= -0.8
IMPRESSION: Osteopenia.
"""
DATED = "DATE OF STUDY: 06/12/2024"


@pytest.mark.parametrize(
    ("header", "history", "age", "sex"),
    [(DATED, "Gentleman aged 70 with no previous fractures.", 70, "M"),
     (DATED, "Please could you arrange a DEXA for this Woman aged 50. PMW.", 50, "F"),
     (DATED, "Lady aged 66, on alendronate.", 66, "F"),
     (DATED, "I saw this 75y M in clinic today.", 75, "M"),
     (DATED, "44 y/o F. Perimenopausal.", 44, "F"),
     ("DOB: 15.09.1947  Scan: 22.08.2025  Sex: Female", "Osteoporosis screening.", 77.9, "F"),
     ("Scan: 22.08.2025\nDOB: 15.09.1947", "Osteoporosis screening.", 77.9, None),
     # the relative's age is not the patient's: the age comes from the dates
     ("Date of birth: 19 May 1953     Date of scan: 25 April 2025",
      "Did either of your parents break a hip? Yes - mother, hip, aged 80", 71.9, None),
     (DATED, "Mother fractured her hip aged 78. Never broken a bone.", None, None),
     (DATED, "Compared with Caucasian Woman aged 20-40 reference data.", None, None),
     ("DOB: 15.09.1947  Previous scan: 22.08.2019", "Osteoporosis screening.", None, None),
     (DATED, "Women aged 65 and over are screened.", None, None)],
)
def test_age_of_the_patient(header: str, history: str, age: float | None,
                            sex: str | None) -> None:
    patient = read_text(BODY.format(header=header, history=history))["patient"]
    assert (patient["age_years"], patient["sex"]) == (age, sex)


@pytest.mark.parametrize(
    ("header", "history", "age", "sex"),
    [("Patient: Sheila Example  (F, 55y)  UR ZZ391491", "Osteoporosis review.", 55, "F"),
     ("Patient: John Example (M, 72 yrs)", "Osteoporosis review.", 72, "M"),
     (DATED, "Man aged 76 with no previous fractures.", 76, "M"),
     ("Sex at birth: Female", "Osteoporosis screening.", None, "F"),
     # a relative's bracket is the relative's
     (DATED, "Mother (F, 80y) had a hip fracture.", None, None)],
)
def test_sex_and_age_in_a_letters_header(header: str, history: str, age: float | None,
                                         sex: str | None) -> None:
    patient = read_text(BODY.format(header=header, history=history))["patient"]
    assert (patient["age_years"], patient["sex"]) == (age, sex)


def test_a_one_word_sex_under_a_clinical_heading() -> None:
    text = BODY.format(header=DATED, history="x").replace(
        "CLINICAL HISTORY: x", "CLINICAL: Woman. Possible L2 wedge deformity.")
    assert read_text(text)["patient"]["sex"] == "F"
