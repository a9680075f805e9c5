"""One phrase, one fact: single wordings of free-text DXA reports pinned one test at a time."""

from __future__ import annotations

import pytest

from dexa.contract import ReportDocument, Source
from parsers.prose import looks_like_dxa, read_prose
from tests.conftest import assert_valid_report

SPINE = "L1-L4 BMD values= 1.000 T-score= -1.0 Z-score= 0.0"


def read(*lines: str) -> ReportDocument:
    doc = read_prose("\n".join(lines), source=Source(path="p", sha256="0" * 64, kind="text"))
    assert_valid_report(doc.to_dict())
    return doc


def site(doc: ReportDocument) -> list[tuple]:
    return [(m.region, m.side, m.levels, m.bmd_g_cm2, m.t_score, m.z_score)
            for m in doc.measurements]


# --- measurement wordings ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("L1-L4 Total    BMD values= 1.163 T-score= 0.7 Z-score= 1.9",
         ("lumbar_spine", None, "L1-L4", 1.163, 0.7, 1.9)),
        ("Total Femur    BMD values= 0.745 T-score= -1.9 Z-score= -0.7",
         ("total_hip", None, None, 0.745, -1.9, -0.7)),
        ("The bone mineral density measured at the left femoral neck is 0.618 g/cm2 with a "
         "T-score of -2.0.", ("femoral_neck", "left", None, 0.618, -2.0, None)),
        ("LUMBAR SPINE (L1-L4) = 1.022 g/cm2. T-score = -1.3",
         ("lumbar_spine", None, "L1-L4", 1.022, -1.3, None)),
        ("SPINE: L1-L4 T-Score: -1.0 Z-Score: 0.2",
         ("lumbar_spine", None, "L1-L4", None, -1.0, 0.2)),
        ("HIP: Femoral Neck T-Score: -1.6 Z-Score: -0.4",
         ("femoral_neck", None, None, None, -1.6, -0.4)),
        ("LEFT FEMORAL NECK = 0.701 g/cm2. T-score = -2.4",
         ("femoral_neck", "left", None, 0.701, -2.4, None)),
        ("TOTAL PROXIMAL LEFT FEMUR = 0.765 g/cm2. T-score = -2.0",
         ("total_hip", "left", None, 0.765, -2.0, None)),
        ("1/3 LEFT RADIUS = 0.690 g/cm2. T-score = -2.6",
         ("radius_33", "left", None, 0.69, -2.6, None)),
        ("RIGHT FEMORAL NECK (FEMALE REFERENCE) = 0.801 g/cm2. Z-score = -0.3",
         ("femoral_neck", "right", None, 0.801, None, -0.3)),
        ("The left total hip BMD is 0.870 gm/cm2, T-score −1.1.",
         ("total_hip", "left", None, 0.87, -1.1, None)),
        ("Right femoral neck: BMD 0.700 g/cm², T-score –2.1, Z-score –0.9",
         ("femoral_neck", "right", None, 0.7, -2.1, -0.9)),
        ("L2-L4 bone mineral density is 1.101 grams per square centimeter, T-score +0.3",
         ("lumbar_spine", None, "L2-L4", 1.101, 0.3, None)),
        ("The T-score at the left femoral neck is -2.0.",
         ("femoral_neck", "left", None, None, -2.0, None)),
        ("The lowest T-score is -2.5 at the right femoral neck.",
         ("femoral_neck", "right", None, None, -2.5, None)),
        ("Femoral neck BMD 0.650 gm/sq-cm", ("femoral_neck", None, None, 0.65, None, None)),
        ("The right total hip BMD is 0.812.", ("total_hip", "right", None, 0.812, None, None)),
    ],
)
def test_measurement_wording(line: str, expected: tuple) -> None:
    assert site(read(line)) == [expected]


def test_leading_label_gives_side_to_the_rest_of_the_paragraph() -> None:
    doc = read("Left hip: femoral neck BMD 0.702 g/cm2, T-score -2.1; total hip BMD 0.800 g/cm2, "
               "T-score -1.5.", "Lumbar spine (L1-L4): BMD 1.050 g/cm2, T-score -0.9.")
    assert site(doc) == [("femoral_neck", "left", None, 0.702, -2.1, None),
                         ("total_hip", "left", None, 0.8, -1.5, None),
                         ("lumbar_spine", None, "L1-L4", 1.05, -0.9, None)]


