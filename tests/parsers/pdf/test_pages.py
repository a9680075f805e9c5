"""The OCR seam: ``read_pages`` reads positioned words exactly as the PDF text layer is read."""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from dexa.contract import NoTextLayer
from parsers.pdf import PageWords, read_pages, read_pdf
from parsers.pdf.geometry import read_page_words
from parsers.pdf.layout import Line, text_layer
from parsers.pdf.tables import site_header
from tests.parsers.pdf.test_layouts import dual_hip_spine_case
from tests.synth import pdf as synth

_PT = 5.0  # width of one character in these hand-set pages


def _boxes(rows: list[tuple[float, list[tuple[float, str]]]], height: float = 8.0
           ) -> list[tuple]:
    """``(text, x0, y0, x1, y1)`` boxes of cells given as (top, [(x0, text), ...])."""
    return [(text, x, top, x + _PT * len(text), top + height) for top, cells in rows
            for x, text in cells]


def test_a_pdf_read_through_its_page_words_gives_the_same_report() -> None:
    data = synth.ge_pdf(dual_hip_spine_case())
    pages, _ = read_page_words(data)
    from_pdf = read_pdf(data, path="x.pdf", sha256="0" * 64)
    from_words = read_pages(pages, path="x.pdf", sha256="0" * 64, kind="pdf")
    assert from_words.to_dict() == from_pdf.to_dict()


def test_ocr_line_boxes_are_split_into_words_and_read_by_column() -> None:
    header = [(60, "Region"), (140, "BMD (g/cm²)"), (220, "YA T-score"), (300, "AM Z-score")]
    page = PageWords.from_boxes(612, 792, _boxes([
        (80, [(60, "AP Spine Bone Density")]),
        (100, header),
        (112, [(60, "L1-L4"), (140, "1.285"), (220, "0.7"), (300, "1.8")]),
        (124, [(60, "L2"), (140, "1.162"), (220, "\u22120.4"), (300, "0.6")]),
        (700, [(300, "Page: 1 of 1")]),
    ]))
    doc = read_pages([page], path="page.png", sha256="0" * 64)
    assert doc.source.kind == "image-ocr"
    assert [(m.region, m.levels, m.bmd_g_cm2, m.t_score, m.z_score)
            for m in doc.measurements] == [("lumbar_spine", "L1-L4", 1.285, 0.7, 1.8),
                                           ("vertebra", "L2", 1.162, -0.4, 0.6)]


def test_a_page_without_words_is_no_text_layer() -> None:
    with pytest.raises(NoTextLayer):
        read_pages([PageWords(612, 792, [])], path="page.png", sha256="0" * 64)


def test_a_group_label_under_the_header_starts_the_next_group() -> None:
    """Rows indented under their group label (Neck, then Left/Right/Mean/|Diff.|); the next
    group's label (Total) sits under the header, left of the rows."""
    cells = [(90, [(43, "Region"), (140, "BMD"), (220, "T-score"), (300, "Z-score")]),
             (60, [(43, "Dual Femur")]), (102, [(43, "Neck")])]
    top = 114.0
    for group, rows in (("Neck", [("Left", "0.608", "-2.1", "-1.6"),
                                  ("Right", "0.646", "-1.8", "-1.2"),
                                  ("|Diff.|", "0.038", "0.3", "0.4")]),
                        ("Total", [("Left", "0.740", "-1.7", "-1.1"),
                                   ("Mean", "0.722", "-1.8", "-1.2")])):
        if group == "Total":
            cells.append((top, [(42, "Total")]))
            top += 12
        for label, bmd, t, z in rows:
            cells.append((top, [(48, label), (140, bmd), (220, t), (300, z)]))
            top += 12
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.region, m.side, m.bmd_g_cm2) for m in doc.measurements] == [
        ("femoral_neck", "left", 0.608), ("femoral_neck", "right", 0.646),
        ("total_hip", "left", 0.740), ("total_hip", "mean", 0.722)]


