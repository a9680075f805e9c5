"""The result of validating one scan, as the pipeline branches on it (no GX types here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def without_failed_values(report: Any, validation: ScanValidation) -> Any:
    """A copy of the report document with every value that failed validation set to null.

    Clinical rules treat a failed value as absent (clinical-rules.md §2), so this is the
    document the planner decides on. A failure on a whole row (``measurements/3``) or an
    unaddressable field leaves the document as it is for that failure.
    """
    if validation.passed:
        return report
    doc = report.model_dump()
    for failure in validation.failures:
        *parents, leaf = failure.field.split("/")
        node: Any = doc
        try:
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            if isinstance(node, dict) and leaf in node:
                node[leaf] = None
        except (KeyError, IndexError, ValueError, TypeError):
            continue
    return type(report).model_validate(doc)