def test_site_header_line_gives_side_to_following_lines() -> None:
    doc = read("LEFT HIP:", "Femoral neck: T-score -2.0", "Total hip: T-score -1.1")
    assert site(doc) == [("femoral_neck", "left", None, None, -2.0, None),
                         ("total_hip", "left", None, None, -1.1, None)]


def test_difference_rows_are_not_measurements() -> None:
    doc = read("Femoral neck left T-score -0.2", "Femoral neck difference T-score 0.6")
    assert site(doc) == [("femoral_neck", "left", None, None, -0.2, None)]


def test_measurements_keep_report_order_and_first_value() -> None:
    doc = read("Total hip T-score -1.1", SPINE, "IMPRESSION: The total hip T-score is -1.1.")
    assert [m.region for m in doc.measurements] == ["total_hip", "lumbar_spine"]


@pytest.mark.parametrize(
    "line",
    [
        "T-score: [ ] Z-Score: [ ]",
        "Osteopenia: T-score between -1.0 and -2.5 s.d.",
        "Normal: T-score equal to -1.0 s.d. or higher",
        "The BMD of the lumbar spine is 0.7 standard deviations above that of a normal, young "
        "reference population.",
        "The bone mineral density of the lumbar spine is mildly decreased.",
        "RECOMMENDATIONS: repeat if the femoral neck T-score falls below -2.5",
        "Statistically 68% of repeat scans fall within 1SD (± 0.010 g/cm² for AP Spine L1-L4)",
    ],
)
def test_not_a_measurement(line: str) -> None:
    assert read(line).measurements == []


def test_wrapped_sentence_is_joined() -> None:
    doc = read("The bone mineral density measured at the left femoral", "neck is 0.618 g/cm2 "
               "with a T-score of -2.0.")
    assert site(doc) == [("femoral_neck", "left", None, 0.618, -2.0, None)]


# --- patient ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "age", "sex"),
    [
        ("CLINICAL DATA: 83 years old Male", 83.0, "M"),
        ("HISTORY: 68-year-old woman for screening.", 68.0, "F"),
        ("Indication: 71 y.o. man", 71.0, "M"),
        ("Age: 62.6   Sex: M", 62.6, "M"),
        ("Sex: Female", None, "F"),
        ("A 55-year-old postmenopausal patient.", 55.0, None),  # never inferred (CONTRACT)
        ("Reference: White Female. 70 year old male.", 70.0, "M"),
        ("Indication: Screening. 65 yo F.", 65.0, "F"),
        ("72 y/o M with back pain", 72.0, "M"),
        ("MP age: 50   Age: 63   Sex: Female", 63.0, "F"),
        ("Menopause age: 48. Patient age: 71.", 71.0, None),
    ],
)
def test_age_and_sex(line: str, age: float | None, sex: str | None) -> None:
    patient = read(line, SPINE).patient
    assert (patient.age_years, patient.sex) == (age, sex)


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("HISTORY: 60-year-old postmenopausal female.", "post"),
        ("Post-menopausal woman.", "post"),
        ("Menopause at age 50.", "post"),
        ("48-year-old perimenopausal woman.", "peri"),
        ("She is in the menopausal transition.", "peri"),
        ("38-year-old premenopausal female.", "pre"),
        ("LMP: 02/20/2024", None),  # a recent period: pre or the menopausal transition
        ("LMP: 10 years ago", "post"),
        ("70-year-old man.", None),
    ],
)
def test_menopausal_status(line: str, status: str | None) -> None:
    assert read(line, SPINE).patient.menopausal_status == status


