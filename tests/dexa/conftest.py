"""Fixtures of the application's tests: a folder of synthetic SRs for the parse pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.synth.cases import ALL_CASES
from tests.synth.sr import ge_enhanced_sr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for n, case in enumerate(list(ALL_CASES.values()) * 8):
        report = case()
        report.patient.id = f"POOL{n:03d}"
        (tmp_path / f"{n:03d}.dcm").write_bytes(ge_enhanced_sr(report))
    return tmp_path
