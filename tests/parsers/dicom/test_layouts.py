"""SR layouts of the format notes (dxa-formats.md §1), each read by meaning, each with the
look-alike that must not be read: APEX region and FRAX names (§1.2), GE forearm regions (§1.3),
LOINC items with modifiers (§1.5), finding sites with laterality (§1.1) and prior-scan
containers. Trees are built in code (tests/synth/sr)."""

from __future__ import annotations

from dexa.contract import Frax, Measurement, Prior, ReportDocument
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases, sr
from tests.synth.sr import HeaderQuirks, code, code_item, container, date_item, num, text

CASE = cases.motivating_case()  # scan date 2024-03-14
FINDING_SITE = code("363698007", "SCT", "Finding Site")


def _read(*children, root: str = "Bone Densitometry Report") -> ReportDocument:
    data = sr._sr(CASE, sr.ENHANCED_SR, sr.concept(root), list(children), HeaderQuirks())
    doc = parse_bytes(data, "t.dcm")
    assert_valid_report(doc.to_dict())
    return doc


def _side(side: str, relationship: str = "HAS CONCEPT MOD"):
    return code_item(sr.LATERALITY, sr.SIDE_CODES[side], relationship)


def _loinc(value: str, meaning: str, number: float, unit: str, *modifiers):
    item = num(code(value, "LN", meaning), number, unit)
    if modifiers:
        item.ContentSequence = sr.Sequence(list(modifiers))
    return item


def _region(name: str, bmd: float, t: float):
    return container(name, [num("BMD", bmd, "g/cm2"), text("T_SCORE", str(t))])


# --- APEX (§1.2) -----------------------------------------------------------------------------

def test_apex_region_names_with_levels_run_together() -> None:
    """APEX names spine regions after its BONERANGE columns: L1L2L3L4 is L1-L4, L1L4 skips
    L2 and L3 (L1,L4); a single level stays a vertebra."""
    doc = _read(container("AP SPINE", [_region("L1L2L3L4", 1.0, -1.0), _region("L1L4", 0.98, -1.2),
                                       _region("L2L3L4", 1.02, -0.8), _region("L3", 1.05, -0.5)]))
    assert [(m.region, m.levels) for m in doc.measurements] == [
        ("lumbar_spine", "L1-L4"), ("lumbar_spine", "L1,L4"), ("lumbar_spine", "L2-L4"),
        ("vertebra", "L3")]


def test_inter_trochanter_is_not_the_greater_trochanter() -> None:
    doc = _read(container("LEFT HIP", [_region("GREATER TROCHANTER", 0.6, -1.5),
                                       _region("INTER-TROCHANTER", 0.95, -1.1)]))
    assert [(m.region, m.side, m.bmd_g_cm2) for m in doc.measurements] == [
        ("trochanter", "left", 0.6), ("intertrochanter", "left", 0.95)]
    assert doc.warnings == []


def test_a_laterality_item_inside_a_site_container_gives_the_side() -> None:
    """APEX puts ``Laterality`` as a CONTAINS item of the hip; without it the side is unknown."""
    doc = _read(container("HIP", [_side("right", "CONTAINS"), _region("FEMORAL NECK", 0.7, -2.0)]),
                container("HIP", [_region("HIP TOTAL", 0.8, -1.6)]))
    assert [(m.region, m.side) for m in doc.measurements] == [
        ("femoral_neck", "right"), ("total_hip", None)]


def test_apex_ten_year_fracture_risk_is_frax() -> None:
    """FX_RISK (any major fracture) and HIP_FX_RISK; a hip-fracture history item is no FRAX."""
    doc = _read(container("AP SPINE", [_region("L1-L4", 1.0, -1.0)]),
                container("TENYEARFXRISK", [num("FX_RISK", 15.3, "%"),
                                            num("HIP_FX_RISK", 1.1, "%")]),
                text("History of hip fracture", "Yes"))
    assert doc.frax == Frax(major_osteoporotic_pct=15.3, hip_pct=1.1)
    assert doc.fracture_history.hip is True


