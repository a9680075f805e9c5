"""One behaviour per test: column geometry, group rows, no-reference rows, Unicode minus,
tables on page 2, names never output, header facts."""

from __future__ import annotations

import pypdfium2 as pdfium

import parsers
from dexa.contract import Measurement, ReportDocument
from parsers.labels import Site
from parsers.pdf.geometry import Line, Word
from parsers.pdf.reader import _context, _Sites
from tests.conftest import assert_valid_report
from tests.parsers.pdf.test_layouts import dual_hip_spine_case, forearm_case
from tests.synth import cases
from tests.synth import pdf as synth


def _parse(data: bytes) -> ReportDocument:
    doc = parsers.parse_bytes(data, "x.pdf")
    assert_valid_report(doc.to_dict())
    return doc


def _page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_empty_t_column_leaves_z_scores_under_z() -> None:
    report = dual_hip_spine_case()
    doc = _parse(synth.hologic_pdf(report, empty_t_column=True))
    assert [m.t_score for m in doc.measurements] == [None] * len(report.measurements)
    assert [m.z_score for m in doc.measurements] == [m.z_score for m in report.measurements]
    assert "T_Z_COLUMN_EMPTY" in doc.warnings


def test_pr_and_am_columns_are_read_by_their_headers() -> None:
    report = dual_hip_spine_case()
    doc = _parse(synth.hologic_pdf(report, pr_am_columns=True))
    assert [(m.young_adult_pct, m.age_matched_pct) for m in doc.measurements] == [
        (m.young_adult_pct, m.age_matched_pct) for m in report.measurements]
    assert "T_Z_COLUMN_EMPTY" not in doc.warnings


def test_hologic_dual_hip_group_rows_and_diff_rows() -> None:
    doc = _parse(synth.hologic_pdf(dual_hip_spine_case()))
    hips = [(m.region, m.side) for m in doc.measurements if m.levels is None]
    assert hips == [("femoral_neck", "left"), ("femoral_neck", "right"),
                    ("femoral_neck", "mean"), ("trochanter", "left"), ("trochanter", "right"),
                    ("total_hip", "left"), ("total_hip", "right"), ("total_hip", "mean")]
    assert "|Diff.|" in _page_texts(synth.hologic_pdf(dual_hip_spine_case()))[1]


def test_lumbar_composites_keep_their_levels() -> None:
    doc = _parse(synth.ge_pdf(dual_hip_spine_case()))
    assert [(m.region, m.levels) for m in doc.measurements if m.levels] == [
        ("vertebra", "L1"), ("vertebra", "L2"), ("vertebra", "L3"), ("vertebra", "L4"),
        ("lumbar_spine", "L1,L3"), ("lumbar_spine", "L1-L2,L4"), ("lumbar_spine", "L2-L4"),
        ("lumbar_spine", "L1-L4")]


def test_hologic_radius_plus_ulna_total_is_forearm_total() -> None:
    report = forearm_case()
    report.measurements.append(Measurement(region="forearm_total", side="right",
                                           bmd_g_cm2=0.601, t_score=-2.2, z_score=-0.9))
    doc = _parse(synth.hologic_pdf(report))
    assert [(m.region, m.side) for m in doc.measurements] == [
        ("radius_33", "right"), ("radius_mid", "right"), ("radius_ultradistal", "right"),
        ("radius_total", "right"), ("forearm_total", "right")]
    assert "Radius + Ulna" in _page_texts(synth.hologic_pdf(report))[0]


def test_no_reference_data_row_gives_null_scores() -> None:
    data = synth.ge_pdf(forearm_case())
    assert "No reference data for Right Forearm [Radius 33%]" in _page_texts(data)[0]
    radius_33 = _parse(data).measurements[0]
    assert (radius_33.region, radius_33.bmd_g_cm2, radius_33.t_score, radius_33.z_score) == (
        "radius_33", 0.892, None, None)


def test_no_reference_data_words_in_score_cells_are_null() -> None:
    report = forearm_case()
    data = synth.ge_pdf(report, missing="n/a")
    assert "0.892 n/a n/a" in _page_texts(data)[0]
    doc = _parse(data)
    assert [(m.region, m.bmd_g_cm2, m.t_score, m.z_score) for m in doc.measurements] == [
        (m.region, m.bmd_g_cm2, m.t_score, m.z_score) for m in report.measurements]


