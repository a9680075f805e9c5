"""The FHIR DXA narrative printed to PDF (dxa-formats.md §2.4) with each site's earlier scans
under its row (blank Scan Type and Region cells) and, in a font without the glyph, the change
columns' Δ printed as "?": the earlier rows are priors of the site above, never measurements,
and a change column is never the BMD."""

from __future__ import annotations

import pytest

import parsers
from tests.synth import cases
from tests.synth import pdf as synth


@pytest.mark.parametrize("lost_delta", [False, True])
def test_trend_rows_under_their_site_are_priors(lost_delta: bool) -> None:
    report = cases.motivating_case()
    assert report.priors, "the case needs priors"
    data = synth.prodigy_narrative_pdf(report, trend_under_site=True, lost_delta=lost_delta)
    doc = parsers.parse_bytes(data, "x.pdf")
    assert [(m.region, m.side, m.levels, m.bmd_g_cm2, m.t_score) for m in doc.measurements] == [
        (m.region, m.side, m.levels, m.bmd_g_cm2, m.t_score) for m in report.measurements]
    assert sorted((p.scan_date, p.region, p.side, p.bmd_g_cm2) for p in doc.priors) == sorted(
        (p.scan_date, p.region, p.side, p.bmd_g_cm2) for p in report.priors)
