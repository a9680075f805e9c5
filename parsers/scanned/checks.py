"""The report's own cross-checks, applied to values read by OCR: a wrong digit is worse than a
missing row.

OCR misreads in ways that still look like numbers: a minus sign lost (``-0.8`` -> ``0.8``), a
decimal point of one pixel dropped (``-2.3`` -> ``-23``), one digit for another. A printed report
states most values twice over, so a misread can be caught rather than guessed at:

- ranges: a T- or Z-score beyond +-8, a BMD outside 0.05-3 g/cm2, a percentage outside 20-250 %
  is not a reading (a dropped decimal point lands there);
- T - Z is the same for every row of one site (left, right, mean: one patient, one age, one
  reference curve); print rounding moves it by 0.1 at most;
- T against the young-adult percentage and Z against the age-matched one: the score is below 0
  exactly when the percentage is below 100, and score / (percent / 100 - 1) (the reference
  mean over its SD) is between 3 and 25 at every site;
- BMD x area = BMC (print rounding: 3 %); for a mean row, or its BMD is the mean of the left
  and right BMDs (Hologic prints each column's mean);
- a composite spine BMD lies between the BMDs of its vertebrae (it is their area-weighted mean).

- a row of a table with a BMD but neither score: its score columns were not read (a header the
  recogniser garbled), and what it holds may have come from a neighbouring column. Unless the
  report vouches for both: its BMD times its area is its BMC (three columns agree, so the BMD
  is the BMD), and the page's score columns were read (another row has a score, or a table
  prints both its T- and Z-score columns empty: GE ancillary rows print ``-`` for every
  region). A region printed without scores by nature (``parsers.labels.is_unscored``: the
  femoral shaft, which has no reference curve) needs only the page's score columns read: its
  ``-`` cells are often too small for the detector and its table (GE's main one) may print no
  BMC. So does a region the report states to have no reference data
  (``parsers.labels.stated_unscored``: GE's "No reference data for Left Forearm" under a
  forearm table of BMDs and '-'). A page without a table (a dictated report) binds each value
  to its own words in a sentence (``bone mineral density measures 0.942 g/cm2``), not to a
  column: its BMD stands without a score (the rest of a line may run past the picture's side,
  where no score is left to read).

A row that fails is dropped whole, with a warning naming the site and the check: the values
that disagree cannot say which of them was misread, and a row with a blanked T-score would
still look read. Nothing is repaired.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from dexa.contract import Measurement
from parsers.kit.measures import bmc_agrees
from parsers.labels import is_unscored

OCR_VALUE_DROPPED = "OCR_VALUE_DROPPED"
"""Warning prefix: ``OCR_VALUE_DROPPED: femoral_neck left (T-Z differs from the other rows)``."""

_RANGES = {
    "t_score": (-8.0, 8.0),
    "z_score": (-8.0, 8.0),
    "bmd_g_cm2": (0.05, 3.0),
    "young_adult_pct": (20.0, 250.0),
    "age_matched_pct": (20.0, 250.0),
}
_T_MINUS_Z_ROUNDING = 0.11  # T and Z are each rounded to 0.1: their difference moves by 0.1
_RATIO_RANGE = (3.0, 25.0)  # reference mean / SD at any site, as score / (percent/100 - 1)
_RATIO_MIN_PERCENT_GAP = 4.0  # nearer 100 %, print rounding makes the ratio meaningless
_MEAN_ROUNDING = 0.0011  # g/cm2: a printed mean against the mean of its two printed BMDs
_SPINE_COMPOSITE_SLACK = 0.006  # g/cm2: the composite's and the vertebrae's print rounding
# regions whose left, right and mean rows share one reference curve (vertebrae do not: each
# level has its own, so T - Z varies along the spine)
_SIDED_REGIONS_EXCLUDED = frozenset({"vertebra", "lumbar_spine"})


def _label(row: Measurement) -> str:
    return " ".join(part for part in (row.region, row.side, row.levels) if part)


def _out_of_range(row: Measurement) -> str | None:
    for name, (low, high) in _RANGES.items():
        value = getattr(row, name)
        if value is not None and not low <= value <= high:
            return f"{name} {value:g} out of range"
    return None


def _score_against_percent(score: float | None, percent: float | None, what: str) -> str | None:
    if score is None or percent is None:
        return None
    gap = percent - 100.0
    if abs(gap) >= 2.0 and abs(score) >= 0.2 and (gap < 0) != (score < 0):
        return f"{what} sign disagrees with its percentage"
    if abs(gap) >= _RATIO_MIN_PERCENT_GAP and abs(score) >= 0.2:
        ratio = score / (gap / 100.0)
        if not _RATIO_RANGE[0] <= ratio <= _RATIO_RANGE[1]:
            return f"{what} disagrees with its percentage"
    return None


def _bmc_against_area(row: Measurement) -> str | None:
    """An OCR'd row is held to print rounding alone (no slack for a small BMC: a misread
    digit must not pass)."""
    if row.bmc_g is not None and row.bmc_g <= 0:
        return None
    if bmc_agrees(row.bmd_g_cm2, row.area_cm2, row.bmc_g, slack=0.0) is False:
        return "BMD x area differs from BMC"
    return None


def _without_scores(row: Measurement, scores_read: bool, unscored: frozenset[str],
                    in_sentences: bool = False) -> str | None:
    if row.t_score is not None or row.z_score is not None or in_sentences:
        return None
    if scores_read and (is_unscored(row.region) or row.region in unscored):
        return None
    if scores_read and row.bmd_g_cm2 is not None and row.area_cm2 is not None \
            and row.bmc_g is not None and row.bmc_g > 0 and _bmc_against_area(row) is None:
        return None
    return "no T- or Z-score read"


def _row_failure(row: Measurement, scores_read: bool,
                 unscored: frozenset[str] = frozenset(), in_sentences: bool = False
                 ) -> str | None:
    """The first check a row fails on its own, or None."""
    return (_without_scores(row, scores_read, unscored, in_sentences)
            or _out_of_range(row)
            or _score_against_percent(row.t_score, row.young_adult_pct, "T-score")
            or _score_against_percent(row.z_score, row.age_matched_pct, "Z-score")
            or (None if row.side == "mean" else _bmc_against_area(row)))


def _t_minus_z_outliers(rows: list[Measurement]) -> dict[int, str]:
    """Rows of one site whose T - Z differs from the site's other rows (by list index).

    With three or more rows the odd one out is dropped (the others agree with each other); with
    two that disagree, neither can be trusted."""
    by_region: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if row.region not in _SIDED_REGIONS_EXCLUDED and row.t_score is not None \
                and row.z_score is not None:
            by_region[row.region].append(index)
    failed: dict[int, str] = {}
    for indexes in by_region.values():
        if len(indexes) < 2:
            continue
        diffs = {i: rows[i].t_score - rows[i].z_score for i in indexes}  # type: ignore[operator]
        for i, diff in diffs.items():
            agreeing = sum(abs(diff - other) <= _T_MINUS_Z_ROUNDING for other in diffs.values())
            if agreeing * 2 <= len(diffs):  # agrees with no more than half of the rows (itself too)
                failed[i] = "T-Z differs from the other rows of the site"
    return failed


def _composite_outliers(rows: list[Measurement]) -> dict[int, str]:
    """Composite spine rows (L1-L4) whose BMD lies outside the range of their vertebrae's."""
    vertebrae = {row.levels: row.bmd_g_cm2 for row in rows
                 if row.region == "vertebra" and row.levels and row.bmd_g_cm2 is not None}
    failed: dict[int, str] = {}
    for index, row in enumerate(rows):
        if row.region != "lumbar_spine" or row.bmd_g_cm2 is None or not row.levels:
            continue
        levels = _levels_of(row.levels)
        values = [vertebrae[level] for level in levels if level in vertebrae]
        if len(levels) < 2 or len(values) != len(levels):
            continue
        if not min(values) - _SPINE_COMPOSITE_SLACK <= row.bmd_g_cm2 \
                <= max(values) + _SPINE_COMPOSITE_SLACK:
            failed[index] = "composite BMD outside its vertebrae's"
    return failed


