"""The image package's boundaries: one module imports dexa; importing it loads no OCR runtime."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "parsers" / "image"


def test_only_errors_module_imports_dexa() -> None:
    importers = sorted(path.name for path in PACKAGE.glob("*.py")
                       if re.search(r"^\s*(from|import)\s+dexa\b", path.read_text(), re.M))
    assert importers == ["errors.py"]


def test_import_is_light_and_sets_the_telemetry_opt_out() -> None:
    code = ("import os, sys; import parsers.image; "
            "print(sorted(m for m in ('onnxruntime', 'rapidocr', 'cv2') if m in sys.modules), "
            "os.environ.get('ORT_DISABLE_TELEMETRY'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parents[1],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["[]", "1"]
