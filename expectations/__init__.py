"""Data-quality gate: validate a batch of report documents with Great Expectations.

GX (~2 s) and pandas are imported on first use, so importing this package is cheap and
``dexa parse`` never pays for them. GX types stay inside ``expectations._gx``.

    validations = validate_batch(reports, run_date=date.today())
    validations[i].passed, validations[i].failures  # dexa.contract types
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from dexa.contract import FailedValue, ReportDocument, ScanValidation

from .suites import CHECKS, Check

__all__ = ["DEFAULT_DATA_DOCS_DIR", "build_data_docs", "check_names", "validate_batch", "value_at",
           "warm_up"]

DEFAULT_DATA_DOCS_DIR = Path("gx_data_docs")


def check_names() -> list[str]:
    """Every expectation name, suite by suite (the names ``FailedValue.expectation`` uses)."""
    return [c.name for checks in CHECKS.values() for c in checks]


def validate_batch(reports: Sequence[ReportDocument], *, run_date: date) -> list[ScanValidation]:
    """Validate a batch in one GX run per frame; one ``ScanValidation`` per report, in order.

    ``run_date`` is the day the run happens: a scan dated after it is "in the future".
    """
    validations = [ScanValidation() for _ in reports]
    if not reports:
        return validations
    from . import _gx
    from .frames import build_frames

    frames = build_frames(reports, run_date)
    failing = _gx.run(frames)
    for frame_name, checks in CHECKS.items():
        frame = frames[frame_name]
        for check in checks:
            for index in failing.get(frame_name, {}).get(check.name, []):
                row = frame.loc[index]
                scan = int(row["scan"])
                validations[scan].failures.append(
                    _failed_value(check, frame_name, row, reports[scan]))
    return validations


def warm_up() -> None:
    """Import GX and build the suites now (~3 s), e.g. in a thread while the first batch is
    being parsed, so that the first ``validate_batch`` does not wait for them."""
    from . import _gx

    _gx.definitions()


def build_data_docs(directory: str | Path = DEFAULT_DATA_DOCS_DIR) -> Path:
    """Build GX Data Docs (HTML) for the last ``validate_batch`` into ``directory``.

    Returns the path of the site's ``index.html``.
    """
    from . import _gx

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return _gx.build_data_docs(directory)


def _plain(value: Any) -> Any:
    """A frame cell as a plain Python value (NaN back to None, numpy scalars to Python)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def value_at(report: ReportDocument, path: str) -> Any:
    """The value at a '/'-path of the report document, e.g. ``measurements/2/t_score``."""
    node: Any = report
    for part in path.split("/"):
        if node is None:
            return None
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def _failed_value(check: Check, frame_name: str, row: Any,
                  report: ReportDocument) -> FailedValue:
    column = check.value_column
    if frame_name == "scans":
        path = column
    else:
        row_path = f"{frame_name}/{int(row['item'])}"
        path = row_path if check.whole_row else f"{row_path}/{column}"
    value = value_at(report, path)
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    context = ", ".join(f"{c}={_plain(row[c])}" for c in check.detail_columns)
    detail = f"{check.description} ({context})" if context else check.description
    return FailedValue(expectation=check.name, field=path, value=value, detail=detail)
