"""Write docs/patient-page.png: the page `dexa patient` makes from a results database holding
the synthetic four-visit patient (tests/dexa/outputs/builders.py, stored by tests/dexa/results.py
through the visit stage), as headless Chromium renders it, network cut off.

Run from the repository root with chromium installed: ``python scripts/make_page_screenshot.py``.
Every value is invented. The image is cropped to the first screenfuls and stored with a
256-colour palette to stay small.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from dexa import exports, store  # noqa: E402
from tests.dexa.outputs.browser import open_page, page_requests  # noqa: E402
from tests.dexa.results import four_visit_store  # noqa: E402

WIDTH, HEIGHT = 1280, 2080


def main() -> None:
    out = ROOT / "docs" / "patient-page.png"
    out.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'results.sqlite'}"
        four_visit_store(url)
        engine = store.connect(url)
        html = exports.patient_html(engine, "MRN004")
        engine.dispose()
        assert html is not None
        page = Path(tmp) / "patient.html"
        page.write_text(html, encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        run = open_page(page, Path(tmp) / "chromium", screenshot=shot, window=(WIDTH, HEIGHT))
        if requests := page_requests(run):
            raise SystemExit(f"the page made network requests: {requests}")
        image = Image.open(shot).convert("RGB")
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
