"""Fracture wordings of UK printouts and forms in a vendor printout's history lines (the
shared history reader through the PDF reader): the '#' of a fracture, a sentence the printout
wrapped, a question answered on its line; each with its look-alike that must give null."""

from __future__ import annotations

import pytest

from dexa.contract import ReportDocument
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases
from tests.synth.pdf import hologic_pdf

HOLOGIC = cases.osteoporosis_case()


def _fractures(*history: str) -> tuple[bool | None, bool | None, bool | None]:
    doc: ReportDocument = parse_bytes(hologic_pdf(HOLOGIC, history=history), "h.pdf")
    assert_valid_report(doc.to_dict())
    assert doc.measurements
    fx = doc.fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["History: R #NOF 2021 after a fall at home."], (True, None, None)),
        (["History: Sister has spinal fractures. LMP 2020. No history of low-trauma",
          "fracture. Discussed treatment options."], (False, False, False)),
        (["Have you ever broken a bone as an adult? No"], (False, False, False)),
        # look-alikes
        (["History: FHx: parental #NOF."], (None, None, None)),
        (["History: scan #2 of the hip."], (None, None, None)),
        (["Have you ever broken a bone as an adult?"], (None, None, None)),
    ],
)
def test_fracture_wordings_in_history_lines(lines: list[str], expected: tuple) -> None:
    assert _fractures(*lines) == expected
