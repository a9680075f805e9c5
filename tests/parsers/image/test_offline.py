"""The OCR engine never reaches the network and never downloads a model.

1. In a subprocess cut off from the network (``tests.parsers.image.offline``): the engine starts
   and reads a page, nothing tried the network, and nothing was written to HOME or to the
   package's model folder.
2. A missing model is a typed error (``OcrModelMissing``), raised before RapidOCR runs, with the
   same socket guard in this process.
3. RapidOCR's own downloader, if anything reached it while the engine loads, raises.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from parsers.image.errors import OcrEngineError, OcrModelMissing
from tests.parsers.image import pages
from tests.parsers.image.offline import ROOT, run_offline

pytest.importorskip("rapidocr", reason="the OCR extra (rapidocr, onnxruntime) is not installed")

_CHILD = r"""
from parsers.image.decode import decode_pages
from parsers.image.ocr import get_engine
page = decode_pages(open(sys.argv[2], "rb").read())[0]
emit({"words": [w.text for w in get_engine().read(page).words]})
"""


def test_engine_runs_with_no_network_and_an_empty_home(tmp_path: Path) -> None:
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    before = sorted(p.name for p in models.iterdir())
    image = tmp_path / "page.png"
    image.write_bytes(pages.png_bytes(pages.table_page(150).image, dpi=150))
    run = run_offline(_CHILD, image, tmp_path, timeout=300)
    assert "0.618" in run.result["words"]
    assert list(run.home.iterdir()) == []  # no cache, config or model written to HOME
    assert sorted(p.name for p in models.iterdir()) == before
    if not run.isolated:
        pytest.skip(f"passed, but {run.how}: run as root or enable user namespaces for full "
                    "isolation")


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"network used: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return calls


def test_missing_model_is_a_typed_error_not_a_download(tmp_path: Path, no_sockets) -> None:
    from parsers.image.ocr import MODEL_FILES, OcrEngine, OcrSettings, installed_model_dir

    with pytest.raises(OcrModelMissing, match="never downloads"):
        OcrEngine(OcrSettings(model_dir=tmp_path / "nowhere"))
    # one of the two present, the other missing: still refused before RapidOCR is asked
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / MODEL_FILES["det"]).symlink_to(installed_model_dir() / MODEL_FILES["det"])
    with pytest.raises(OcrModelMissing, match=MODEL_FILES["rec"]):
        OcrEngine(OcrSettings(model_dir=tmp_path / "half"))
    assert issubclass(OcrModelMissing, OcrEngineError)
    assert no_sockets == []


def test_a_corrupt_model_file_is_an_engine_error(tmp_path: Path, no_sockets) -> None:
    from parsers.image.ocr import MODEL_FILES, OcrEngine, OcrSettings

    for name in MODEL_FILES.values():
        (tmp_path / name).write_bytes(b"not an onnx model")
    with pytest.raises(OcrEngineError):
        OcrEngine(OcrSettings(model_dir=tmp_path))
    assert no_sockets == []


def test_rapidocr_downloader_is_refused_while_models_load(no_sockets) -> None:
    from rapidocr.utils.download_file import DownloadFile, DownloadFileInput

    from parsers.image.ocr import _downloads_refused

    original = DownloadFile.run
    with _downloads_refused(), pytest.raises(OcrModelMissing, match="never downloads"):
        DownloadFile.run(DownloadFileInput(file_url="https://example.invalid/m.onnx",
                                           save_path=Path(os.devnull), logger=None))
    assert DownloadFile.run == original
    assert no_sockets == []


_LATE = r"""
import sys
sys.path.insert(0, sys.argv[1])
import onnxruntime  # before parsers.image.ocr, without ORT_DISABLE_TELEMETRY
from parsers.image.errors import OcrEngineError
from parsers.image.ocr import get_engine
try:
    get_engine()
except OcrEngineError as exc:
    print("refused:", exc)
"""


def test_engine_refuses_when_onnxruntime_telemetry_was_left_on(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", _LATE, str(ROOT)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "refused:" in run.stdout and "ORT_DISABLE_TELEMETRY" in run.stdout
