"""An OCR engine that cannot run (a model file missing, a failing runtime) fails each picture
with the CONTRACT's ``unsupported_format`` (this installation cannot read pictures), never an
exception that would stop a run, and never ``corrupt`` (the file is not at fault)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import parsers
from dexa.contract import ReportRejected
from parsers.image import ocr
from parsers.image.errors import OcrEngineError, OcrModelMissing
from tests.synth import cases, images, pdf


def _page():
    return images.render(pdf.ge_pdf(cases.motivating_case()), 100)[:1]


def _png() -> bytes:
    return images.as_png(_page(), 100)


PICTURES = {
    "page.png": _png,
    "scan.pdf": lambda: images.as_scanned_pdf(_page(), 100),  # its own reader: no_text_layer
    "sc.dcm": lambda: images.as_secondary_capture(cases.motivating_case(), _page(), 100),
}


def _missing_model(settings: ocr.OcrSettings = ocr.DEFAULT_SETTINGS) -> ocr.OcrEngine:
    raise OcrModelMissing("OCR model file(s) not found: /nowhere/det.onnx")


class _BrokenRuntime:
    def __call__(self, *args: object, **kwargs: object) -> object:
        raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION")


def _broken_engine(settings: ocr.OcrSettings = ocr.DEFAULT_SETTINGS) -> ocr.OcrEngine:
    engine = object.__new__(ocr.OcrEngine)
    engine.settings = settings
    engine._lock = threading.Lock()
    engine._rapid = _BrokenRuntime()
    return engine


def test_a_failing_runtime_is_an_engine_error_not_the_inputs() -> None:
    from PIL import Image

    with pytest.raises(OcrEngineError, match="RUNTIME_EXCEPTION"):
        _broken_engine().read(Image.new("RGB", (200, 100), "white"))


@pytest.mark.parametrize("name", sorted(PICTURES))
@pytest.mark.parametrize("engine", [_missing_model, _broken_engine], ids=["model", "runtime"])
def test_a_picture_is_unsupported_format_when_the_engine_cannot_run(monkeypatch, engine,
                                                                    name: str) -> None:
    monkeypatch.setattr(ocr, "get_engine", engine)
    with pytest.raises(ReportRejected) as rejected:
        parsers.parse_bytes(PICTURES[name](), name)
    assert rejected.value.code == "unsupported_format"
    assert "dexa reread --all" in rejected.value.message


def test_a_pdf_with_text_does_not_need_the_engine(monkeypatch) -> None:
    """The look-alike: a printout with a text layer reads without OCR."""
    monkeypatch.setattr(ocr, "get_engine", _missing_model)
    doc = parsers.parse_bytes(pdf.ge_pdf(cases.motivating_case()), "printout.pdf")
    assert doc.source.kind == "pdf" and doc.measurements


def test_parse_one_reports_the_code_per_file(monkeypatch, tmp_path: Path) -> None:
    from dexa.discover import InputFile
    from dexa.workers import parse_one

    monkeypatch.setattr(ocr, "get_engine", _missing_model)
    path = tmp_path / "page.png"
    path.write_bytes(_png())
    parsed = parse_one(InputFile(str(path), "page.png", path.stat().st_size, 0))
    assert parsed.error_code == "unsupported_format" and parsed.report is None
    assert parsed.ocr_pages == 1  # counted by the progress display, read or not