@pytest.mark.parametrize(
    ("line", "height", "weight"),
    [
        ("Height: 160.0 cm   Weight: 61.0 kg", 160.0, 61.0),
        ("Height / Weight: 172.0 cm 70.0 kg", 172.0, 70.0),
        ("Height 64 in, weight 150 lb", 162.6, 68.0),
        ("Height: 5' 4\"", 162.6, None),
        ("Ht: 155 cm  Wt: 48 kg", 155.0, 48.0),
        ("Height loss of 3 cm.", None, None),
    ],
)
def test_height_weight(line: str, height: float | None, weight: float | None) -> None:
    patient = read(line, SPINE).patient
    assert (patient.height_cm, patient.weight_kg) == (height, weight)


def test_identifiers_dates_and_never_a_name() -> None:
    doc = read("Patient Name: EXAMPLE^JANE", "MRN: SYN0042   DOB: 02/01/1956",
               "Accession #: ACC77", "DATE OF STUDY: 03/14/2024", "Ethnicity: White", SPINE)
    assert (doc.patient.id, doc.patient.birth_date, doc.study.accession) == (
        "SYN0042", "1956-02-01", "ACC77")
    assert doc.study.scan_date == "2024-03-14"
    assert doc.patient.ethnicity == "White"
    assert "EXAMPLE" not in doc.to_json() and "JANE" not in doc.to_json()


@pytest.mark.parametrize(
    ("line", "patient_id"),
    [("Patient ID: A12345", "A12345"), ("MRN: 0098765", "0098765"), ("Patient ID: Jane", None),
     ("ID: A1204190D", None)],
)
def test_patient_id(line: str, patient_id: str | None) -> None:
    assert read(line, SPINE).patient.id == patient_id


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["BONE DENSITOMETRY REPORT 5/16/2025 2:52 PM"], "2025-05-16"),
        (["DATE OF STUDY: December 04, 2019"], "2019-12-04"),
        (["Scan Date: December 04, 2019        ID: A1204190D"], "2019-12-04"),
        (["Exam date: 2024-03-14"], "2024-03-14"),
        (["DOB: 02/01/1956"], None),
        (["COMPARISON: 5/29/2007"], None),
    ],
)
def test_scan_date(lines: list[str], date: str | None) -> None:
    assert read(*lines, SPINE).study.scan_date == date


# --- fracture history (clinical-rules §0) ----------------------------------------------------

F, T, N = False, True, None


@pytest.mark.parametrize(
    ("line", "hip", "vertebral", "other"),
    [
        ("No history of fracture.", F, F, F),
        ("She denies fractures.", F, F, F),
        ("Fractures: none.", F, F, F),
        ("No prior hip or vertebral fractures.", F, F, N),
        ("History of a left hip fracture in 2019.", T, N, N),
        ("Status post right femoral neck fracture.", T, N, N),
        ("Prior intertrochanteric fracture after a fall from standing.", T, N, N),
        ("History of T12 compression fracture.", N, T, N),
        ("L1 kyphoplasty in 2021.", N, T, N),
        ("Vertebral fracture seen on VFA.", N, T, N),
        ("History of wrist fracture at age 62.", N, N, T),
        ("Previous fragility fracture.", N, N, T),
        ("History of vertebral fracture; no hip fracture.", F, T, N),
        ("History of wrist fracture, no other fractures.", F, F, T),
        ("She had a wrist fracture and no other fractures.", F, F, T),
        ("Fracture history: negative.", F, F, F),
        ("Wrist fracture in a motor vehicle accident.", N, N, N),
        ("Rib fractures after a fall from a ladder.", N, N, N),
        ("Pathologic vertebral fracture from metastasis.", N, N, N),
        ("Broke her arm as a child.", N, N, N),
        ("History of forearm fracture at age 12.", N, N, N),
        ("History of toe fracture.", N, N, N),
        ("Fractured fingers in 2015.", N, N, N),
        ("Skull fracture in 1990.", N, N, N),
        ("Right hip replacement for arthritis.", N, N, N),
        ("No prior fractures.", F, F, F),
        ("Prior vert fx on VFA.", N, T, N),
        ("s/p left intertrochanteric femur fracture after a fall from standing.", T, N, N),
        ("Never treated for osteoporosis. s/p right femoral neck fracture 2013.", T, N, N),
        ("No prior study for comparison.", N, N, N),
        ("The fracture risk is increased.", N, N, N),
        ("The 10-year probability of a hip fracture is 1.6%.", N, N, N),
    ],
)
def test_fracture_history(line: str, hip: bool | None, vertebral: bool | None,
                          other: bool | None) -> None:
    fx = read("HISTORY: " + line, SPINE).fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == (hip, vertebral, other)


