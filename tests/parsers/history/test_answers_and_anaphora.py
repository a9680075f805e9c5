"""Two wording classes a blind writer's reports showed misread (parsers.history), each with its
look-alikes: a bare answer after a dash or a colon inside a section's value or a list of FRAX
inputs ("History: Previous fracture - No", "Age 67, Previous fracture: no, Smoking - no"), and a
denial that stands for the fracture named before it ("Her mother broke a hip; she herself has
had none"). Before these rules the first read as a fracture (an invented value) and the second
as nothing. Sentences are written here; the same lines are read in a vendor printout's history
box, where the shared reader reads them too."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from tests.parsers.history.reading import fractures as _fractures
from tests.synth import cases
from tests.synth.pdf import hologic_pdf

NONE = (None, None, None)
DENIED = (False, False, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("History: Previous fracture - No", DENIED),
        ("Clinical history: prior fracture - no", DENIED),
        ("History: Previous fracture - no. Parent fractured hip - yes.", DENIED),
        ("FRAX inputs: Age 67, BMI 24.1, Previous fracture - No, Parent fractured hip - Yes,"
         " Smoking - No", DENIED),
        ("FRAX inputs: Age 71, BMI 22, Previous fracture: no, Parent fractured hip: yes,"
         " Current smoking: no", DENIED),
        ("History: Hip fracture - yes", (True, None, None)),
        # the look-alikes: a dash before a date or a relative, a parent's fracture answered yes,
        # a fracture answered yes after other items
        ("Indication: Hip fracture - 2019", (True, None, None)),
        ("History: Mother - hip fracture", NONE),
        ("FRAX inputs: Age 67, Parent fractured hip - Yes, Smoking - No", NONE),
        ("Risk factors: smoker, previous fracture - yes", (None, None, True)),
        ("Indication: fall - no fracture", NONE),
        ("Family history: prior fracture - yes", NONE),
        ("Family history: prior fracture: yes", NONE),
    ],
)
def test_a_bare_answer_after_a_dash_or_in_a_list(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("History: Mother and sister both had hip fractures; patient herself has had none.",
         DENIED),
        ("History: Mother had a hip fracture. The patient has had none.", DENIED),
        ("History: Her sister broke a hip. She has never had one.", DENIED),
        ("History: Father had a hip fracture. She has had none herself.", DENIED),
        ("Her mother broke her hip; she herself has not had any.", DENIED),
        # the look-alikes: no fracture named before; an interval's denial; a later label's
        # answer of its own
        ("History: Has had none.", NONE),
        ("History: Wrist fracture 2015, has had none since.", (None, None, True)),
        ("History: Mother had a hip fracture. Smoker: never had any.", NONE),
        ("History: Asthma, never had one attack in years.", NONE),
        # "no such history" denies the one site named before; two sites, or none: nothing
        ("Addendum: further history:\nMother had # NOF at 76. Pt. has no such H/O.",
         (False, None, None)),
        ("History: Mother had a wrist fracture and a hip fracture. She has no such history.",
         NONE),
        ("History: Diabetes. No such history.", NONE),
    ],
)
def test_a_denial_that_stands_for_the_fracture_before_it(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["History: Previous fracture - No. Parent fractured hip - Yes."], DENIED),
        (["History: Mother had a hip fracture; she has had none herself."], DENIED),
        (["History: Mother had a hip fracture. Smoker: never had any."], NONE),
    ],
)
def test_the_same_wordings_in_a_printouts_history_box(lines: list[str], expected: tuple) -> None:
    doc = parse_bytes(hologic_pdf(cases.osteoporosis_case(), history=lines), "h.pdf")
    assert doc.measurements
    fx = doc.fracture_history
    assert (fx.hip, fx.vertebral, fx.other_fragility) == expected
