"""The development OCR cache (``benchmarks/ocr_cache.py``): a page is read once per settings,
then from disk; the engine loads only on a miss; the folder must lie outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from benchmarks import ocr_cache
from parsers.image import ocr


@pytest.fixture
def engine_calls(monkeypatch, tmp_path: Path):
    """A stand-in engine: counts loads and reads, returns an empty page."""
    calls = {"load": 0, "read": 0}

    def build(settings, paths):  # noqa: ANN001
        calls["load"] += 1
        return object()

    def read(self, page, *, index=None):  # noqa: ANN001
        calls["read"] += 1
        return ocr.OcrPage(index or 0, 612.0, 792.0, 72.0, True, 1.0, (), 1.0, 1.0)

    monkeypatch.setattr(ocr, "_build_rapidocr", build)
    monkeypatch.setattr(ocr, "_model_paths", lambda settings: {})
    monkeypatch.setattr(ocr.OcrEngine, "read", read)
    ocr_cache.install(tmp_path / "cache")
    yield calls
    ocr_cache.uninstall()


def test_a_page_is_read_once_then_from_disk(engine_calls) -> None:
    page = Image.new("RGB", (60, 40), "white")
    engine = ocr.OcrEngine()
    assert engine_calls == {"load": 0, "read": 0}  # nothing loads before a miss
    first = engine.read(page)
    assert engine_calls == {"load": 1, "read": 1}
    assert ocr.OcrEngine().read(page) == first
    assert engine_calls == {"load": 1, "read": 1}
    other = Image.new("RGB", (60, 40), "black")  # other pixels: another key
    engine.read(other)
    assert engine_calls["read"] == 2


def test_the_key_holds_pixels_and_settings_but_not_threads() -> None:
    page = Image.new("RGB", (60, 40), "white")
    key = ocr_cache.cache_key(page, None, ocr.DEFAULT_SETTINGS)
    assert key == ocr_cache.cache_key(page, None, ocr.with_settings(threads=1))
    assert key != ocr_cache.cache_key(page, None, ocr.with_settings(scale=2.0))
    assert key != ocr_cache.cache_key(page, 1, ocr.DEFAULT_SETTINGS)


def test_the_folder_must_lie_outside_the_repository(monkeypatch) -> None:
    monkeypatch.setenv(ocr_cache.ENV, str(ocr_cache.REPO / "cache"))
    with pytest.raises(SystemExit, match="inside the repository"):
        ocr_cache.folder_from_env()
    monkeypatch.delenv(ocr_cache.ENV)
    with pytest.raises(SystemExit, match="not set"):
        ocr_cache.folder_from_env()