def test_fracture_not_mentioned_is_unknown() -> None:
    fx = read("HISTORY: 68-year-old woman, screening.", SPINE).fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == (None, None, None)


def test_fracture_in_recommendations_is_not_history() -> None:
    fx = read(SPINE, "RECOMMENDATIONS: Treat if a vertebral fracture is found.").fracture_history
    assert fx.vertebral is None


# --- therapy ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "status", "current"),
    [
        ("Currently taking alendronate 70 mg weekly.", "on_therapy",
         "alendronate 70 mg weekly"),
        ("On Fosamax since 2020.", "on_therapy", "Fosamax"),
        ("Receiving risedronate.", "on_therapy", "risedronate"),
        ("Received zoledronic acid infusion this year.", "on_therapy", "zoledronic acid"),
        ("Current medications: Prolia every 6 months.", "on_therapy",
         "Prolia every 6 months"),
        ("Treated with denosumab.", "on_therapy", "denosumab"),
        ("On teriparatide daily.", "on_therapy", "teriparatide daily"),
        ("Abaloparatide started in March.", "on_therapy", "Abaloparatide"),
        ("Romosozumab monthly.", "on_therapy", "Romosozumab monthly"),
        ("Takes raloxifene.", "on_therapy", "raloxifene"),
        ("On HRT.", "on_therapy", "HRT"),
        ("On estrogen replacement therapy.", "on_therapy", "estrogen"),
        ("On calcitonin nasal spray.", "on_therapy", "calcitonin"),
        ("Strontium ranelate since 2010.", "on_therapy", "Strontium ranelate"),
        ("Not on any osteoporosis medication.", "untreated", None),
        ("Never treated for osteoporosis.", "untreated", None),
        ("No prior bisphosphonate therapy.", "untreated", None),
        # a hormone therapy denied says nothing of the osteoporosis drugs (history.json
        # hormone_drugs)
        ("Denies HRT.", None, None),
        ("Takes calcium and vitamin D only.", "untreated", None),
        # supplements taken, not said to be all: other drugs may be taken (no status)
        ("Takes calcium and vitamin D.", None, None),
        ("Medications: calcium, vitamin D3.", "untreated", None),
        ("Alendronate stopped in 2019 (drug holiday).", "untreated", None),
        ("Postmenopausal estrogen deficiency.", None, None),
        ("Screening examination.", None, None),
    ],
)
def test_therapy(line: str, status: str | None, current: str | None) -> None:
    therapy = read("HISTORY: " + line, SPINE).therapy
    assert (therapy.status, therapy.current) == (status, current)


def test_a_sign_spoken_before_a_number_is_its_sign() -> None:
    doc = read("FINDINGS: Lumbar spine (L1-L4) bone density 0.985 grams per centimeter squared,"
               " T score minus 0.6, Z score minus 0.1.",
               "Left femoral neck bone density 0.701 g/cm2, T score negative 1.9,"
               " Z score plus 0.2.")
    assert [(m.region, m.t_score, m.z_score) for m in doc.measurements] == [
        ("lumbar_spine", -0.6, -0.1), ("femoral_neck", -1.9, 0.2)]


def test_plus_or_minus_is_no_sign_of_the_number() -> None:
    from parsers.prose.text import prepare
    assert prepare("precision plus or minus 0.010 g/cm2; T score minus 1.2") == [
        "precision plus or minus 0.010 g/cm2; T score -1.2"]


