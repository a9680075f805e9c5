"""The typed documents serialise exactly as the CONTRACT schemas require."""

from __future__ import annotations

import json

import pytest

from dexa.contract import Measurement, ReportDocument, Source, load_schema
from tests.conftest import assert_valid_report
from tests.synth.cases import ALL_CASES


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


@pytest.mark.parametrize("name", ["report", "plan"])
def test_the_packaged_schemas_are_the_versioned_interface(name: str) -> None:
    """The schemas ship in the package (dexa/contract/schemas): a clone needs no folder
    beside it. Each is a valid JSON Schema of the documents' current version."""
    import jsonschema

    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"] == {"const": "1"}
