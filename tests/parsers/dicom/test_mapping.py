"""How SR items map to the report: one rule per test, on small hand-built trees."""

from __future__ import annotations

import pytest

from dexa.contract import Lsc, Measurement, Prior, ReportDocument, ReportRejected, Therapy
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases, sr
from tests.synth.sr import HeaderQuirks, code, code_item, container, date_item, num, text

CASE = cases.motivating_case()
LATERALITY = code("272741003", "SCT", "")


def _read(*children, root: str = "DXA Report", **quirks: bool) -> ReportDocument:
    data = sr._sr(CASE, sr.ENHANCED_SR, sr.concept(root), list(children), HeaderQuirks(**quirks))
    doc = parse_bytes(data, "t.dcm")
    assert_valid_report(doc.to_dict())
    return doc


def test_finding_site_codes_with_laterality_modifier_name_the_site() -> None:
    """Codes decide, not meanings: the meanings here are blank or foreign."""
    right = code_item(LATERALITY, code("24028007", "SCT", "Dexter"), "HAS CONCEPT MOD")
    doc = _read(
        container(code("125007", "DCM", "Measurement Group"), [
            code_item(code("363698007", "SCT", "Finding Site"), code("122496007", "SCT", "")),
            num("Bone Mineral Density", 1.01, "g/cm2")]),
        container(code("125007", "DCM", "Measurement Group"), [
            _with_children(code_item(code("363698007", "SCT", "Finding Site"),
                                     code("71341001", "SCT", "")), [right]),
            num("Total BMD", 0.9, "g/cm2"), num("Total T-Score", -1.1, "{T-score}"),
            num("T-Score", -1.3, "{T-score}")]))
    assert doc.measurements == [
        Measurement(region="lumbar_spine", bmd_g_cm2=1.01),
        Measurement(region="total_hip", side="right", bmd_g_cm2=0.9, t_score=-1.1)]
    assert doc.warnings == ["VALUE_WITHOUT_SITE:t_score"]  # femur, but neck or total?


def _with_children(item, children):
    item.ContentSequence = sr.Sequence(children)
    return item


def test_laterality_modifier_on_a_coded_site_container() -> None:
    left = code_item(LATERALITY, code("7771000", "SCT", ""), "HAS CONCEPT MOD")
    doc = _read(container(code("71341001", "SCT", ""), [
        left, container("Neck", [num("BMD", 0.7, "g/cm2")])]))
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.7)]


def test_second_value_for_a_site_starts_a_second_row_with_a_warning() -> None:
    """A man's SR can carry female- and male-reference T-scores: both kept, nothing lost."""
    doc = _read(container("Left Femur", [
        container("Neck", [num("BMD", 0.8, "g/cm2"), text("BMD_TSCORE", "-1.4"),
                           text("BMD_TSCORE", "-1.9")]),
        container("Neck", [num("BMD", 0.81, "g/cm2")])]))
    assert doc.measurements == [
        Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.8, t_score=-1.4),
        Measurement(region="femoral_neck", side="left", t_score=-1.9),
        Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.81)]
    assert doc.warnings == ["DUPLICATE_SITE:femoral_neck/left"]


@pytest.mark.parametrize(("written", "expected"), [
    ("1187 mg/cm²", 1.187), ("1.187 g/cm2", 1.187), ("1,187 g/cm2", 1.187), ("0.9", 0.9),
    ("11.87 kg/m2", 1.187)])
def test_text_bmd_values_with_units(written: str, expected: float) -> None:
    doc = _read(container("AP Spine", [container("L1-L4", [text("BMD", written)])]))
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L1-L4",
                                            bmd_g_cm2=expected)]


@pytest.mark.parametrize("written", ["\u22122.0", "-2.0", " -2.0 ", "\u2212 2.0", "-2"])
def test_text_scores_with_any_minus(written: str) -> None:
    doc = _read(container("DualFemur", [container("Neck Mean", [text("T-Score", written)])]))
    assert doc.measurements == [Measurement(region="femoral_neck", side="mean", t_score=-2.0)]


def test_a_value_in_a_unit_that_does_not_fit_is_dropped_with_a_warning() -> None:
    doc = _read(container("AP Spine", [container("L2-L4", [
        num("BMD", 1.0, "g/cm2"), num("BMD_TSCORE", 1.0, "g/cm2"), num("BMC", 4.0, "HU")])]))
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L2-L4",
                                            bmd_g_cm2=1.0)]
    assert doc.warnings == ["UNIT_NOT_UNDERSTOOD:t_score", "UNIT_NOT_UNDERSTOOD:bmc_g"]


def test_only_unplaceable_values_means_no_measurements() -> None:
    with pytest.raises(ReportRejected) as caught:
        _read(num("T-Score", -1.0, None), text("Comment", "see report"))
    assert caught.value.code == "no_measurements"


def test_precision_becomes_lsc_and_percent_lsc_is_not_used() -> None:
    doc = _read(container("AP Spine", [container("L1-L4", [
        num("BMD", 1.0, "g/cm2"), num("Precision", 0.01, "g/cm2"), num("LSC", 2.8, "%")])]),
        container("Left Femur", [container("Total", [num("BMD", 0.9, "g/cm2"),
                                                     num("LSC", 25, "mg/cm2")])]))
    assert doc.lsc == [Lsc(region="lumbar_spine", levels="L1-L4", g_cm2=0.0277),
                       Lsc(region="total_hip", side="left", g_cm2=0.025)]
    assert doc.warnings == ["LSC_FROM_PRECISION", "LSC_NOT_IN_G_CM2"]