@pytest.mark.parametrize(
    ("exam_date", "since", "status"),
    [("03/14/2024", "", None), ("03/14/2020", "", None), (None, "", None),
     ("03/14/2024", " Nothing since.", "untreated")],  # a course, then no drug after it
)
def test_a_course_of_years_states_no_current_drug(exam_date: str | None, since: str,
                                                  status: str | None) -> None:
    dated = [f"EXAM DATE: {exam_date}"] if exam_date else []
    doc = read(*dated, f"HISTORY: Alendronate 2015-2020.{since}", SPINE)
    assert doc.study.scan_date == (f"{exam_date[6:]}-03-14" if exam_date else None)
    assert doc.therapy.status == status


@pytest.mark.parametrize(
    "line",
    ["RECOMMENDATIONS: Consider alendronate.",
     "IMPRESSION: Bisphosphonate therapy could be considered.",
     "RECOMMENDATIONS: Vitamin D, calcium, and weight bearing exercise."],
)
def test_recommended_drug_is_not_therapy(line: str) -> None:
    assert read(SPINE, line).therapy.status is None


# --- FRAX ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "mof", "hip"),
    [
        ("10-year probability of major osteoporotic fracture 9.0%, hip fracture 1.6 %", 9.0, 1.6),
        ("FRAX MOF 12% hip 3.1%", 12.0, 3.1),
        ("The 10-year probability of a hip fracture is 1.6% and of a major osteoporotic fracture "
         "is 9.0%.", 9.0, 1.6),
        ("The FRAX 10-year risk is 24% for major osteoporotic fracture and 5.1% for hip "
         "fracture.", 24.0, 5.1),
        ("FRAX: Major osteoporotic fracture: 15.2 %; Hip fracture: 2.9 %", 15.2, 2.9),
        ("FRAX 10-year hip fracture risk: 4%", None, 4.0),
    ],
)
def test_frax_wordings(line: str, mof: float | None, hip: float | None) -> None:
    frax = read(SPINE, line).frax
    assert frax is not None
    assert (frax.major_osteoporotic_pct, frax.hip_pct) == (mof, hip)


def test_frax_on_several_lines() -> None:
    frax = read(SPINE, "", "FRAX 10-year probability (US):", "Major osteoporotic fracture: 9.0%",
                "Hip fracture: 1.6%").frax
    assert frax is not None
    assert (frax.major_osteoporotic_pct, frax.hip_pct, frax.country) == (9.0, 1.6, "US")


@pytest.mark.parametrize(
    ("line", "with_bmd", "country"),
    [
        ("FRAX (USA) with BMD: MOF 9%, hip 1%", True, "US"),
        ("FRAX without BMD: MOF 9%, hip 1%", False, None),
        ("UK FRAX: MOF 9%, hip 1%", None, "UK"),
        ("FRAX: MOF 9%, hip 1%. Contact us with questions.", None, None),
    ],
)
def test_frax_bmd_and_country(line: str, with_bmd: bool | None, country: str | None) -> None:
    frax = read(SPINE, line).frax
    assert frax is not None
    assert (frax.with_bmd, frax.country) == (with_bmd, country)


@pytest.mark.parametrize(
    "line",
    ["The estimated 10-year probability of fracture based on present age, gender and measured "
     "BMD is less than 10%.", "FRAX not calculated.", "Hip: Total Hip T-Score: -1.1"],
)
def test_no_frax(line: str) -> None:
    assert read(SPINE, line).frax is None


# --- comparison, priors, LSC, exclusions, category, risk factors -----------------------------

def test_comparison_date_and_prior_values() -> None:
    doc = read("DATE OF STUDY: 03/14/2024", "COMPARISON: 5/29/2007", SPINE,
               "On the previous study the L1-L4 BMD was 1.050 g/cm2.")
    assert [(p.scan_date, p.region, p.levels, p.bmd_g_cm2) for p in doc.priors] == [
        ("2007-05-29", "lumbar_spine", "L1-L4", 1.05)]
    assert doc.measurements[0].bmd_g_cm2 == 1.0


def test_compared_to_previous_study_performed_on() -> None:
    doc = read("DATE OF STUDY: 03/14/2024", "The left femoral neck BMD is 0.760 g/cm2.",
               "Compared to a previous study performed on 04/30/2022, the left femoral neck BMD "
               "was 0.754 g/cm2.")
    assert [(p.scan_date, p.region, p.side, p.bmd_g_cm2) for p in doc.priors] == [
        ("2022-04-30", "femoral_neck", "left", 0.754)]


