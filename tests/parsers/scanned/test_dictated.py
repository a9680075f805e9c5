"""A dictated report read by OCR: its values come from sentences, not from table columns."""

from __future__ import annotations

import pytest

from dexa.contract import NoMeasurements
from parsers.image import OcrLine, OcrPage, OcrWord
from parsers.scanned import reader


def _line(text: str, x1: float, index: int) -> OcrLine:
    x0, y = 40.0, 60.0 + 14.0 * index
    word = OcrWord(text, 0.98, x0, y, x1, y + 10, 0, index)
    return OcrLine(text, 0.98, x0, y, x1, y + 10,
                   ((x0, y), (x1, y), (x1, y + 10), (x0, y + 10)), 0, index, (word,))


def _read(texts: list[tuple[str, float]], monkeypatch: pytest.MonkeyPatch):
    lines = tuple(_line(text, x1, i) for i, (text, x1) in enumerate(texts))
    page = OcrPage(index=0, width=612.0, height=792.0, dpi=150.0, dpi_assumed=False,
                   scale=1.5, lines=lines, engine_seconds=0.0, seconds=0.0)
    monkeypatch.setattr(reader, "read_pages", lambda pages: iter([page]))
    return reader._read_pages([object()], path="page.png", sha256="0" * 64)  # type: ignore[list-item]


_CUT = 611.5  # a line running past the right side of a 612 pt wide picture


def test_bmds_of_lines_cut_by_the_side_are_read_without_their_scores(monkeypatch) -> None:
    """Each line stops at the picture's side before its T-score: the BMDs are stated and read
    (the report is not rejected), the cut '-1' of a T-score is not."""
    doc = _read([
        ("BONE DENSITOMETRY REPORT", 200),
        ("FINDINGS:", 100),
        ("The bone mineral density of the lumbar spine (L1-L4) is 0.942 g/cm2, with a T-score",
         _CUT),
        ("The bone mineral density of the left femoral neck is 0.665 g/cm2, with a T-score of",
         _CUT),
        ("The bone mineral density of the left total hip is 0.724 g/cm2, with a T-score of -1",
         _CUT),
    ], monkeypatch)
    assert [(m.region, m.side, m.bmd_g_cm2, m.t_score, m.z_score) for m in doc.measurements] \
        == [("lumbar_spine", None, 0.942, None, None), ("femoral_neck", "left", 0.665, None, None),
            ("total_hip", "left", 0.724, None, None)]


def test_a_table_row_without_scores_still_goes(monkeypatch) -> None:
    """The look-alike: the same BMDs in a results table whose score headers were not read are
    not trusted (a value may sit under the wrong column): nothing is left, the page is
    rejected."""
    rows = [("Region BMD (g/cm2) Tsc0re Zsc0re", 400), ("L1-L4 0.942", 200),
            ("Neck Left 0.665", 200)]
    with pytest.raises(NoMeasurements):
        _read(rows, monkeypatch)