def test_history_of_hip_fracture_alone_gives_no_frax() -> None:
    doc = _read(container("AP SPINE", [_region("L1-L4", 1.0, -1.0)]),
                text("History of hip fracture", "No"))
    assert doc.frax is None


# --- GE forearm (§1.3, §1.4) ------------------------------------------------------------------

def test_ge_forearm_both_total_is_radius_and_ulna() -> None:
    doc = _read(container("Right Forearm", [_region("Radius Total", 0.6, -1.2),
                                            _region("Both Total", 0.55, -1.5)]), root="DXA Report")
    assert [(m.region, m.side, m.bmd_g_cm2) for m in doc.measurements] == [
        ("radius_total", "right", 0.6), ("forearm_total", "right", 0.55)]


# --- LOINC (§1.5) -----------------------------------------------------------------------------

def test_loinc_items_with_laterality_modifiers_are_two_sides() -> None:
    doc = _read(
        _loinc("24701-5", "DXA Femur [Mass/Area] Bone density", 0.6, "g/cm2", _side("left")),
        _loinc("38263-0", "DXA Femur [T-score] Bone density", -2.1, "{T-score}", _side("left")),
        _loinc("24701-5", "DXA Femur [Mass/Area] Bone density", 0.68, "g/cm2", _side("right")),
        _loinc("38263-0", "DXA Femur [T-score] Bone density", -1.5, "{T-score}", _side("right")),
        root="DXA Bone density study report")
    assert doc.measurements == [
        Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.6, t_score=-2.1),
        Measurement(region="femoral_neck", side="right", bmd_g_cm2=0.68, t_score=-1.5)]
    assert doc.warnings == []


def test_loinc_vertebral_levels_modifier_on_the_item_or_its_container() -> None:
    levels = text(code("LV1", "99LOCAL", "Vertebral levels"), "L2-L4", "HAS CONCEPT MOD")
    reference = text(code("RP1", "99LOCAL", "Reference population"), "NHANES L1 cohort",
                     "HAS CONCEPT MOD")  # not levels, though it holds "L1"... and names nothing
    on_item = _read(_loinc("24966-4", "DXA Lumbar spine [Mass/Area] Bone density", 1.0, "g/cm2",
                           levels), root="DXA Bone density study report")
    in_container = _read(container(code("122496007", "SCT", "Lumbar spine"), [
        text(code("LV1", "99LOCAL", "Vertebral levels"), "L1-L3", "HAS CONCEPT MOD"),
        _loinc("24966-4", "DXA Lumbar spine [Mass/Area] Bone density", 0.9, "g/cm2")]))
    without = _read(_loinc("24966-4", "DXA Lumbar spine [Mass/Area] Bone density", 1.1, "g/cm2",
                           reference), root="DXA Bone density study report")
    assert on_item.measurements == [Measurement(region="lumbar_spine", levels="L2-L4",
                                                bmd_g_cm2=1.0)]
    assert in_container.measurements == [Measurement(region="lumbar_spine", levels="L1-L3",
                                                     bmd_g_cm2=0.9)]
    assert without.measurements[0].region == "lumbar_spine"
    assert without.measurements[0].levels in (None, "L1")  # never a range the report lacks


def test_the_loinc_code_decides_the_region_over_its_container() -> None:
    """A femur (neck) item inside a SNOMED ``Hip`` container stays the femoral neck."""
    doc = _read(container(code("29836001", "SCT", "Hip"), [
        _side("left"),
        _loinc("24701-5", "DXA Femur [Mass/Area] Bone density", 0.6, "g/cm2"),
        _loinc("38261-4", "DXA Hip [Mass/Area] Bone density", 0.7, "g/cm2")]))
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.6),
                                Measurement(region="total_hip", side="left", bmd_g_cm2=0.7)]


# --- finding sites (§1.1) ---------------------------------------------------------------------