def test_percent_change_gives_no_prior() -> None:
    doc = read("COMPARISON: 5/29/2007", SPINE, "Compared to prior examination, bone mineral "
               "density within the lumbar spine has increased by 16.6 %.")
    assert doc.priors == []


def test_decrease_in_g_cm2_gives_no_prior() -> None:
    """The prior BMD a change implies is not printed: never guessed (CONTRACT.md)."""
    doc = read("Previous study: 2021-05-02", "LUMBAR SPINE (L1-L4) = 1.022 g/cm2. T-score = -1.3",
               "This value has decreased by 0.012 g/cm2 (1.2%) compared to the previous.")
    assert doc.priors == []
    assert [(m.region, m.bmd_g_cm2) for m in doc.measurements] == [("lumbar_spine", 1.022)]


def test_printed_previous_value_is_a_prior() -> None:
    doc = read("LUMBAR SPINE (L1-L4) = 1.022 g/cm2. T-score = -1.3",
               "This value has decreased by 0.012 g/cm2 (1.2%) compared to the previous.",
               "Previous (May 2, 2021): 1.034 g/cm2")
    assert [(p.scan_date, p.region, p.bmd_g_cm2) for p in doc.priors] == [
        ("2021-05-02", "lumbar_spine", 1.034)]
    assert [(m.region, m.bmd_g_cm2) for m in doc.measurements] == [("lumbar_spine", 1.022)]


@pytest.mark.parametrize(
    ("line", "lsc"),
    [
        ("LSC (least significant change) at MH: Lumbar spine - 0.033 gm/cm2 Total femur - "
         "0.017 gm/cm2", [("lumbar_spine", None, 0.033), ("total_hip", None, 0.017)]),
        ("(*) Indicates significant change; (LSC= 0.028 g/cm² for AP Spine L1-L4); Statistically "
         "68% of repeat scans fall within 1SD (± 0.010 g/cm² for AP Spine L1-L4)",
         [("lumbar_spine", "L1-L4", 0.028)]),
        ("The least significant change (LSC) at this facility is 0.031 g/cm² for the lumbar "
         "spine and 0.036 g/cm² for the femoral neck and 0.019 g/cm² for the total hip.",
         [("lumbar_spine", None, 0.031), ("femoral_neck", None, 0.036),
          ("total_hip", None, 0.019)]),
        ("Least significant change: lumbar spine 0.031 g/cm2;\ntotal hip 0.019 g/cm2",
         [("lumbar_spine", None, 0.031), ("total_hip", None, 0.019)]),
    ],
)
def test_lsc(line: str, lsc: list[tuple]) -> None:
    doc = read(SPINE, line)
    assert [(x.region, x.levels, x.g_cm2) for x in doc.lsc] == lsc
    assert len(doc.measurements) == 1


