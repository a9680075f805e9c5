"""§2 last bullet: a value that failed validation is treated as null by every rule."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from dexa.documents import ReportDocument
from dexa.validation import ScanValidation
from planner.population import Population
from planner.sites import diagnostic_rows


def _parts(path: str) -> list[str]:
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


def null_failed_values(report: ReportDocument, validation: ScanValidation | None
                       ) -> ReportDocument:
    """The report with every failed value set to null. A value that cannot be null (e.g. the
    region of a measurement) removes its list element instead."""
    if validation is None or not validation.failures:
        return report
    data = report.model_dump(mode="json")
    drops: set[tuple[str, int]] = set()
    for failure in validation.failures:
        parts = _parts(failure.field)
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


def failed_diagnostic_score(report: ReportDocument, validation: ScanValidation | None,
                            population: Population) -> str | None:
    """The path of a failed T- (T-population) or Z-score (Z-population) of a diagnostic row of
    the report as given, or None."""
    if validation is None or not population.adult:
        return None
    score = "t_score" if population.t_population else "z_score"
    rows = {i for i, _ in diagnostic_rows(report)}
    for failure in validation.failures:
        parts = _parts(failure.field)
        if (len(parts) in (2, 3) and parts[0] == "measurements" and parts[1].isdigit()
                and int(parts[1]) in rows and (len(parts) == 2 or parts[2] == score)):
            return failure.field
    return None
