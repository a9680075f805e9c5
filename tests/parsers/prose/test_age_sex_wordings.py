"""Age and sex written in a dictated report's indication: "85F", "61 F", "female patient, 41
years of age", and their look-alikes ("5F catheter", "98.6F", "M/F", a reference population),
read through ``parse_bytes``."""

from __future__ import annotations

import pytest

from tests.parsers.prose.reading import read_text

BODY = """BONE DENSITOMETRY REPORT
DATE OF STUDY: 06/12/2024
{indication}
TECHNIQUE: DXA of the lumbar spine and left hip using a Hologic densitometer. T-scores are \
compared with the Caucasian Women reference database.
RESULTS:
L1-L4 Total    BMD values= 0.901 T-score= -1.5 Z-score= -0.4
Femur Neck     BMD values= 0.652 T-score= -1.9 Z-score= -0.8
IMPRESSION: Osteopenia. F/U DXA in 2 years.
"""


@pytest.mark.parametrize(
    ("indication", "age", "sex"),
    [("REASON FOR EXAM: 48F, c/o back pain, osteoporosis screening.", 48, "F"),
     ("INDICATION: 61 F; on Prolia injections every 6 months.", 61, "F"),
     ("REASON FOR EXAM: 87M, c/o back pain.", 87, "M"),
     ("CLINICAL HISTORY: female patient, 41 years of age. Perimenopausal.", 41, "F"),
     ("INDICATION: Male patient; no osteoporosis meds.", None, "M"),
     ("CLINICAL HISTORY: a 67-year-old female patient.", 67, "F"),
     # look-alikes: no age and no sex
     ("INDICATION: 5F catheter in situ.", None, None),
     ("INDICATION: Temperature 98.6F at the visit.", None, None),
     ("INDICATION: Sex M/F not recorded.", None, None),
     ("INDICATION: Referred by the Women's Health Clinic.", None, None),
     ("CLINICAL HISTORY: Menopause at 50 years of age.", None, None)],
)
def test_age_and_sex_of_an_indication(indication: str, age: int | None, sex: str | None) -> None:
    patient = read_text(BODY.format(indication=indication))["patient"]
    assert (patient["age_years"], patient["sex"]) == (age, sex)