@pytest.mark.parametrize(
    ("line", "excluded"),
    [
        ("L4 has been excluded from these calculations because it is significantly different "
         "than all the other vertebral bodies.", ["L4"]),
        ("L3 and L4 were excluded due to degenerative change.", ["L3", "L4"]),
        ("L1-L2 (L3-L4 excluded because of hardware).", ["L3", "L4"]),
        ("Excluding L1 because of a compression deformity.", ["L1"]),
        ("No vertebrae were excluded.", None),
    ],
)
def test_excluded_vertebrae(line: str, excluded: list[str] | None) -> None:
    assert read(SPINE, line).study.excluded_vertebrae == excluded


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        (["According to WHO-criteria these findings are consistent with osteopenia."],
         "osteopenia"),
        (["BONE MINERAL DENSITY: Low bone mass"], "Low bone mass"),
        (["IMPRESSION:", "Osteoporosis."], "Osteoporosis"),
        (["COMMENT: Osteopenia on measured BMD."], "Osteopenia"),
        (["Osteopenia: T-score between -1.0 and -2.5 s.d."], None),
        (["IMPRESSION: 1. The bone mineral density of the lumbar spine is mildly decreased."],
         None),
    ],
)
def test_printed_category(lines: list[str], category: str | None) -> None:
    assert read(SPINE, *lines).study.printed_category == category


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Non-smoker.", "smoker", False),
        ("Former smoker, quit 2001.", "smoker", False),
        ("Current smoker.", "smoker", True),
        ("Smokes 10 cigarettes a day.", "smoker", True),
        ("Drinks 3 units of alcohol per day.", "alcohol_units_per_day", 3.0),
        ("Alcohol: 14 drinks per week.", "alcohol_units_per_day", 2.0),
        ("On prednisone 7.5 mg daily.", "glucocorticoids", True),
        ("No glucocorticoid use.", "glucocorticoids", False),
        ("Height loss of 4 cm.", "height_loss_cm", 4.0),
        ("She has lost 2 inches in height.", "height_loss_cm", 5.1),
        ("Screening.", "smoker", None),
        ("Lumbar spine TBS: 1.284.", "tbs", 1.284),
        ("Trabecular bone score (L1-L4) 1.198", "tbs", 1.198),
        ("FRAX adjusted for TBS: MOF 12%.", "tbs", None),
    ],
)
def test_risk_factors(line: str, field: str, value: object) -> None:
    assert getattr(read("HISTORY: " + line, SPINE).risk_factors, field) == value


# --- sections and evidence -------------------------------------------------------------------

def test_wustl_grading_vocabulary_does_not_break() -> None:
    doc = read("IMPRESSION:", "1. The bone mineral density of the lumbar spine is mildly "
               "decreased.", "2. The bone mineral density of the hip is markedly decreased.",
               "SPINE: L1-L4 T-Score: -1.8 Z-Score: -0.2")
    assert site(doc) == [("lumbar_spine", None, "L1-L4", None, -1.8, -0.2)]
    assert doc.study.printed_category is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DXA bone density. L1-L4 T-score -1.0", True),
        ("BONE DENSITOMETRY REPORT", False),
        ("Please book a bone density scan.", False),
        ("Calcium 2.35 mmol/L, vitamin D 62 nmol/L", False),
    ],
)
def test_looks_like_dxa(text: str, expected: bool) -> None:
    assert looks_like_dxa(text) is expected


# --- tables in text (FHIR narrative, GE text export) ------------------------------------------

FHIR = """NAME
DOB 10/02/1974
PROCEDURE Dual energy x-ray absorptiometry (DEXA)

Scan Type | Region | Measured | Age | BMD | T-Score | Z-Score | \u0394BMD(g/cm2) | \u0394BMD(%)
AP Spine | L1-L4 | 17/06/2008 | 34.4 | 1.228 g/cm\u00b2 | 0.2 | 0.3 | - | -
Left Femur | Neck | 17/06/2008 | 34.4 | 0.891 g/cm\u00b2 | -1.0 | -0.9 | - | -

Assessment:
The Spine L1-L4 BMD is normal.
The Left Femur Neck BMD is in the osteopenic range. Relative fracture risk is about 2.

COMMENT: Osteopenia on measured BMD. The estimated 10-year probability of fracture based on
present age, gender and measured BMD is less than 10%.

Normal: T-score equal to -1.0 s.d. or higher
Osteopenia: T-score between -1.0 and -2.5 s.d.
Severe/Established osteoporosis: Osteoporosis with one or more fragility fracture.
"""


def test_fhir_narrative() -> None:
    doc = read(FHIR)
    assert site(doc) == [("lumbar_spine", None, "L1-L4", 1.228, 0.2, 0.3),
                         ("femoral_neck", "left", None, 0.891, -1.0, -0.9)]
    assert doc.patient.birth_date == "1974-02-10"  # the document is day first (17/06/2008)
    assert doc.study.printed_category == "Osteopenia"
    assert doc.frax is None
    fx = doc.fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == (None, None, None)
    assert doc.warnings == []


