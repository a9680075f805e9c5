"""The whole image reader works offline: a report picture is read with no network and an empty
HOME (the engine's own isolation test is ``tests/parsers/image/test_offline.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.parsers.image.test_offline import ROOT, UNROUTABLE, _isolation
from tests.synth import cases, images, pdf

pytest.importorskip("rapidocr", reason="the OCR extra (rapidocr, onnxruntime) is not installed")

_CHILD = r"""
import json, sys
attempts = []
def guard(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "urllib.Request"):
        attempts.append([event, repr(args)[:200]])
        raise OSError("network refused by the test's audit hook")
sys.addaudithook(guard)
sys.path.insert(0, sys.argv[1])
from parsers import parse_bytes
doc = parse_bytes(open(sys.argv[2], "rb").read(), "page.png")
print(json.dumps({"attempts": attempts, "kind": doc.source.kind,
                  "t_scores": [m.t_score for m in doc.measurements]}))
"""


def test_a_report_picture_is_read_with_no_network_and_an_empty_home(tmp_path: Path) -> None:
    report = cases.osteoporosis_case()
    page = images.render(pdf.hologic_pdf(report), 150)[:1]
    picture = tmp_path / "page.png"
    picture.write_bytes(images.as_png(page, 150))
    home = tmp_path / "home"
    home.mkdir()
    prefix, how = _isolation()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "2",
           "http_proxy": UNROUTABLE, "https_proxy": UNROUTABLE, "HTTP_PROXY": UNROUTABLE,
           "HTTPS_PROXY": UNROUTABLE, "ALL_PROXY": UNROUTABLE, "no_proxy": "", "NO_PROXY": ""}
    run = subprocess.run([*prefix, sys.executable, "-c", _CHILD, str(ROOT), str(picture)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"({how}) {run.stderr[-3000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["attempts"] == [], how
    assert result["kind"] == "image-ocr"
    spine = [m.t_score for m in pdf.printed(report, "hologic").measurements
             if m.region in ("lumbar_spine", "vertebra")]
    assert result["t_scores"] == spine
    assert list(home.iterdir()) == []
