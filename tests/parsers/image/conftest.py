"""One OCR engine for the whole test session: it costs about half a second and 100 MB."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ocr_engine():
    pytest.importorskip("rapidocr", reason="the OCR extra (rapidocr, onnxruntime) is not installed")
    from parsers.image.ocr import get_engine

    return get_engine()
