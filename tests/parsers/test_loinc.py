"""LOINC-coded DXA values: the code places the value, and coded rows only fill what the
report's words leave null."""

from __future__ import annotations

from dexa.contract import Measurement
from parsers.loinc import CodedValue, coded_measurements, with_coded


def _row(region: str, side: str | None = None, **values: float) -> Measurement:
    return Measurement(region=region, side=side, **values)  # type: ignore[arg-type]


def test_the_code_names_site_side_and_field() -> None:
    rows = coded_measurements([
        CodedValue("80946-7", -1.4, ("{T-score}",)),
        CodedValue("46278-8", 0.801, ("g/cm2",)),
        CodedValue("24701-5", 0.7, ("g/cm²",), labels=("Right femur",)),
        CodedValue("38266-3", -1.0),  # calcaneus: no region of the report document
        CodedValue("2345-7", 5.4, ("mmol/L",)),  # glucose
        CodedValue("24966-4", 912.0, ("mg/cm2",)),
    ])
    assert rows == [_row("total_hip", "left", t_score=-1.4, bmd_g_cm2=0.801),
                    _row("femoral_neck", "right", bmd_g_cm2=0.7),
                    _row("lumbar_spine", bmd_g_cm2=0.912)]


def test_the_first_value_of_a_field_stays() -> None:
    rows = coded_measurements([CodedValue("38267-1", -2.0), CodedValue("38267-1", -3.0)])
    assert rows == [_row("lumbar_spine", t_score=-2.0)]


def test_coded_rows_fill_the_words_rows_and_add_the_sites_they_lack() -> None:
    words = [_row("lumbar_spine", t_score=-2.1).model_copy(update={"levels": "L1-L4"}),
             _row("femoral_neck", "left", t_score=-1.0)]
    coded = [_row("lumbar_spine", bmd_g_cm2=0.9, t_score=-9.9),
             _row("femoral_neck", "left", bmd_g_cm2=0.7),
             _row("femoral_neck", "right", t_score=-0.5)]
    merged = with_coded(words, coded)
    assert [(m.region, m.side, m.levels, m.bmd_g_cm2, m.t_score) for m in merged] == [
        ("lumbar_spine", None, "L1-L4", 0.9, -2.1),
        ("femoral_neck", "left", None, 0.7, -1.0),
        ("femoral_neck", "right", None, None, -0.5)]
    assert words[0].bmd_g_cm2 is None  # the words' rows are not changed in place


def test_a_coded_row_whose_row_cannot_be_told_is_left_out() -> None:
    both = [_row("total_hip", "left", t_score=-1.0), _row("total_hip", "right", t_score=-1.1)]
    assert with_coded(both, [_row("total_hip", bmd_g_cm2=0.8)]) == both
    sideless = [_row("total_hip", t_score=-1.0)]
    assert with_coded(sideless, [_row("total_hip", "left", bmd_g_cm2=0.8)]) == sideless
