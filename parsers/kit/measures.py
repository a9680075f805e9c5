"""What a measured value can be, whichever reader read it: the one check every reader's
report passes, and the report's own arithmetic a reader may use to tell columns apart.

A bone mineral density is a positive number. A BMD of zero or below is never a reading: it is
another column's number (a T-score read under the BMD header) and would be taken as a very low
density. :func:`checked_report` drops such a value, with a warning, and never repairs it
(where the value belongs is not known). Ranges of plausible values per region are the
validation layer's (``expectations``): a positive BMD outside them is flagged there.

A printout states its BMD twice over: BMD x area = BMC (:func:`bmc_agrees`), each printed to
two or three decimals. A reader that must decide which printed number is which (values that
drifted off their headers) may use it, and the ranges of :func:`plausible`, to tell.
"""

from __future__ import annotations

from dexa.contract import Measurement, ReportDocument

VALUE_DROPPED = "VALUE_DROPPED"
"""Warning prefix: ``VALUE_DROPPED: femoral_neck left bmd_g_cm2 -3.1 (not positive)``."""

# What a printed value of each field can be at all: far outside any real scan, so that only a
# number of another column lands outside (a T-score as a BMD, an area as a percentage).
_RANGES: dict[str, tuple[float, float]] = {
    "bmd_g_cm2": (0.05, 3.0),
    "t_score": (-10.0, 10.0),
    "z_score": (-10.0, 10.0),
    "young_adult_pct": (10.0, 300.0),
    "age_matched_pct": (10.0, 300.0),
    "bmc_g": (0.01, 10000.0),
    "area_cm2": (0.1, 5000.0),
}
_BMC_TOLERANCE = 0.03  # relative: BMD x area against BMC, each rounded as printed
_BMC_SLACK = 0.02  # g: the rounding of a small BMC (0.52 g at the 1/3 radius)


def plausible(name: str, value: float) -> bool:
    """Whether ``value`` can be a printed value of the field ``name`` at all (fields without a
    range, an age or a size, always can)."""
    low, high = _RANGES.get(name, (float("-inf"), float("inf")))
    return low <= value <= high


def bmc_agrees(bmd: float | None, area: float | None, bmc: float | None,
               slack: float = _BMC_SLACK) -> bool | None:
    """Whether BMD x area is the BMC, within print rounding (3 % and ``slack`` grams); None
    when one of them is missing. A bilateral mean row may disagree in a true report (Hologic
    prints each column's mean), so a disagreement tells which reading is likelier, not that
    the report is wrong."""
    if bmd is None or area is None or bmc is None:
        return None
    return abs(bmd * area - bmc) <= _BMC_TOLERANCE * abs(bmc) + slack


def checked_report(report: ReportDocument) -> ReportDocument:
    """The report with every BMD that is not positive set to null, and a warning for each; a
    row left with no value at all is dropped (the printed decimals of the rows after it move
    with them). The one check every reader's output passes (``parsers.parse_bytes``)."""
    if not any(m.bmd_g_cm2 is not None and m.bmd_g_cm2 <= 0 for m in report.measurements):
        return report
    kept: list[Measurement] = []
    moved: dict[int, int | None] = {}  # old index -> new index (None: dropped)
    warnings: list[str] = []
    dropped_fields: set[str] = set()
    for index, row in enumerate(report.measurements):
        if row.bmd_g_cm2 is not None and row.bmd_g_cm2 <= 0:
            label = " ".join(part for part in (row.region, row.side, row.levels) if part)
            warnings.append(f"{VALUE_DROPPED}: {label} bmd_g_cm2 {row.bmd_g_cm2:g} (not positive)")
            dropped_fields.add(f"measurements/{index}/bmd_g_cm2")
            row = row.model_copy(update={"bmd_g_cm2": None})
            if all(getattr(row, name) is None for name in _RANGES):
                moved[index] = None
                continue
        moved[index] = len(kept)
        kept.append(row)
    return report.model_copy(update={"measurements": kept,
                                     "warnings": [*report.warnings, *warnings],
                                     "decimals": _moved_decimals(report.decimals, moved,
                                                                 dropped_fields)})


def _moved_decimals(decimals: dict[str, int] | None, moved: dict[int, int | None],
                    dropped: set[str]) -> dict[str, int] | None:
    """The printed decimals by field path after rows moved or were dropped."""
    if not decimals:
        return decimals
    out: dict[str, int] = {}
    for path, count in decimals.items():
        parts = path.split("/")
        if path in dropped:
            continue
        if parts[0] == "measurements" and len(parts) > 2 and parts[1].isdigit():
            new = moved.get(int(parts[1]), int(parts[1]))
            if new is None:
                continue
            path = "/".join([parts[0], str(new), *parts[2:]])
        out[path] = count
    return out or None
