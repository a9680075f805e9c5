"""Fracture wordings of forms, problem lists and UK shorthand (parsers.history): each with the
look-alike that must give null. Reports are written here from the notes, a line or two each."""

from __future__ import annotations

import pytest

from tests.parsers.history.reading import fractures


def _fractures(text: str) -> tuple[bool | None, bool | None, bool | None]:
    return fractures(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L #NOF 2019 after tripping over the cat.", (True, None, None)),
        ("PMH: # NOF (2018), hypertension.", (True, None, None)),
        ("Fractured neck of femur in 2020.", (True, None, None)),
        ("Right wrist # 2017.", (None, None, True)),
        ("#L2 on VFA.", (None, True, None)),
        ("Colles' fracture 2015, slipped on ice.", (None, None, True)),
        ("No #NOF.", (False, None, None)),
    ],
)
def test_the_fracture_sign_and_named_fractures(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["# Hip\nScan performed on the left.", "Hip #1 and hip #2 were compared.",
     "# of scans: 3 (hip, spine).", "Left NOF BMD 0.712 g/cm2.", "FHx: parental #NOF.",
     "Her mother had a #NOF at 80.",
     # a surgeon's name is no fracture: 'Colles' names one only with a fracture word
     "Referrer: Dr T. Colles (GP)", "Referred by Dr T. Colles for a DXA scan."],
)
def test_look_alikes_of_the_fracture_sign(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q3. Have you broken any bones since age 50? No\nOther: FHx: parental #NOF.",
         (False, False, False)),
        ("Have you ever had a fracture? Yes - wedge fracture of T10 in 2020",
         (None, True, None)),
        ("Did you break a bone as an adult? Yes", (None, None, True)),
    ],
)
def test_a_question_answered_on_its_line(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Q1. Have you ever broken a bone as an adult? (not answered)",
     "Have you ever broken a bone as an adult?",
     "Q1. Have you ever broken a bone as an adult? unanswered\n"
     "Other: Possible wrist fracture 2016 - never X-rayed."],
)
def test_a_question_without_its_answer_states_nothing(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[ ] Previous fracture   details: none\n[ ] Parent fractured hip",
         (False, False, False)),
        ("[x] Previous fracture   details: nil\n[x] Parent fractured hip",
         (False, False, False)),
        ("[x] Previous fracture   details: T12 wedge fracture 2021; R #NOF 2022",
         (True, True, None)),
        ("[x] Prior fracture  details: low-trauma right hip fracture 2016 (DHS)",
         (True, None, None)),
    ],
)
def test_a_checkbox_item_with_its_own_label(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["[ ] Previous fracture   details: wrist 2019",  # unticked: its details are not stated
     "[ ] Previous fracture", "[ ] Parent fractured hip   details: none"],
)
def test_unticked_items_that_state_nothing(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clinical details / risk factors:\n- Negative for prior fracture.\n- Smoker.",
         (False, False, False)),
        ("Risk factors:\n- No history of hip or vertebral fracture.", (False, False, None)),
        ("Clinical details / risk factors:\n- Mother fractured her hip aged 78.\n"
         "- Low-trauma distal radius fracture 2018.", (None, None, True)),
        ("Clinical details / risk factors:\n- Humerus fracture 2015, tripped on a kerb.\n"
         "- R #NOF 2015 after a fall at home.", (True, None, True)),
    ],
)
def test_a_risk_factor_list_stating_the_patients_fractures(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["FRAX risk factors:\n- Prior fragility fracture\n- Parental hip fracture",
     "FRAX risk factors:\n- Sister had vertebral fractures 2019.",
     "Risk factors:\n- No parental hip fracture."],
)
def test_a_risk_factor_legend_states_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S72.001A  Fracture of unspecified part of neck of right femur", (True, None, None)),
        ("S72.012D  Unspecified intracapsular fracture of left femur", (True, None, None)),
        ("M80.08XA  Age-related osteoporosis with current pathological fracture, vertebra(e)",
         (None, True, None)),
        ("M80.031A  Age-related osteoporosis with current pathological fracture, right forearm",
         (None, None, True)),
    ],
)
def test_problem_list_codes_of_fractures(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["M81.0  Age-related osteoporosis without current pathological fracture",
     "Pathological L2 fracture due to myeloma deposit 2018.",
     "Pathological fracture of the femoral neck (metastasis).",
     "S72.3  Fracture of shaft of femur after road traffic collision"],
)
def test_problem_list_look_alikes(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a printout's wrapped sentence is read whole: its negation and its relative reach on
        ("Comment: Sister has osteoporosis. LMP 2020. No history of low-trauma\n"
         "fracture. Discussed treatment.", (False, False, False)),
        ("Comment: the patient's sister had several spinal fractures and her mother\n"
         "had a hip fracture in 2019.", (None, None, None)),
        # look-alikes: a line that ends its sentence, or a short line, is not wrapped
        ("Comment: her sister had several spinal fractures, as did her mother.\n"
         "hip fracture 2019 after a fall.", (True, None, None)),
        ("Family history: mother\nhip fracture 2019 after a fall.", (True, None, None)),
    ],
)
def test_a_wrapped_sentence_is_one_sentence(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected
