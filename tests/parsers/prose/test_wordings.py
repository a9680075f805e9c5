"""Whole reports written after the public wordings of dxa-formats.md §2.4-2.5 (the UCSF
Hologic report, the machine-written Canadian text, the GE young-patient and WUSTL templates
filled in). Numbers and identifiers are invented; each report is read through ``parse_bytes``."""

from __future__ import annotations

from tests.parsers.prose.reading import read_text, rows_of

UCSF = """BONE DENSITOMETRY REPORT 5/16/2025 2:52 PM
Lumbar spine and hip DXA (Dual Energy X-ray Absorptiometry)
CLINICAL DATA: 81 years old Male
COMPARISON: 5/29/2007
TECHNIQUE: A DXA was performed of the lumbar spine and the proximal femur (total femur, neck) \
using a Hologic densitometer. The reference BMD values for the hip were derived from the NHANES \
data, for the spine the Hologic reference data were used.
RESULTS:
L1-L4 Total    BMD values= 1.141 T-score= 0.5 Z-score= 1.7
Total Femur    BMD values= 0.752 T-score= -1.8 Z-score= -0.6
Femur Neck     BMD values= 0.629 T-score= -2.3 Z-score= -0.6
Positioning, artifacts and morphologic findings:
IMPRESSION:
The BMD of the lumbar spine is 0.5 standard deviations above that of a normal, young reference \
population.
The BMD of the proximal femur is 2.3 standard deviations below that of a normal, young reference \
population.
According to WHO-criteria these findings are consistent with osteopenia. The fracture risk is \
increased.
Compared to prior examination, bone mineral density within the lumbar spine has increased by \
14.2 %, which is not statistically significant.
RECOMMENDATIONS: Vitamin D, calcium, and weight bearing exercise. Follow-up DXA in > two years \
to monitor BMD.
"""


def test_ucsf_hologic_report() -> None:
    doc = read_text(UCSF)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.141, 0.5, 1.7),
                          ("total_hip", None, None, 0.752, -1.8, -0.6),
                          ("femoral_neck", None, None, 0.629, -2.3, -0.6)]
    assert doc["patient"]["age_years"] == 81.0 and doc["patient"]["sex"] == "M"
    assert doc["patient"]["id"] is None and doc["patient"]["menopausal_status"] is None
    assert doc["study"]["scan_date"] == "2025-05-16"
    assert doc["study"]["printed_category"] == "osteopenia"
    assert doc["source"]["vendor"] == "Hologic"
    assert doc["priors"] == []  # a percent change gives no prior BMD
    assert doc["frax"] is None
    assert doc["fracture_history"] == {"hip": None, "vertebral": None, "other_fragility": None}
    assert doc["therapy"]["status"] is None  # calcium and vitamin D are only recommended


CANADIAN = """BONE MINERAL DENSITY REPORT
Health card number: 1234-567-890   Scan date: 2023-11-02   Report date: 2023-11-06
Sex: Female   Age: 66   Height: 158 cm (measured)   Weight: 59.5 kg (measured)
Previous study: 2021-10-28
Clinical history: postmenopausal. Prednisone 5 mg daily for 2 years. Current smoker.
No prior fractures. No osteoporosis medication.

BONE MINERAL DENSITY: Low bone mass
FRACTURE RISK CATEGORY (CAROC): Moderate

LUMBAR SPINE (L1-L3) = 0.955 g/cm2. T-score = -1.6
This value has decreased by 0.012 g/cm2 (1.2%) compared to the previous.
L4 has been excluded from these calculations because it is significantly different than all the \
other vertebral bodies.
LEFT FEMORAL NECK = 0.688 g/cm2. T-score = -1.9
TOTAL PROXIMAL LEFT FEMUR = 0.801 g/cm2. T-score = -1.4
This value has decreased by 0.031 g/cm2 (3.7%) compared to the previous.

There has been a statistically SIGNIFICANT DECREASE in BMD in the hip.
There has been NO statistically significant change in BMD in the lumbar spine from the prior \
examination. Current management could be reassessed.
LSC (least significant change) at MH: Lumbar spine - 0.033 gm/cm2 Total femur - 0.017 gm/cm2
"""


