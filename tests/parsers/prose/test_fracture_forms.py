"""Fracture history in whole UK-style reports and forms read through the text reader: a
risk-factor list of the patient's own facts, a tick-box form, a problem list. Written here
from the notes; numbers and names are invented."""

from __future__ import annotations

from tests.parsers.prose.reading import read_text

TABLE = """Results:
Site                       BMD (g/cm2)   T-score
L1-4 spine                       0.812      -2.1
Left FN                          0.655      -1.9
Left TH                          0.731      -1.6
"""


def _fractures(history: str) -> dict:
    doc = read_text(f"DXA BONE DENSITOMETRY REPORT\nSex: Female\n\n{history}\n\n{TABLE}")
    return doc["fracture_history"]


def test_a_risk_factor_list_of_the_patients_own_facts() -> None:
    fx = _fractures("Clinical details / risk factors:\n- Mother fractured her hip aged 79.\n"
                    "- Low-trauma distal radius fracture 2018.\n- R #NOF 2020 after a fall.")
    assert fx == {"hip": True, "vertebral": None, "other_fragility": True}


def test_a_risk_factor_list_that_denies_a_fracture() -> None:
    fx = _fractures("Clinical details / risk factors:\n- Negative for prior fracture.\n- PMW.")
    assert fx == {"hip": False, "vertebral": False, "other_fragility": False}


def test_a_risk_factor_legend_states_nothing() -> None:
    fx = _fractures("FRAX risk factors:\n- Prior fragility fracture\n- Parent fractured hip")
    assert fx == {"hip": None, "vertebral": None, "other_fragility": None}


def test_a_tick_box_form() -> None:
    fx = _fractures("[ ] Previous fracture   details: none\n[x] Parent fractured hip")
    assert fx == {"hip": False, "vertebral": False, "other_fragility": False}
    fx = _fractures("[x] Previous fracture   details: L1 wedge fracture 2022\n"
                    "[ ] Parent fractured hip")
    assert fx == {"hip": None, "vertebral": True, "other_fragility": None}


def test_a_problem_list() -> None:
    fx = _fractures("Problem list:\nS72.012D  Unspecified intracapsular fracture of left femur\n"
                    "M81.0     Age-related osteoporosis without current pathological fracture")
    assert fx == {"hip": True, "vertebral": None, "other_fragility": None}
