"""The result of validating one scan, as the pipeline and the planner branch on it (no GX types
here), and the '/'-separated field paths that name a value of the report document."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dexa.contract.documents import ReportDocument


@dataclass(frozen=True)
class FailedValue:
    """One value of a report document that failed an expectation.

    ``field`` is a '/'-separated path into the report document, e.g. ``measurements/2/t_score``
    or ``study/scan_date``; ``value`` is the offending value as reported.
    """

    expectation: str
    field: str
    value: Any
    detail: str


@dataclass
class ScanValidation:
    failures: list[FailedValue] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def failed_expectations(self) -> list[str]:
        return sorted({f.expectation for f in self.failures})


def field_parts(path: str) -> list[str]:
    """The steps of a field path: ``measurements/2/t_score`` -> ``["measurements", "2",
    "t_score"]`` (leading, trailing and doubled '/' ignored)."""
    return [p for p in path.strip("/").split("/") if p]


def _set_null(data: Any, parts: list[str]) -> bool:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            key: Any = int(part)
        elif isinstance(data, dict) and part in data:
            key = part
        else:
            return False
        if last:
            data[key] = None
            return True
        data = data[key]
    return False


def without_failed_values(report: ReportDocument, validation: ScanValidation | None
                          ) -> ReportDocument:
    """The report with every value that failed validation set to null (clinical-rules.md §2:
    a failed value is treated as null by every rule). A value that cannot be null (e.g. the
    region of a measurement, or a whole row) removes its list element instead."""
    if validation is None or not validation.failures:
        return report
    data = report.model_dump(mode="json")
    drops: set[tuple[str, int]] = set()
    for failure in validation.failures:
        parts = field_parts(failure.field)
        trial = copy.deepcopy(data)
        if not _set_null(trial, parts):
            continue
        try:
            ReportDocument.model_validate(trial)
            data = trial
        except ValidationError:
            if len(parts) >= 2 and parts[1].isdigit():
                drops.add((parts[0], int(parts[1])))
    for key, index in sorted(drops, reverse=True):
        del data[key][index]
    return ReportDocument.model_validate(data)