def test_canadian_machine_report() -> None:
    doc = read_text(CANADIAN)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L3", 0.955, -1.6, None),
                          ("femoral_neck", "left", None, 0.688, -1.9, None),
                          ("total_hip", "left", None, 0.801, -1.4, None)]
    assert doc["study"]["excluded_vertebrae"] == ["L4"]
    assert doc["study"]["printed_category"] == "Low bone mass"
    assert doc["priors"] == []  # a change in g/cm2 does not print the prior BMD
    assert [(x["region"], x["g_cm2"]) for x in doc["lsc"]] == [("lumbar_spine", 0.033),
                                                               ("total_hip", 0.017)]
    patient = doc["patient"]
    assert (patient["id"], patient["sex"], patient["age_years"], patient["height_cm"],
            patient["weight_kg"], patient["menopausal_status"]) == (
        "1234-567-890", "F", 66.0, 158.0, 59.5, "post")
    assert doc["study"]["scan_date"] == "2023-11-02"
    assert doc["fracture_history"] == {"hip": False, "vertebral": False, "other_fragility": False}
    assert doc["therapy"]["status"] == "untreated"
    assert doc["risk_factors"]["smoker"] is True
    assert doc["risk_factors"]["glucocorticoids"] is True


GE_YOUNG = """PROCEDURE: A bone mineral density test of the left proximal femur and AP lumbar \
spine was performed using the Lunar Prodigy Advance dual-energy x-ray absorptiometry (DXA) system \
manufactured by GE Healthcare.
HISTORY: 34-year-old premenopausal woman with anorexia nervosa. LMP 3 months ago.
FINDINGS: The bone mineral density measured at the L1-L4 is 0.982 gm/cm2 with a Z-score of -1.9.
The bone mineral density measured at the left femoral neck is 0.801 gm/cm2 with a Z-score of -1.4.
IMPRESSION: The bone mineral density is below the expected range for age.
There has been a -3.1% change in bone density (based on lumbar spine measurements) when compared \
to a previous study performed on 02/11/2022. These changes are statistically significant with \
95% confidence.
"""


def test_ge_young_patient_template() -> None:
    doc = read_text(GE_YOUNG)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.982, None, -1.9),
                          ("femoral_neck", "left", None, 0.801, None, -1.4)]
    assert doc["patient"]["menopausal_status"] == "pre"
    assert doc["source"]["vendor"] == "GE Healthcare"
    assert doc["priors"] == [] and doc["frax"] is None
    assert "DATE_ORDER_ASSUMED" in doc["warnings"]  # 02/11/2022 is the only numeric date


WUSTL = """EXAMINATION: BONE DENSITOMETRY OF THE LUMBAR SPINE AND LEFT HIP
DATE OF STUDY: 09/23/2024
HISTORY: 72-year-old postmenopausal female on Fosamax since 2019. History of T8 compression \
fracture. Evaluate bone mineral density.

SPINE: L1-L4 T-Score: -2.7 Z-Score: -0.9
HIP: Femoral Neck T-Score: -2.1 Z-Score: -0.2
HIP: Total Hip T-Score: -1.6 Z-Score: 0.1

For bone mineral density values in gm/sq-cm and plots of trends since prior exams, see separate \
printout.

IMPRESSION:
1. The bone mineral density of the lumbar spine is moderately decreased. When compared to the \
baseline exam of 09/20/2022 there has not been a statistically significant change.
2. The bone mineral density of the left hip is mildly decreased.
"""


def test_wustl_template_with_its_own_grading() -> None:
    doc = read_text(WUSTL)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -2.7, -0.9),
                          ("femoral_neck", None, None, None, -2.1, -0.2),
                          ("total_hip", None, None, None, -1.6, 0.1)]
    assert doc["study"]["scan_date"] == "2024-09-23"
    assert doc["study"]["printed_category"] is None
    assert doc["therapy"] == {"status": "on_therapy", "current": "Fosamax",
                              "on_therapy_at_prior": None}
    assert doc["fracture_history"] == {"hip": None, "vertebral": True, "other_fragility": None}
    assert doc["patient"]["sex"] == "F" and doc["patient"]["age_years"] == 72.0


HOLOGIC_TEXT = """Scan Information:
Scan Date: December 04, 2019        ID: A1204190D
Scan Type: a Lumbar Spine
Analysis:  December 04, 2019 12:57 Version 13.6.0.5
Operator:  RS
Model:     Horizon A (S/N 302081M)
DXA Results Summary:
Region | Area (cm2) | BMC (g) | BMD (g/cm2) | T - score | Z - score
L1-L4  | 55.77 | 51.85 | 0.930 |  | -1.0
Total BMD CV 1.0%
"""


