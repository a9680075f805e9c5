"""The APEX report script of a Hologic report image (dxa-formats.md §1.2), built in code: the
results table is read by its column headers and row labels, in the body part and side of the
header; the element is found by content, whatever its tag."""

from __future__ import annotations

import pytest
from pydicom import dcmread
from pydicom.filebase import DicomBytesIO

from dexa.contract import Measurement, ReportRejected
from parsers import parse_bytes
from tests.synth import cases, sr

CASE = cases.motivating_case()
HEADERS = ["Region", "Area[cm<sup><small>2</small></sup>]", "BMC[(g)]",
           "BMD[g/cm<sup><small>2</small></sup>]", "T - Score", "PR (%)", "Z - Score", "AM (%)"]


def _script(rows: list[list[str]]) -> str:
    lines = ['PatientName = "Müller^Anna";', 'DOB = "01.02.1950";',
             'Scan = "14 March 2024 - A0314240A";']
    for r, row in enumerate([HEADERS, *rows]):
        lines += [f'ResultsTable[ {r}][ {c}] = "{cell}";' for c, cell in enumerate(row)]
    return "\n".join(lines)


def _image(script: str | None, *, body_part: str, laterality: str | None,
           tag: tuple[int, int] = (0x0020, 0x4000)) -> bytes:
    ds = dcmread(DicomBytesIO(sr.secondary_capture(CASE)), force=True)
    ds.BodyPartExamined = body_part
    if laterality:
        ds.Laterality = laterality
    elif "Laterality" in ds:
        del ds.Laterality
    if script is not None:
        ds.add_new(tag, "LT", script)
    out = DicomBytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def test_spine_table_levels_and_total() -> None:
    doc = parse_bytes(_image(_script([
        ["L1", "13.0", "10.1", "0.777", "-1.9", "80", "-0.5", "94"],
        ["L2", "14.0", "11.9", "0.850", "-1.8", "82", "-0.4", "95"],
        ["Total", "55.0", "46.2", "0.840", "-1.9", "81", "-0.5", "94"]]),
        body_part="SPINE", laterality=None), "page.dcm")
    assert [(m.region, m.levels, m.bmd_g_cm2, m.t_score, m.z_score) for m in doc.measurements] == [
        ("vertebra", "L1", 0.777, -1.9, -0.5), ("vertebra", "L2", 0.85, -1.8, -0.4),
        ("lumbar_spine", None, 0.84, -1.9, -0.5)]  # the levels of the total are not printed
    assert "Müller" not in doc.model_dump_json() and "1950" not in doc.model_dump_json()


@pytest.mark.parametrize("tag", [(0x0020, 0x4000), (0x0029, 0x1010)])
def test_hip_table_with_the_headers_side_in_any_element(tag: tuple[int, int]) -> None:
    doc = parse_bytes(_image(_script([
        ["Neck", "4.9", "3.6", "0.730", "-1.1", "86", "0.3", "105"],
        ["Troch", "10.9", "6.9", "0.633", "-0.7", "89", "0.3", "106"],
        ["Inter", "16.2", "16.8", "1.036", "-0.9", "87", "0.2", "103"],
        ["Total", "32.0", "27.3", "0.852", "-0.9", "87", "0.2", "104"]]),
        body_part="HIP", laterality="L", tag=tag), "page.dcm")
    assert doc.measurements[0] == Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.73,
                                              t_score=-1.1, z_score=0.3, young_adult_pct=86,
                                              age_matched_pct=105, bmc_g=3.6, area_cm2=4.9)
    assert [(m.region, m.side) for m in doc.measurements] == [
        ("femoral_neck", "left"), ("trochanter", "left"), ("intertrochanter", "left"),
        ("total_hip", "left")]


def test_without_a_script_a_report_image_has_no_text_layer() -> None:
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(_image(None, body_part="HIP", laterality="L"), "page.dcm")
    assert caught.value.code == "no_text_layer"


def test_a_lateral_spine_script_is_not_the_lumbar_spine() -> None:
    """LSPINE is the lateral (IVA) scan: its L2-L4 are no AP lumbar spine values."""
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(_image(_script([["L2-L4", "30.0", "20.0", "0.650", "-2.9", "70", "-1", "85"]]),
                           body_part="LSPINE", laterality=None), "page.dcm")
    assert caught.value.code == "no_measurements"


def test_a_text_element_that_merely_mentions_results_is_no_script() -> None:
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(_image("Results table of the hip: see page 2", body_part="HIP",
                           laterality="L"), "page.dcm")
    assert caught.value.code == "no_text_layer"