def test_chart_axis_labels_and_page_footer_are_no_values() -> None:
    """A reference chart's axis (BMD ticks, ages) over a dated list, and a page footer: none
    of their numbers is a measurement or a prior."""
    cells = [(40, [(43, "AP Spine on: 5/6/2024")]), (52, [(43, "L2 - L4 Norland 4/00 C")]),
             (62, [(43, "1.41"), (60, "1.21"), (77, "1.01"), (94, "0.81")]),
             (72, [(43, "20"), (58, "40"), (73, "60"), (88, "AGE")]),
             (84, [(200, "T-Score"), (300, "-1.28"), (340, "Date"), (430, "Value")]),
             (96, [(200, "Z-Score"), (300, "0.31"), (340, "5/26/2016"), (430, "1.062")]),
             (108, [(340, "12/1/2013"), (430, "1.056")]),
             (700, [(480, "Page: 1 of 1")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.region, m.levels, m.bmd_g_cm2, m.t_score, m.z_score)
            for m in doc.measurements] == [("lumbar_spine", "L2-L4", None, -1.28, 0.31)]
    assert sorted((p.scan_date, p.levels, p.bmd_g_cm2) for p in doc.priors) == [
        ("2013-12-01", "L2-L4", 1.056), ("2016-05-26", "L2-L4", 1.062)]


def test_abbreviated_identifier_labels() -> None:
    """``Acc. No.:`` and ``Accession #:`` name the accession; a scan ID is not the patient's."""
    cells = [(30, [(43, "Accession #: A752108-753838")]), (42, [(43, "MRN: MRN2397695")]),
             (54, [(43, "Scan Date: 5/6/2024"), (200, "ID: A05062490")]),
             (90, [(43, "Region"), (140, "BMD"), (220, "T-score")]),
             (102, [(43, "L1-L4"), (140, "0.930"), (220, "-1.0")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert (doc.study.accession, doc.patient.id) == ("A752108-753838", "MRN2397695")
    cells[0] = (30, [(43, "Acc. No.: RAD0078393")])
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert doc.study.accession == "RAD0078393"


def test_scan_dated_in_a_caption_without_colon() -> None:
    """``Right Hip on 2/4/2024 8:51:46 AM`` over a table dates the scan; a caption whose
    ``on`` is followed by words is no date."""
    def page(caption: str) -> PageWords:
        cells = [(40, [(43, caption)]),
                 (90, [(43, "Region"), (140, "BMD"), (220, "T-score")]),
                 (102, [(43, "Fem Neck"), (140, "0.935"), (220, "-1.4")])]
        return PageWords.from_boxes(612, 792, _boxes(cells))
    doc = read_pages([page("Right Hip on 2/4/2024 8:51:46 AM")], path="p.png", sha256="0" * 64)
    assert doc.study.scan_date == "2024-02-04"
    doc = read_pages([page("Right Hip on the left of 2/4/2024")], path="p.png", sha256="0" * 64)
    assert doc.study.scan_date is None


def test_scan_dated_by_an_image_caption_of_its_own() -> None:
    """Hologic's image caption ``a Right Hip 12/04/2024`` (a scan type and its date, a run of
    its own) dates the scan; a site and a date inside a longer run (a comparison, a table row)
    are no caption."""
    def page(caption: str) -> PageWords:
        cells = [(40, [(43, caption), (300, "a Left Hip 12/14/2024")]),
                 (90, [(43, "Region"), (140, "BMD"), (220, "T-score")]),
                 (102, [(43, "Fem Neck"), (140, "0.935"), (220, "-1.4")])]
        return PageWords.from_boxes(612, 792, _boxes(cells))
    doc = read_pages([page("a Right Hip 12/14/2024")], path="p.png", sha256="0" * 64)
    assert doc.study.scan_date == "2024-12-14"
    for look_alike in ("prior Left Hip 03/02/2017 0.812", "Right Hip 03/02/2017 was lower"):
        cells = [(40, [(43, look_alike)]),
                 (90, [(43, "Region"), (140, "BMD"), (220, "T-score")]),
                 (102, [(43, "Fem Neck"), (140, "0.935"), (220, "-1.4")])]
        doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                         sha256="0" * 64)
        assert doc.study.scan_date is None, look_alike


def test_a_label_beside_the_table_does_not_cut_its_header() -> None:
    """``COMMENTS:`` printed left of the table on the line of its upper header (``BMD``, ``YA``
    over ``(g/cm2)``, ``T-score``) leaves the header whole, so the BMD is read; a label over the
    table itself still ends the header above."""
    def page(label_x: float) -> PageWords:
        cells = [(88, [(label_x, "COMMENTS:"), (230, "BMD"), (290, "YA")]),
                 (99, [(120, "Region"), (225, "(g/cm2)"), (285, "T-score")]),
                 (112, [(120, "L1-L4"), (228, "1.022"), (290, "-1.3")])]
        return PageWords.from_boxes(612, 792, _boxes(cells))
    doc = read_pages([page(20)], path="p.png", sha256="0" * 64)
    assert [(m.bmd_g_cm2, m.t_score) for m in doc.measurements] == [(1.022, -1.3)]
    doc = read_pages([page(180)], path="p.png", sha256="0" * 64)  # a label over the table
    assert [(m.bmd_g_cm2, m.t_score) for m in doc.measurements] == [(None, -1.3)]


def test_row_labels_may_start_left_of_an_indented_region_header() -> None:
    """``Region`` printed indented over ``Total Left`` (GE enCORE 16 dual-hip table): the whole
    label is the row's, so each side is read; text far left of the table stays outside."""
    cells = [(70, [(177, "DualFemur Bone Density")]),
             (88, [(186, "Region"), (240, "BMD"), (300, "T-score")]),
             (100, [(177, "Total Left"), (240, "0.777"), (300, "-1.8")]),
             (112, [(177, "Total Right"), (240, "0.800"), (300, "-1.6")]),
             (124, [(20, "Note"), (177, "Total Mean"), (240, "0.788"), (300, "-1.7")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.region, m.side, m.bmd_g_cm2) for m in doc.measurements] == [
        ("total_hip", "left", 0.777), ("total_hip", "right", 0.8), ("total_hip", "mean", 0.788)]


def test_a_whole_body_table_gives_only_the_total_body() -> None:
    """A whole-body results table lists subregions (``L Spine``, ``Pelvis``) before ``Total``:
    only the total is a measurement; ``L Spine`` is not the lumbar spine."""
    cells = [(40, [(43, "Scan Type: a Whole Body")]),
             (70, [(43, "DXA Results Summary:")]),
             (88, [(43, "Region"), (120, "BMC (g)"), (200, "BMD (g/cm2)"), (280, "Z - score")]),
             (100, [(43, "L Spine"), (120, "43.97"), (200, "0.892")]),
             (112, [(43, "Pelvis"), (120, "213.00"), (200, "1.057")]),
             (124, [(43, "Total"), (120, "1853.37"), (200, "0.986"), (280, "-1.6")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.region, m.bmd_g_cm2, m.z_score) for m in doc.measurements] == [
        ("total_body", 0.986, -1.6)]


def _norland_hip(label_rows: list[tuple[float, str]]) -> PageWords:
    """A Norland-like hip table as OCR gives it (boxes shrunk to the ink: 5 pt high, rows 17 pt
    apart): labels set by hand (``label_rows``), values on rows at 120, 137 and 154; the total
    row prints its standardised BMD and BMC in mg."""
    cells = [(60, [(43, "Right Hip on 2/4/2008 8:51:46 AM")]),
             (106, [(43, "Region"), (90, "BMD (g/cm2)"), (160, "BMC (g)"), (210, "Area (cm2)"),
                   (270, "T-Score"), (320, "Z-Score")]),
             (120, [(90, "0.9352"), (160, "4.853"), (210, "5.190"), (270, "-1.38"),
                    (320, "0.28")]),
             (137, [(43, "Troch"), (90, "0.8086"), (160, "10.27"), (210, "12.70"),
                    (270, "-1.10"), (320, "-0.08")]),
             (154, [(90, "1013mg/cm2"), (160, "36144mg"), (210, "35.68"), (270, "-1.09"),
                    (320, "0.12")])]
    cells += [(top, [(43, text)]) for top, text in label_rows]
    return PageWords.from_boxes(612, 792, _boxes(sorted(cells), height=5.0))


def test_a_row_label_printed_on_two_lines_beside_its_values_is_one_label() -> None:
    """``Fem`` over ``Neck`` with the row's values between them, ``Total`` over ``sBMD``: each
    pair is the row's label (a group label sits a whole row pitch over its rows, as in the
    test above). The total row's cells in mg/cm2 and mg are a standardised BMD and BMC,
    another quantity than the columns': left out, its scores kept."""
    page = _norland_hip([(116, "Fem"), (124, "Neck"), (150, "Total"), (158, "sBMD")])
    doc = read_pages([page], path="p.png", sha256="0" * 64)
    assert [(m.region, m.side, m.bmd_g_cm2, m.bmc_g, m.t_score, m.z_score)
            for m in doc.measurements] == [
        ("femoral_neck", "right", 0.9352, 4.853, -1.38, 0.28),
        ("trochanter", "right", 0.8086, 10.27, -1.1, -0.08),
        ("total_hip", "right", None, None, -1.09, 0.12)]
    doc = read_pages([_norland_hip([(120, "Fem"), (126, "Neck")])], path="p.png",
                     sha256="0" * 64)  # the upper half on the values' line
    assert [m.region for m in doc.measurements] == ["femoral_neck", "trochanter"]


def test_size_columns_and_a_unit_row_keep_the_area_column_apart() -> None:
    """Norland prints ``Area``, ``Length``, ``Width`` over a unit line ``BMC (g) (cm2) (cm)
    (cm)``: the area is read from its own column, never from the length's."""
    cells = [(40, [(43, "AP Spine on: 5/6/2002 1:51:17 PM")]),
             (85, [(160, "Area"), (190, "Length"), (225, "Width"), (270, "T-")]),
             (92, [(43, "Region"), (80, "BMD (g/cm2)"), (130, "BMC (g)"), (160, "(cm2)"),
                   (195, "(cm)"), (228, "(cm)"), (270, "Score")]),
             (110, [(43, "L2 - L4"), (80, "0.8942"), (130, "39.17"), (160, "43.80"),
                    (195, "9.75"), (228, "12.0"), (270, "-1.28")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.levels, m.bmd_g_cm2, m.bmc_g, m.area_cm2, m.t_score)
            for m in doc.measurements] == [("L2-L4", 0.8942, 39.17, 43.8, -1.28)]


def test_a_forearm_table_headed_by_its_bones_reads_its_rows_as_parts_of_both() -> None:
    """Hologic's forearm table: the first column is headed ``Radius +`` over ``Ulna`` (no
    ``Region``), over the units line. Its ``1/3``, ``MID`` and ``UD`` rows are of both bones,
    which have no region of their own: never read as the radius's; ``Total`` is the forearm's."""
    cells = [(40, [(43, "Scan Type: a R.Forearm")]),
             (70, [(43, "DXA Results Summary:")]),
             (88, [(43, "Radius +"), (100, "Area"), (140, "BMC"), (180, "BMD"), (230, "T -"),
                   (270, "Z -")]),
             (97, [(43, "Ulna"), (100, "(cm2)"), (140, "(g)"), (180, "(g/cm2)"),
                   (230, "score"), (270, "score")]),
             (110, [(43, "1/3"), (100, "4.46"), (140, "3.00"), (180, "0.673"), (270, "0.1")]),
             (122, [(43, "MID"), (100, "11.07"), (140, "6.19"), (180, "0.559"), (270, "-0.3")]),
             (134, [(43, "UD"), (100, "5.09"), (140, "1.81"), (180, "0.355"), (270, "-0.9")]),
             (146, [(43, "Total"), (100, "20.61"), (140, "10.99"), (180, "0.533"),
                    (270, "-0.3")])]
    doc = read_pages([PageWords.from_boxes(612, 792, _boxes(cells))], path="p.png",
                     sha256="0" * 64)
    assert [(m.region, m.side, m.bmd_g_cm2, m.t_score, m.z_score)
            for m in doc.measurements] == [("forearm_total", "right", 0.533, None, -0.3)]


@pytest.mark.parametrize(("text", "header"), [
    ("Radius + Area BMC BMD T- Z-", "Radius +"),
    ("Left Forearm BMD T-score", "Left Forearm"),
    ("Left Forearm BMD results", ""),  # a title: a word after it names no column
    ("AP Spine T-score and Z-score", ""),  # a sentence
    ("Total BMD T-score", ""),  # names no body part
    ("Radius 33% 0.712 -1.2", ""),  # a row
])
def test_a_site_header_is_a_body_part_before_column_headers_only(text: str, header: str) -> None:
    words = [w for line in text_layer([PageWords.from_boxes(612, 792, _boxes(
        [(100, [(43, text)])]))]).lines for w in line.words]
    assert " ".join(w.text for w in site_header(Line(0, words))) == header


def test_word_boxes_are_pdfium_character_boxes() -> None:
    """Each word's box is its first and last character's box as pypdfium2's own binding of
    FPDFText_GetCharBox gives it (the reader calls PDFium without the binding's argument
    conversion): x from the first's left to the last's right, y flipped to grow downwards."""
    data = synth.hologic_pdf(dual_hip_spine_case())
    [page] = read_page_words(data)[0][:1]
    document = pdfium.PdfDocument(data)
    try:
        pdf_page = document[0]
        textpage = pdf_page.get_textpage()
        text, height = textpage.get_text_range(), pdf_page.get_height()
        boxes = [ctypes.c_double() for _ in range(4)]
        def box(index: int) -> tuple[float, float, float, float]:
            assert pdfium_c.FPDFText_GetCharBox(textpage.raw, index,
                                                *(ctypes.byref(b) for b in boxes))
            return tuple(b.value for b in boxes)  # type: ignore[return-value]
        expected = []
        for match in re.finditer(r"\S+", text):
            left, _, bottom, top = box(match.start())
            _, right, last_bottom, last_top = box(match.end() - 1)
            expected.append((left, max(left, right), height - max(top, last_top),
                             height - min(bottom, last_bottom)))
        textpage.close()
        pdf_page.close()
    finally:
        document.close()
    assert len(page.words) == len(expected) > 20
    assert [(w.x0, w.x1, w.top, w.bottom) for w in page.words] == expected