def test_hologic_scan_information_as_text() -> None:
    doc = read_text(HOLOGIC_TEXT)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.93, None, -1.0)]
    assert doc["measurements"][0]["area_cm2"] == 55.77 and doc["measurements"][0]["bmc_g"] == 51.85
    assert doc["study"]["scan_date"] == "2019-12-04"
    assert doc["patient"]["id"] is None  # "ID:" is the scan ID, not the patient's


US_DICTATION = """EXAM: DXA BONE DENSITY AXIAL SKELETON
CLINICAL HISTORY: 67-year-old female with history of breast cancer on anastrozole. Evaluate for \
osteoporosis.
COMPARISON: DXA 06/15/2021.
TECHNIQUE: Bone density was measured using a GE Lunar iDXA.
FINDINGS:
Lumbar spine (L1-L4): BMD 0.912 g/cm2. T-score -2.2. Z-score -0.8. Compared to prior, there has \
been a statistically significant decrease of 4.1%.
Left femoral neck: BMD 0.655 g/cm2. T-score -2.6. Z-score -0.9.
Left total hip: BMD 0.742 g/cm2. T-score -2.1.
FRAX: 10-year probability of major osteoporotic fracture is 18% and hip fracture is 4.2%.
IMPRESSION:
1. Osteoporosis based on the left femoral neck T-score of -2.6.
2. Statistically significant decrease in lumbar spine bone density since 06/15/2021.
"""


def test_us_dictation_without_a_scan_date() -> None:
    doc = read_text(US_DICTATION)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -2.2, -0.8),
                          ("femoral_neck", "left", None, 0.655, -2.6, -0.9),
                          ("total_hip", "left", None, 0.742, -2.1, None)]
    assert doc["study"]["scan_date"] is None  # the comparison date is not the scan date
    assert doc["study"]["printed_category"] == "Osteoporosis"
    assert doc["frax"]["major_osteoporotic_pct"] == 18.0 and doc["frax"]["hip_pct"] == 4.2
    assert doc["therapy"]["status"] is None  # anastrozole is not an osteoporosis drug
    assert doc["fracture_history"] == {"hip": None, "vertebral": None, "other_fragility": None}
    assert doc["source"]["vendor"] == "GE Healthcare"
    assert (doc["patient"]["sex"], doc["patient"]["age_years"]) == ("F", 67.0)


UK_REPORT = """DXA Scan Report
Hospital number: H1234567    Date of scan: 04/03/2023    Date of birth: 21/11/1950
Referral: 72 year old woman. Previous fragility fracture: wrist 2019. Daily prednisolone 5 mg for \
COPD. On alendronic acid 70mg weekly since 2020. Non smoker, alcohol 10 units per week.

Results
Site                 BMD (g/cm\u00b2)   T score   Z score
L1-L4                0.856         -2.3      -0.6
Neck of femur (L)    0.612         -2.4      -0.7
Total hip (L)        0.701         -2.2      -0.9

Conclusion: Osteoporosis at the femoral neck.
FRAX (UK) 10 year probability of major osteoporotic fracture: 24%, hip fracture: 8.1% (with BMD).
Above the NOGG intervention threshold.
"""


def test_uk_report_day_first_with_a_table() -> None:
    doc = read_text(UK_REPORT)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.856, -2.3, -0.6),
                          ("femoral_neck", "left", None, 0.612, -2.4, -0.7),
                          ("total_hip", "left", None, 0.701, -2.2, -0.9)]
    assert (doc["study"]["scan_date"], doc["patient"]["birth_date"]) == ("2023-03-04",
                                                                         "1950-11-21")
    assert doc["frax"] == {"major_osteoporotic_pct": 24.0, "hip_pct": 8.1, "with_bmd": True,
                           "country": "UK", "tbs_adjusted": None}
    assert doc["therapy"]["current"] == "alendronic acid 70mg weekly"  # as written, with its dose
    assert doc["fracture_history"]["other_fragility"] is True
    assert doc["risk_factors"]["glucocorticoids"] is True
    assert doc["risk_factors"]["smoker"] is False
    assert doc["risk_factors"]["alcohol_units_per_day"] == 1.43
    assert doc["patient"]["id"] == "H1234567" and doc["warnings"] == []


def test_one_line_report() -> None:
    doc = read_text("DXA: L1-L4 T-score -1.2, left femoral neck T-score -2.0, left total hip "
                    "T-score -1.4, right forearm 1/3 radius T-score -0.5. Impression: "
                    "osteopenia.")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -1.2, None),
                          ("femoral_neck", "left", None, None, -2.0, None),
                          ("total_hip", "left", None, None, -1.4, None),
                          ("radius_33", "right", None, None, -0.5, None)]