def _line(top: float, text: str, x: float = 60.0) -> Line:
    words, cursor = [], x
    for token in text.split():
        words.append(Word(token, cursor, cursor + 5 * len(token), top, top + 6))
        cursor += 5 * len(token) + 3
    return Line(0, words)


def test_a_fracture_risk_line_does_not_name_the_body_part_of_a_table() -> None:
    lines = [_line(100, "AP Spine Bone Density"), _line(200, "Hip Fracture 1.6%"),
             _line(300, "Region BMD T-score")]
    sites = _Sites(_context(lines, 2))
    assert sites.of("L1") == Site(region="vertebra", side=None, levels="L1")
    assert sites.of("Total") is None  # not a total hip: the page is about the spine


def test_the_side_comes_from_a_line_naming_a_body_part() -> None:
    lines = [_line(100, "Scan Type: a Left Hip"), _line(120, "Analysis: Version 13.6 Hip"),
             _line(300, "Region BMD T-score")]
    assert _Sites(_context(lines, 2)).of("Neck") == Site(region="femoral_neck", side="left",
                                                         levels=None)


def test_unicode_minus_is_a_minus() -> None:
    data = synth.ge_pdf(cases.motivating_case(), unicode_minus=True)
    assert "\u22122.0" in _page_texts(data)[1]
    neck = next(m for m in _parse(data).measurements if m.region == "femoral_neck")
    assert neck.t_score == -2.0


def test_tables_starting_on_page_two() -> None:
    data = synth.hologic_pdf(cases.motivating_case(), cover_page=True)
    assert "DXA Results Summary" not in _page_texts(data)[0]
    assert len(_parse(data).measurements) == 3


def test_table_running_over_a_page_break() -> None:
    report = dual_hip_spine_case()
    data = synth.hologic_pdf(report, split_after=5)
    assert "L1-L4" in _page_texts(data)[1]  # the spine rows after the fifth are on page 2
    doc = _parse(data)
    assert [(m.region, m.side, m.levels) for m in doc.measurements] == [
        (m.region, m.side, m.levels) for m in report.measurements]


def test_trend_row_of_the_scan_date_is_the_current_scan() -> None:
    doc = _parse(synth.ge_pdf(dual_hip_spine_case()))
    assert sorted((p.scan_date, p.region, p.bmd_g_cm2) for p in doc.priors) == [
        ("2020-02-11", "lumbar_spine", 0.972), ("2022-03-30", "lumbar_spine", 0.951),
        ("2022-03-30", "total_hip", 0.849)]


def test_lsc_footer_per_site() -> None:
    doc = _parse(synth.ge_pdf(dual_hip_spine_case()))
    assert [(x.region, x.side, x.levels, x.g_cm2) for x in doc.lsc] == [
        ("lumbar_spine", None, "L1-L4", 0.028), ("total_hip", "mean", None, 0.017)]


def test_header_facts_and_device() -> None:
    doc = _parse(synth.ge_pdf(dual_hip_spine_case(), v12_header=True, imperial=True))
    assert (doc.patient.id, doc.patient.sex, doc.patient.ethnicity) == ("SYN0101", "F", "White")
    assert (doc.patient.height_cm, doc.patient.weight_kg) == (158.5, 58.2)
    assert (doc.source.vendor, doc.source.device, doc.source.software) == (
        "GE Healthcare", "Lunar Prodigy DF+500475", "enCORE 12")
    assert doc.study.reference_database == "USA (Combined NHANES/Lunar)"
    assert doc.study.printed_category == "Osteopenia"
    assert doc.frax is not None and (doc.frax.major_osteoporotic_pct, doc.frax.hip_pct) == (
        14.0, 2.8)


def test_the_name_is_never_output() -> None:
    for writer in (synth.hologic_pdf, synth.ge_pdf, synth.norland_pdf,
                   synth.prodigy_narrative_pdf):
        data = writer(cases.motivating_case())
        assert any(synth.FAKE_NAME in text for text in _page_texts(data))
        assert "Quixote" not in _parse(data).to_json()
        assert "Dulcinea" not in _parse(data).to_json()


def test_total_body_total_row() -> None:
    report = cases.normal_man_case()
    report.measurements = [Measurement(region="total_body", bmd_g_cm2=1.096, t_score=-0.4,
                                       z_score=0.7)]
    for writer in (synth.ge_pdf, synth.hologic_pdf):
        doc = _parse(writer(report))
        assert [(m.region, m.bmd_g_cm2, m.t_score) for m in doc.measurements] == [
            ("total_body", 1.096, -0.4)]
