"""Golden test: every file in sample_reports/ yields exactly what its generator wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from dexa.contract import ReportRejected
from tests.conftest import assert_valid_report
from tests.synth.samples import BAD_SAMPLES, SAMPLES, expected_for

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_reports"


def _prior_key(prior: dict) -> tuple:
    return (prior["scan_date"], prior["region"], prior["side"] or "", prior["levels"] or "")


def test_sample_folder_holds_exactly_the_generated_files() -> None:
    on_disk = {p.relative_to(SAMPLE_DIR).as_posix() for p in SAMPLE_DIR.rglob("*") if p.is_file()}
    assert on_disk == {s.path for s in SAMPLES} | set(BAD_SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.path)
def test_sample_parses_to_what_its_generator_wrote(sample) -> None:
    data = (SAMPLE_DIR / sample.path).read_bytes()
    got = parsers.parse_bytes(data, sample.path).to_dict()
    assert_valid_report(got)
    expected = expected_for(sample, data).to_dict()
    got["priors"].sort(key=_prior_key)
    expected["priors"].sort(key=_prior_key)
    assert got == expected


@pytest.mark.parametrize("name", sorted(BAD_SAMPLES))
def test_rejected_samples_get_their_error_code(name: str) -> None:
    with pytest.raises(ReportRejected) as rejected:
        parsers.parse_bytes((SAMPLE_DIR / name).read_bytes(), name)
    assert rejected.value.code == BAD_SAMPLES[name][1]
