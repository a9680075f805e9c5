"""GX starts once per process (``expectations._gx`` caches its context); the batches the
tests share are validated once per session, in one ``validate_batch`` call each."""

from __future__ import annotations

import pytest

from expectations import validate_batch
from tests.synth.cases import ALL_CASES

from .cases import RUN_DATE, rich_case


@pytest.fixture(scope="session")
def clean_batch():
    reports = [make() for make in ALL_CASES.values()] + [rich_case()]
    return reports, validate_batch(reports, run_date=RUN_DATE)
