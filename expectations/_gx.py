"""The only module that touches Great Expectations: imported lazily by ``expectations``.

One ephemeral context per process, one suite and one validation definition per frame, built
once from ``suites.CHECKS``. Results go back out as plain (check name -> failing row index)
maps; no GX object leaves this module.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .suites import CHECKS, Check

os.environ["GX_ANALYTICS_ENABLED"] = "False"  # before GX is imported: no telemetry
for _name in ("great_expectations", "great_expectations.core", "posthog"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

SITE_NAME = "dexa"
RESULT_FORMAT = {"result_format": "COMPLETE", "include_unexpected_rows": False}


class ExpectationError(RuntimeError):
    """An expectation could not be evaluated (a programming error, not bad data)."""


def _expectation(check: Check) -> Any:
    common = {"column": check.column, "description": check.description,
              "meta": {"name": check.name}}
    match check.kind:
        case "between":
            return gxe.ExpectColumnValuesToBeBetween(**common, **check.params)
        case "in_set":
            return gxe.ExpectColumnValuesToBeInSet(**common, **check.params)
        case "true":
            return gxe.ExpectColumnValuesToBeInSet(**common, value_set=[True])
        case "not_null":
            return gxe.ExpectColumnValuesToNotBeNull(**common)
        case "regex":
            return gxe.ExpectColumnValuesToMatchRegex(**common, **check.params)
    raise ValueError(check.kind)


@cache
def _context() -> Any:
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


@cache
def _definitions() -> dict[str, Any]:
    """One validation definition per frame, built once per process."""
    context = _context()
    source = context.data_sources.add_pandas("dexa")
    out = {}
    for frame, checks in CHECKS.items():
        batch = source.add_dataframe_asset(frame).add_batch_definition_whole_dataframe(frame)
        suite = context.suites.add(gx.ExpectationSuite(name=f"dexa.{frame}"))
        for check in checks:
            suite.add_expectation(_expectation(check))
        out[frame] = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"dexa.{frame}", data=batch, suite=suite))
    return out


_BUILDING = threading.Lock()


def definitions() -> dict[str, Any]:
    """The validation definitions, built once per process even when a warm-up thread and the
    first batch ask at the same time."""
    with _BUILDING:
        return _definitions()


def _clear_results() -> None:
    store = _context().validation_results_store
    for key in store.list_keys():
        store.remove_key(key)


def run(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[int]]]:
    """Validate each non-empty frame once; per frame, failing row indices by check name."""
    built = definitions()
    _clear_results()  # Data Docs show the last batch only
    failures: dict[str, dict[str, list[int]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, frame in frames.items():
            if frame.empty:
                continue
            result = built[name].run(batch_parameters={"dataframe": frame},
                                           result_format=RESULT_FORMAT)
            failures[name] = _failing_rows(result)
    return failures


def _failing_rows(result: Any) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in result.results:
        name = r.expectation_config.meta["name"]
        if r.exception_info.get("raised_exception"):
            raise ExpectationError(f"{name}: {r.exception_info.get('exception_message')}")
        if r.success:
            continue
        rows = r.result.get("unexpected_index_list")
        if rows is None:
            raise ExpectationError(f"{name}: failed without naming rows")
        out[name] = list(rows)
    return out


def build_data_docs(directory: Path) -> Path:
    """Write the Data Docs HTML site for the last validation into ``directory``."""
    context = _context()
    site = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(directory.resolve())},
    }
    sites = context.variables.data_docs_sites or {}
    if SITE_NAME in sites:
        context.update_data_docs_site(SITE_NAME, site)
    else:
        context.add_data_docs_site(SITE_NAME, site)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context.build_data_docs(site_names=[SITE_NAME])
    return directory / "index.html"
