"""The patient page as a person sees it: rendered by headless Chromium with the network cut
off and logged. The DOM has the charts with four points per site and the LSC band, the
values, no name; the net log shows no request made for the page; a screenshot is kept.

Skipped when no chromium binary is installed (``.ci/run`` installs Debian's ``chromium``).
Set ``DEXA_SCREENSHOT_DIR`` to keep the screenshot (CI keeps it for the README).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from dexa.outputs.html import patient_page, plan_page
from tests.dexa.outputs.browser import chromium, open_page, page_requests
from tests.dexa.outputs.builders import (
    FOUR_DATES,
    FOUR_SITES,
    NAME_TOKENS,
    four_visits,
    motivating_report,
    view,
)

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="no chromium binary on PATH (apt-get install chromium)")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def patient_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "patient.html"
    path.write_text(patient_page(four_visits()), encoding="utf-8")
    return path


def test_patient_page_dom_has_the_charts_values_and_no_name(patient_file: Path,
                                                           tmp_path: Path) -> None:
    run = open_page(patient_file, tmp_path / "chromium")
    dom = run.dom
    assert "<h1>Bone density history</h1>" in dom
    charts = re.findall(r'<svg [^>]*class="chart"[^>]*role="img"', dom)
    assert len(charts) == len(FOUR_SITES)
    points = re.findall(r'<g id="chart-\d+-[\w-]+-pt-\d" class="point [\w-]+" '
                        r'data-date="([\d-]+)" data-bmd="([\d.]+)"', dom)
    assert [d for d, _ in points] == list(FOUR_DATES) * len(FOUR_SITES)
    plotted = {float(b) for _, b in points}
    assert plotted == {bmd for values in FOUR_SITES.values() for bmd, _ in values}
    assert dom.count('class="lsc-band"') == len(FOUR_SITES)
    for value in ("0.650", "1.095", "0.812"):  # the latest BMDs, in the tables too
        assert f'<td class="num">{value}</td>' in dom
    for token in NAME_TOKENS:
        assert token.lower() not in dom.lower()
    assert page_requests(run) == [], page_requests(run)


def test_motivating_plan_page_renders_without_a_request(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text(plan_page(view(motivating_report())), encoding="utf-8")
    run = open_page(path, tmp_path / "chromium")
    assert "No drug now: FRAX below both thresholds" in run.dom
    assert page_requests(run) == []


def test_the_net_log_check_sees_a_request_a_page_makes(patient_file: Path,
                                                       tmp_path: Path) -> None:
    """The positive control: the same page without its Content-Security-Policy and with one
    external image is caught; with the policy kept, the browser refuses the image."""
    html = patient_file.read_text(encoding="utf-8")
    image = '<img src="http://images.example.test/probe.png" alt="probe">'
    leaky = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    leaky_file = tmp_path / "leaky.html"
    leaky_file.write_text(leaky.replace("<main>", f"<main>{image}", 1), encoding="utf-8")
    assert page_requests(open_page(leaky_file, tmp_path / "leaky")) == [
        "http://images.example.test/probe.png"]
    guarded_file = tmp_path / "guarded.html"
    guarded_file.write_text(html.replace("<main>", f"<main>{image}", 1), encoding="utf-8")
    assert page_requests(open_page(guarded_file, tmp_path / "guarded")) == []


def test_screenshot(patient_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "patient-page.png"
    run = open_page(patient_file, tmp_path / "chromium", screenshot=shot, window=(1280, 2000))
    data = shot.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000
    assert int.from_bytes(data[16:20], "big") == 1280  # IHDR width
    assert page_requests(run) == []
    if keep := os.environ.get("DEXA_SCREENSHOT_DIR"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / "patient-page.png")
