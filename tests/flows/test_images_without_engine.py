"""A run over a folder mixing pictures with other reports, on an install whose OCR engine cannot
run: each picture is ledgered and quarantined ``unsupported_format`` and the run goes on with
every other file (issue 15: an engine failure never stops a run). The progress display counts
the pages the pictures held."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from parsers.image import ocr
from parsers.image.errors import OcrModelMissing
from tests.inputs import write_export_folder
from tests.synth import cases, images, pdf


def _missing_model(settings: ocr.OcrSettings = ocr.DEFAULT_SETTINGS) -> ocr.OcrEngine:
    raise OcrModelMissing("OCR model file(s) not found: /nowhere/det.onnx")


@pytest.mark.usefixtures("prefect_harness")
def test_pictures_are_quarantined_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    from flows.ingest import ingest_flow, set_progress_callback

    monkeypatch.setattr(ocr, "get_engine", _missing_model)  # batches this small parse in-process
    root = tmp_path / "exports"
    expected = write_export_folder(root)
    page = images.render(pdf.hologic_pdf(cases.osteoporosis_case()), 100)[:1]
    (root / "scans").mkdir()
    (root / "scans/page.png").write_bytes(images.as_png(page, 100))
    (root / "scans/scan.pdf").write_bytes(images.as_scanned_pdf(page, 100))
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"

    shown: list[tuple[int, int, int]] = []
    set_progress_callback(lambda done, total, pages: shown.append((done, total, pages)))
    try:
        summary = ingest_flow(str(root), url, batch_size=4, workers=1)
    finally:
        set_progress_callback(None)

    engine = store.connect(url)
    with engine.connect() as conn:
        ledger = {r.path: (r.outcome, r.reason_code) for r in conn.execute(select(
            store.ingest_ledger.c.path, store.ingest_ledger.c.outcome,
            store.ingest_ledger.c.reason_code))}
        quarantined = {r.path: r.reason_code for r in conn.execute(
            select(store.quarantine.c.path, store.quarantine.c.reason_code))}
    engine.dispose()
    for picture in ("scans/page.png", "scans/scan.pdf"):
        assert ledger[picture] == ("quarantined", "unsupported_format")
        assert quarantined[picture] == "unsupported_format"
    assert ledger["2024/11/05/osteoporosis.pdf"] == ("processed", None)
    assert ledger["2024/07/22/no-frax.pdf"] == ("processed", None)
    assert summary.totals.files == len(expected) + 2
    assert summary.totals.plans_written == 3
    assert shown[0] == (0, len(expected) + 2, 0)
    assert shown[-1] == (len(expected) + 2, len(expected) + 2, 2)  # the progress counts pages