def _group(site, *items, modifiers=()):
    site_item = code_item(FINDING_SITE, site, "HAS CONCEPT MOD")
    return container("Bone density measurement", [site_item, *modifiers, *items])


def test_a_hip_finding_site_is_the_total_hip_unless_a_finer_name_says_otherwise() -> None:
    hip = code("29836001", "SCT", "Hip")
    doc = _read(_group(hip, num("Bone mineral density", 0.85, "g/cm2"), modifiers=[_side("left")]),
                _group(hip, num("Femoral neck BMD", 0.7, "g/cm2"), modifiers=[_side("right")]))
    assert doc.measurements == [Measurement(region="total_hip", side="left", bmd_g_cm2=0.85),
                                Measurement(region="femoral_neck", side="right", bmd_g_cm2=0.7)]


def test_levels_modifier_qualifies_a_lumbar_spine_finding_site() -> None:
    levels = text(code("LV1", "99LOCAL", "Vertebral levels"), "L1-L4", "HAS CONCEPT MOD")
    doc = _read(_group(code("122496007", "SCT", "Lumbar spine"),
                       num("Bone mineral density", 1.0, "g/cm2"), modifiers=[levels]),
                _group(code("66794005", "SCT", "L1 vertebra"),
                       num("Bone mineral density", 0.9, "g/cm2")))
    assert doc.measurements == [
        Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.0),
        Measurement(region="vertebra", levels="L1", bmd_g_cm2=0.9)]


# --- prior scans ------------------------------------------------------------------------------

def test_a_prior_study_container_gives_priors_never_current_measurements() -> None:
    doc = _read(
        container("Left femoral neck", [num("Bone mineral density", 0.8, "g/cm2"),
                                        num("T-score", -1.7, "{T-score}")]),
        container("Prior study", [date_item("Study date", "2021-05-04"),
                                  num("Left femoral neck BMD", 0.83, "g/cm2"),
                                  num("Lumbar spine (L1-L4) BMD", 1.01, "g/cm2"),
                                  num("Left femoral neck T-score", -1.5, "{T-score}")]),
        container("Previous examination", [num("Right total hip BMD", 0.9, "g/cm2")]))  # undated
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.8,
                                            t_score=-1.7)]
    assert doc.priors == [
        Prior(scan_date="2021-05-04", region="femoral_neck", side="left", bmd_g_cm2=0.83),
        Prior(scan_date="2021-05-04", region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.01)]
    assert doc.warnings == ["PRIOR_NOT_PLACED"]


def test_prior_study_with_nested_site_containers_and_a_text_date() -> None:
    doc = _read(
        container("AP Spine", [_region("L1-L4", 1.0, -1.0)]),
        container("Comparison study", [text("Scan date", "2020-02-29"),
                                       container("AP Spine", [_region("L1-L4", 1.04, -0.7)])]))
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L1-L4",
                                            bmd_g_cm2=1.0, t_score=-1.0)]
    assert doc.priors == [Prior(scan_date="2020-02-29", region="lumbar_spine", levels="L1-L4",
                                bmd_g_cm2=1.04)]


def test_a_container_named_by_an_earlier_date_holds_priors_and_todays_date_is_current() -> None:
    doc = _read(container("AP Spine", [
        container("12-Mar-2019", [_region("L1-L4", 1.05, -0.6)]),
        container(CASE.study.scan_date or "", [_region("L2-L4", 1.1, -0.2)])]))
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L2-L4", bmd_g_cm2=1.1,
                                            t_score=-0.2)]
    assert doc.priors == [Prior(scan_date="2019-03-12", region="lumbar_spine", levels="L1-L4",
                                bmd_g_cm2=1.05)]


