"""Session-wide fixtures: the CONTRACT schemas (packaged in ``dexa.contract``) as validators."""

from __future__ import annotations

import os

import jsonschema
import pytest

from dexa.contract import load_schema

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def _validator(name: str) -> jsonschema.Validator:
    return jsonschema.Draft202012Validator(load_schema(name))


REPORT_VALIDATOR = _validator("report")
PLAN_VALIDATOR = _validator("plan")


def assert_valid_report(doc: dict) -> None:
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in REPORT_VALIDATOR.iter_errors(doc)]
    assert not errors, errors


def assert_valid_plan(doc: dict) -> None:
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in PLAN_VALIDATOR.iter_errors(doc)]
    assert not errors, errors


@pytest.fixture
def report_schema_check():
    return assert_valid_report


@pytest.fixture
def plan_schema_check():
    return assert_valid_plan


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's test harness (a temporary API database), started once per session and only
    for the tests that run flows."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