def test_trend_scans_named_by_date_or_holding_a_date_item() -> None:
    doc = _read(container("Right Forearm", [
        container("Radius 33%", [num("BMD", 0.7, "g/cm2")]),
        container("Trend Radius 33%", [
            container("12-Mar-2019", [num("AGE", 60, "a"), num("BMD", 0.72, "g/cm2"),
                                      container("CHANGE_VS_PREVIOUS", [num("BMD", 9, "g/cm2")])]),
            container("Prior Examination", [date_item("Study Date", "2021-06-30"),
                                            text("BMD", "0.71 g/cm2")]),
            container("2024-03-14", [num("BMD", 0.7, "g/cm2")]),  # today: not a prior
            container("Not a date", [num("BMD", 0.5, "g/cm2")])])]))
    assert doc.priors == [
        Prior(scan_date="2019-03-12", region="radius_33", side="right", bmd_g_cm2=0.72),
        Prior(scan_date="2021-06-30", region="radius_33", side="right", bmd_g_cm2=0.71)]
    assert doc.warnings == ["PRIOR_NOT_PLACED"]


def test_facts_are_read_only_when_stated() -> None:
    doc = _read(container("AP Spine", [container("L1-L4", [num("BMD", 1.0, "g/cm2")])]),
                text("Osteoporosis Therapy", "Alendronate 70 mg weekly"),
                code_item("Previous Vertebral Fracture", sr.YES),
                text("Reference Database", "USA (Combined NHANES/Lunar)"),
                text("Reference Population", "Asian"))
    assert doc.therapy == Therapy(status="on_therapy", current="Alendronate 70 mg weekly")
    assert doc.fracture_history.model_dump() == {"hip": None, "vertebral": True,
                                                 "other_fragility": None}
    assert doc.frax is None and doc.patient.menopausal_status is None
    assert doc.study.reference_database == "USA (Combined NHANES/Lunar)"
    assert doc.warnings == ["SEVERAL_REFERENCE_DATABASES"]


def test_implicit_vr_and_undefined_lengths() -> None:
    for quirks in ({"implicit_vr": True}, {"undefined_lengths": True},
                   {"implicit_vr": True, "undefined_lengths": True, "no_preamble": True}):
        data = sr.ge_enhanced_sr(CASE, quirks=HeaderQuirks(**quirks))
        assert parse_bytes(data, "q.dcm") == sr.as_read(CASE, data, "q.dcm"), quirks


def test_floating_point_numeric_value_and_non_ascii_text() -> None:
    item = num("BMD", 0.0, "g/cm2")
    measured = item.MeasuredValueSequence[0]
    del measured.NumericValue
    measured.FloatingPointValue = 0.953125  # FD, no DS string
    doc = _read(container("Right Femur", [container("Neck", [item])]),
                text("Osteoporosis Therapy", "Risédronate 35 mg"))
    assert doc.measurements == [Measurement(region="femoral_neck", side="right",
                                            bmd_g_cm2=0.953125)]
    assert doc.therapy == Therapy(status="on_therapy", current="Risédronate 35 mg")


def test_stated_age_far_from_the_dates_is_kept_and_flagged() -> None:
    """The CONTRACT's age is the printed one; a PatientAge the dates contradict is kept, and
    the warning lets GX and the clinician see the disagreement."""
    from pydicom.dataset import Dataset

    from parsers.dicom.header import read_header

    ds = Dataset()
    ds.PatientBirthDate, ds.StudyDate, ds.PatientAge = "19560201", "20240314", "071Y"
    header = read_header(ds)
    assert header.patient.age_years == 71.0
    assert header.warnings == ["PATIENT_AGE_MISMATCH"]


@pytest.mark.parametrize(("stated", "expected"), [("068Y", 68.0), (None, 68.1)])
def test_stated_age_wins_over_the_dates_which_fill_in_when_none_is_stated(
        stated: str | None, expected: float) -> None:
    from pydicom.dataset import Dataset

    from parsers.dicom.header import read_header

    ds = Dataset()
    ds.PatientBirthDate, ds.StudyDate = "19560201", "20240314"
    if stated:
        ds.PatientAge = stated
    header = read_header(ds)
    assert header.patient.age_years == expected
    assert header.warnings == []


def test_a_recommendation_is_not_a_therapy() -> None:
    doc = _read(container("AP Spine", [container("L1-L4", [num("BMD", 1.0, "g/cm2")])]),
                text("Treatment Recommendation", "Consider bisphosphonate"),
                text("Current Treatment", "None"))
    assert doc.therapy == Therapy(status="untreated", current=None)


def test_snomed_radius_code_with_right_laterality() -> None:
    right = code_item(LATERALITY, code("24028007", "SCT", ""), "HAS CONCEPT MOD")
    doc = _read(container(code("62413002", "SCT", ""), [
        right, container("33%", [num("BMD", 0.66, "g/cm2"), text("T-Score", "-1.0")])]))
    assert doc.measurements == [Measurement(region="radius_33", side="right", bmd_g_cm2=0.66,
                                            t_score=-1.0)]


def test_difference_and_change_containers_are_not_measurements() -> None:
    doc = _read(container("DualFemur", [
        container("Neck Left", [num("BMD", 0.80, "g/cm2")]),
        container("Neck Right", [num("BMD", 0.84, "g/cm2")]),
        container("Neck Diff.", [num("BMD", 0.04, "g/cm2")]),
        container("Neck Right", [container("CHANGE_VS_BASELINE", [num("BMD", 0.01, "g/cm2")]),
                                 container("PCHANGE_VS_PREVIOUS", [num("BMD", 1.2, "%")])]),
        container("Trend Neck Diff.", [container("12-Mar-2019", [num("BMD", 0.03, "g/cm2")])])]))
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.8),
                                Measurement(region="femoral_neck", side="right", bmd_g_cm2=0.84)]
    assert doc.priors == [] and doc.warnings == []
