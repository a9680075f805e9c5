"""The printout's decimals (VIS-2 compares two objects of a visit at their printed precision):
a table cell ``0.620`` keeps its three decimals in the report's ``decimals`` map, which a float
cannot (0.620 == 0.62); a value the printout does not give has no entry."""

from __future__ import annotations

import parsers
from dexa.contract import ScanValidation
from planner.visits import merge_visit
from tests.synth.cases import motivating_case
from tests.synth.pdf import ge_pdf, hologic_pdf
from tests.synth.sr import ge_enhanced_sr


def _read(data: bytes, name: str):
    return parsers.parse_bytes(data, name)


def test_every_table_value_has_its_printed_decimals() -> None:
    for layout in (ge_pdf, hologic_pdf):
        report = _read(layout(motivating_case()), "printout.pdf")
        assert report.decimals, layout.__name__
        for i, m in enumerate(report.measurements):
            for name in ("bmd_g_cm2", "t_score", "z_score"):
                path = f"measurements/{i}/{name}"
                if getattr(m, name) is None:
                    assert path not in report.decimals, path
                else:
                    assert report.decimals[path] == (3 if name == "bmd_g_cm2" else 1), path


def test_a_value_not_printed_has_no_decimals() -> None:
    case = motivating_case()
    case.measurements[0].z_score = None
    report = _read(ge_pdf(case), "printout.pdf")
    spine = next(i for i, m in enumerate(report.measurements) if m.region == "lumbar_spine")
    assert report.measurements[spine].z_score is None
    assert f"measurements/{spine}/z_score" not in report.decimals
    assert report.decimals[f"measurements/{spine}/bmd_g_cm2"] == 3


def test_a_printed_trailing_zero_makes_a_conflict_with_the_sr() -> None:
    """The SR stores 0.618 and the printout prints 0.620: after print rounding they differ
    (VIS-2), which the float 0.62 alone could not tell (0.62 agrees with 0.618)."""
    sr_case, printed = motivating_case(), motivating_case()
    neck = next(i for i, m in enumerate(printed.measurements) if m.region == "femoral_neck")
    sr_case.measurements[neck].bmd_g_cm2 = 0.618
    printed.measurements[neck].bmd_g_cm2 = 0.620
    sr = _read(ge_enhanced_sr(sr_case), "sr.dcm")
    pdf = _read(ge_pdf(printed), "printout.pdf")
    visit = merge_visit([sr, pdf], [ScanValidation(), ScanValidation()])
    assert [c.field for c in visit.conflicts] == ["measurements/femoral_neck/left/bmd_g_cm2"]
    without_map = pdf.model_copy(update={"decimals": None})
    visit = merge_visit([sr, without_map], [ScanValidation(), ScanValidation()])
    assert visit.conflicts == ()
