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