GE_TEXT = """AP Spine Bone Density
Densitometry: USA (Combined NHANES/Lunar)
Region   BMD (g/cm\u00b2)   YA (%)   YA T-score   AM Z-score
L1          1.127      99      -0.1          0.9
L1-L4       1.285     107       0.7          1.8

DualFemur Bone Density
Region BMD (g/cm\u00b2) YA T-score AM Z-score
Neck Left 0.980 -0.4 0.7
Neck Diff. 0.010 0.1 0.1
Total Mean 0.999 -0.1 0.7
"""


def test_text_tables_by_header() -> None:
    doc = read(GE_TEXT)
    assert site(doc) == [("vertebra", None, "L1", 1.127, -0.1, 0.9),
                         ("lumbar_spine", None, "L1-L4", 1.285, 0.7, 1.8),
                         ("femoral_neck", "left", None, 0.98, -0.4, 0.7),
                         ("total_hip", "mean", None, 0.999, -0.1, 0.7)]
    assert doc.measurements[1].young_adult_pct == 107
    assert doc.study.reference_database == "USA (Combined NHANES/Lunar)"


def test_trend_table_is_not_measurements() -> None:
    doc = read(SPINE, "", "Densitometry Trend: L1-L4",
               "Measured Date | Age (years) | BMD (g/cm2) | Change vs Previous (g/cm2) | "
               "Change vs Previous (%)", "01/22/2020 | 60.4 | 1.285 | - | -")
    assert site(doc) == [("lumbar_spine", None, "L1-L4", 1.0, -1.0, 0.0)]


# --- one value, one role ---------------------------------------------------------------------

def test_current_value_in_a_sentence_that_mentions_the_previous_study() -> None:
    doc = read("COMPARISON: 05/02/2021", "L1-L4 BMD 1.000 g/cm2, T-score -1.0, unchanged from the "
               "previous study.")
    assert site(doc) == [("lumbar_spine", None, "L1-L4", 1.0, -1.0, None)]
    assert doc.priors == []


def test_current_and_prior_in_one_sentence() -> None:
    doc = read("The left femoral neck BMD is 0.760 g/cm2, compared with 0.754 g/cm2 on the "
               "previous study of 05/02/2021.")
    assert site(doc) == [("femoral_neck", "left", None, 0.76, None, None)]
    assert [(p.scan_date, p.bmd_g_cm2) for p in doc.priors] == [("2021-05-02", 0.754)]


def test_change_of_in_g_cm2_is_not_a_measurement() -> None:
    doc = read("COMPARISON: 05/02/2021", "L1-L4 BMD is 0.900 g/cm2, an increase of 0.020 g/cm2 "
               "since the previous study.")
    assert site(doc) == [("lumbar_spine", None, "L1-L4", 0.9, None, None)]
    assert doc.priors == []  # the prior BMD the change implies is not printed


def test_boilerplate_menopause_does_not_make_a_woman() -> None:
    doc = read("HISTORY: 70-year-old man.", SPINE,
               "WHO criteria apply to postmenopausal women and men over 50.")
    assert (doc.patient.sex, doc.patient.menopausal_status) == ("M", None)


def test_birth_date_is_not_the_scan_date() -> None:
    doc = read("Birth date: 02/01/1956", "Date: 03/14/2024", SPINE)
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1956-02-01", "2024-03-14")
    assert read("Birth date: 02/01/1956", SPINE).study.scan_date is None


def test_percent_confidence_is_not_frax() -> None:
    doc = read(SPINE, "IMPRESSION: The 10-year fracture risk is low. Changes in the hip are "
               "significant with 95% confidence.")
    assert doc.frax is None


@pytest.mark.parametrize(
    ("line", "at_prior"),
    [("On alendronate since before the prior study.", True),
     ("Was on Prolia at the time of the previous scan and continues it.", True),
     ("Denosumab started after the previous study.", False),
     ("On risedronate.", None)],
)
def test_on_therapy_at_prior(line: str, at_prior: bool | None) -> None:
    therapy = read("HISTORY: " + line, SPINE).therapy
    assert therapy.status == "on_therapy"
    assert therapy.on_therapy_at_prior is at_prior


def test_switch_of_therapy() -> None:
    assert read("HISTORY: Previously on alendronate, now on denosumab.", SPINE).therapy.current \
        == "denosumab"
