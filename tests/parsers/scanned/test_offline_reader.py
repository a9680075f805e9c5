"""The whole image reader works offline: a report picture is read with no network and an empty
HOME (the engine's own isolation test is ``tests/parsers/image/test_offline.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.parsers.image.offline import run_offline
from tests.synth import cases, images, pdf

pytest.importorskip("rapidocr", reason="the OCR extra (rapidocr, onnxruntime) is not installed")

_CHILD = r"""
from parsers import parse_bytes
doc = parse_bytes(open(sys.argv[2], "rb").read(), "page.png")
emit({"kind": doc.source.kind, "t_scores": [m.t_score for m in doc.measurements]})
"""


def test_a_report_picture_is_read_with_no_network_and_an_empty_home(tmp_path: Path) -> None:
    report = cases.osteoporosis_case()
    page = images.render(pdf.hologic_pdf(report), 150)[:1]
    picture = tmp_path / "page.png"
    picture.write_bytes(images.as_png(page, 150))
    run = run_offline(_CHILD, picture, tmp_path, timeout=600)
    assert run.result["kind"] == "image-ocr"
    spine = [m.t_score for m in pdf.printed(report, "hologic").measurements
             if m.region in ("lumbar_spine", "vertebra")]
    assert run.result["t_scores"] == spine
    assert list(run.home.iterdir()) == []