def test_earlier_values_among_current_items_are_never_current() -> None:
    """``BMD 2020-01-02`` is a prior; ``Previous BMD`` and ``Previous T-score`` without a date
    are dropped (a prior must be dated); a ``Baseline`` container dated by a text item."""
    doc = _read(container("AP Spine", [
        container("L1-L4", [num("BMD", 1.0, "g/cm2"), num("BMD 2020-01-02", 1.02, "g/cm2"),
                            num("Previous BMD", 0.99, "g/cm2"),
                            num("Previous T-score", -0.5, "{T-score}")]),
        container("Baseline", [text("Date", "2018-05-06"), _region("L1-L4", 1.07, -0.4)])]))
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.0)]
    assert doc.priors == [
        Prior(scan_date="2020-01-02", region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.02),
        Prior(scan_date="2018-05-06", region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.07)]
    assert doc.warnings == ["PRIOR_NOT_PLACED"]


def test_reference_means_and_changes_are_not_the_patients_bmd() -> None:
    doc = _read(container("Left Femur", [container("Neck", [
        num("BMD", 0.8, "g/cm2"), num("Young adult mean BMD", 0.94, "g/cm2"),
        num("Age-matched mean BMD", 0.85, "g/cm2"), num("Reference BMD", 0.9, "g/cm2"),
        num("BMD change vs previous", 0.02, "g/cm2"), num("BMD % change from baseline", 2.5, "%"),
        num("Reference database T-score", -1.2, "{T-score}")])]))  # a T-score all the same
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.8,
                                            t_score=-1.2)]
    assert doc.priors == [] and doc.warnings == []


def test_measurement_groups_with_a_finding_site_laterality_and_a_region_text() -> None:
    """TID 1500-like groups: the site is the Finding Site code, the side a Laterality modifier,
    the region a text item (``Region = Neck``); a tracking identifier that names no site adds
    nothing."""
    def group(site, region, bmd, *extra):
        return container(code("125007", "DCM", "Measurement Group"), [
            text("Tracking Identifier", "ROI 1"),
            code_item(FINDING_SITE, site, "HAS CONCEPT MOD"), *extra, text("Region", region),
            num("Bone mineral density", bmd, "g/cm2")])
    femur, spine = code("71341001", "SCT", "Femur"), code("122496007", "SCT", "Lumbar spine")
    doc = _read(group(femur, "Neck", 0.7, _side("left")), group(femur, "Total", 0.8, _side("left")),
                group(spine, "L2-L4", 1.1), root="Imaging Measurement Report")
    assert doc.measurements == [
        Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.7),
        Measurement(region="total_hip", side="left", bmd_g_cm2=0.8),
        Measurement(region="lumbar_spine", levels="L2-L4", bmd_g_cm2=1.1)]


def test_apex_bonerange_masks_name_the_region_of_a_generically_named_container() -> None:
    """§1.2: ``1..4`` in a spine is L1 and L4; ``1...`` in a hip the neck, in a spine L1;
    ``.U.`` (mid ulna) has no region; a mask where the body part is unknown names nothing."""
    def region(name: str, mask: str, bmd: float):
        return container(name, [text("BONERANGE", mask), num("BMD", bmd, "g/cm2")])
    doc = _read(
        container("AP SPINE", [region("Region 1", "1..4", 1.0), region("Region 2", "1...", 0.9)]),
        container("LEFT HIP", [region("Region 1", "1...", 0.7), region("Region 2", "123.", 0.8)]),
        container("RIGHT FOREARM (WRIST)", [region("Region 1", "R..", 0.6),
                                            region("Region 2", ".U.", 0.5)]),
        container("Other", [region("Region 1", "1...", 0.4)]))
    assert [(m.region, m.side, m.levels, m.bmd_g_cm2) for m in doc.measurements] == [
        ("lumbar_spine", None, "L1,L4", 1.0), ("vertebra", None, "L1", 0.9),
        ("femoral_neck", "left", None, 0.7), ("total_hip", "left", None, 0.8),
        ("radius_33", "right", None, 0.6)]
    assert doc.warnings == ["VALUE_WITHOUT_SITE:bmd_g_cm2"]