def _levels_of(levels: str) -> list[str]:
    """``L1-L4`` -> L1, L2, L3, L4; ``L1,L3`` -> L1, L3."""
    out: list[str] = []
    for part in levels.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if last and first[1:].isdigit() and last[1:].isdigit():
            out += [f"L{n}" for n in range(int(first[1:]), int(last[1:]) + 1)]
        elif first:
            out.append(first)
    return out


def _mean_outliers(rows: list[Measurement]) -> dict[int, str]:
    """Mean rows whose BMD x area differs from their BMC and whose BMD is not the mean of
    their site's left and right BMDs either. Hologic prints each column's mean (0.729 for
    0.803 and 0.655, area 8.01, BMC 5.47: BMC over area would be 0.683), so a mean row is
    vouched for by either."""
    bmd = {(row.region, row.side): row.bmd_g_cm2 for row in rows}
    failed: dict[int, str] = {}
    for index, row in enumerate(rows):
        if row.side != "mean" or row.bmd_g_cm2 is None or _bmc_against_area(row) is None:
            continue
        left, right = bmd.get((row.region, "left")), bmd.get((row.region, "right"))
        if left is None or right is None \
                or abs((left + right) / 2 - row.bmd_g_cm2) > _MEAN_ROUNDING:
            failed[index] = "BMD x area differs from BMC"
    return failed


_GROUP_CHECKS: tuple[Callable[[list[Measurement]], dict[int, str]], ...] = (
    _t_minus_z_outliers, _composite_outliers, _mean_outliers)


def checked(rows: list[Measurement], *, score_column_empty: bool = False,
            unscored: frozenset[str] = frozenset(), in_sentences: bool = False
            ) -> tuple[list[Measurement], list[str]]:
    """The rows that pass every check, and a warning for each row dropped.
    ``score_column_empty``: a results table prints its T- and Z-score columns empty;
    ``unscored``: regions the report states to have no reference data (no scores);
    ``in_sentences``: the rows were read from sentences (a dictated report), not columns."""
    failed: dict[int, str] = {}
    scores_read = score_column_empty or any(
        row.t_score is not None or row.z_score is not None for row in rows)
    for index, row in enumerate(rows):
        reason = _row_failure(row, scores_read, unscored, in_sentences)
        if reason:
            failed[index] = reason
    kept = [i for i in range(len(rows)) if i not in failed]
    for check in _GROUP_CHECKS:  # on the rows that passed alone: a bad row must not outvote
        for position, reason in check([rows[i] for i in kept]).items():
            failed.setdefault(kept[position], reason)
    warnings = [f"{OCR_VALUE_DROPPED}: {_label(rows[i])} ({reason})"
                for i, reason in sorted(failed.items())]
    return [row for i, row in enumerate(rows) if i not in failed], warnings
