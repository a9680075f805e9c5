"""The typed documents serialise exactly as the CONTRACT schemas require."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dexa.contract import Measurement, ReportDocument, Source, load_schema
from tests.conftest import assert_valid_report
from tests.synth.cases import ALL_CASES

SHARED = Path(__file__).resolve().parents[4] / "shared" / "schemas"  # beside the checkout


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_every_case_serialises_to_a_valid_report(name: str) -> None:
    assert_valid_report(json.loads(ALL_CASES[name]().to_json()))


def test_minimal_report_has_every_required_key_with_nulls() -> None:
    doc = ReportDocument(source=Source(path="x", sha256="a" * 64, kind="pdf")).to_dict()
    assert_valid_report(doc)
    assert doc["frax"] is None and doc["patient"]["sex"] is None
    assert doc["measurements"] == [] and doc["warnings"] == []


def test_a_report_never_has_a_name_field() -> None:
    with pytest.raises(ValueError):
        ReportDocument(source=Source(path="x", sha256="a" * 64, kind="pdf"),
                       patient={"name": "Doe^Jane"})


def test_region_vocabulary_is_enforced() -> None:
    with pytest.raises(ValueError):
        Measurement(region="neck", side="left")


@pytest.mark.skipif(not SHARED.exists(), reason=f"the shared contract ({SHARED}) is not beside "
                    "this checkout, so the packaged schemas cannot be compared with it")
@pytest.mark.parametrize("name", ["report", "plan"])
def test_vendored_schemas_equal_the_shared_contract(name: str) -> None:
    theirs = json.loads((SHARED / f"{name}.schema.json").read_text())
    assert load_schema(name) == theirs