SPINE = container("AP Spine", [container("L1-L4", [num("BMD", 1.0, "g/cm2")])])


def test_frax_probabilities_under_any_wording() -> None:
    for items in (
            [num("Hip fracture 10-year probability", 3.1, "%"),
             num("Major osteoporotic fracture 10-year probability", 12.0, "%")],
            [container("FRAX", [num("Hip", 3.1, "%"), num("Major osteoporotic", 12.0, "%")])],
            [container("10-year fracture probability", [
                text("Hip fracture", "3.1 %"), text("Major osteoporotic fracture", "12 %")])],
            [num("Risk of hip fracture (10 years)", 3.1, "%"),
             num("Major fracture risk", 12, "%")]):
        doc = _read(SPINE, *items, root="DXA Report")
        assert doc.frax == Frax(major_osteoporotic_pct=12.0, hip_pct=3.1), items


def test_frax_inputs_are_not_measurements_and_a_yes_is_history_not_frax() -> None:
    """A FRAX container lists its inputs: the neck BMD there is FRAX's input, ``Hip fracture:
    Yes`` a history answer; a report-wide container named for fracture risk still measures."""
    doc = _read(SPINE, container("FRAX", [
        num("Femoral neck BMD", 0.7, "g/cm2"), text("Hip fracture", "Yes"), num("BMI", 24, "kg/m2"),
        num("Hip", 3.1, "%")]), root="DXA Report")
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.0)]
    assert doc.frax == Frax(hip_pct=3.1)
    assert doc.fracture_history.hip is True
    wrapper = _read(container("Bone density and fracture risk", [
        SPINE, num("Left femoral neck BMD", 0.7, "g/cm2")]), root="DXA Report")
    assert [m.region for m in wrapper.measurements] == ["lumbar_spine", "femoral_neck"]
    assert wrapper.frax is None


def test_a_container_of_previous_fractures_is_history_not_an_earlier_scan() -> None:
    doc = _read(SPINE, container("Previous fractures", [text("Hip fracture", "Yes"),
                                                        text("Vertebral fracture", "No")]),
                container("Previous study", [date_item("Study date", "2020-01-02"),
                                             num("L1-L4 BMD", 1.03, "g/cm2")]), root="DXA Report")
    assert (doc.fracture_history.hip, doc.fracture_history.vertebral) == (True, False)
    assert doc.priors == [Prior(scan_date="2020-01-02", region="lumbar_spine", levels="L1-L4",
                                bmd_g_cm2=1.03)]


def test_numeric_dates_of_earlier_scans_in_the_order_the_document_decides() -> None:
    """03/12/2019 is day first when another scan of the document is 17/06/2018; alone it is
    no date at all: its values are then left out with a warning, never made current."""
    def trend(*names: str):
        return container("AP Spine", [
            _region("L1-L4", 1.0, -1.0),
            container("Trend L1-L4", [container(name, [num("BMD", 1.05, "g/cm2")])
                                      for name in names])])
    decided = _read(trend("03/12/2019", "17/06/2018"), root="DXA Report")
    assert [p.scan_date for p in decided.priors] == ["2019-12-03", "2018-06-17"]
    undecided = _read(container("AP Spine", [
        _region("L1-L4", 1.0, -1.0),
        container("03/12/2019", [_region("L1-L4", 1.05, -0.6)])]), root="DXA Report")
    assert undecided.measurements == [Measurement(region="lumbar_spine", levels="L1-L4",
                                                  bmd_g_cm2=1.0, t_score=-1.0)]
    assert undecided.priors == [] and undecided.warnings == ["PRIOR_NOT_PLACED"]


def test_a_container_of_this_exam_is_current_whatever_date_it_carries() -> None:
    doc = _read(container("Current exam 2024-03-15", [
        container("AP Spine", [_region("L1-L4", 1.0, -1.0)])]), root="DXA Report")
    assert doc.measurements == [Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.0,
                                            t_score=-1.0)]
    assert doc.priors == []
