"""§2 last bullet: a value that failed validation is treated as null by every rule."""

from __future__ import annotations

from dexa.contract import ReportDocument, ScanValidation, field_parts
from planner.population import Population
from planner.sites import diagnostic_rows


def failed_diagnostic_score(report: ReportDocument, validation: ScanValidation | None,
                            population: Population) -> str | None:
    """The path of a failed T- (T-population) or Z-score (Z-population) of a diagnostic row of
    the report as given, or None."""
    if validation is None or not population.adult:
        return None
    score = "t_score" if population.t_population else "z_score"
    rows = {i for i, _ in diagnostic_rows(report)}
    for failure in validation.failures:
        parts = field_parts(failure.field)
        if (len(parts) in (2, 3) and parts[0] == "measurements" and parts[1].isdigit()
                and int(parts[1]) in rows and (len(parts) == 2 or parts[2] == score)):
            return failure.field
    return None
