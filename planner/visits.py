"""Visits (clinical-rules.md §3.13): the scans of one patient on one scan date, merged into the
one report a plan is made from.

Sites send one study as several objects (an SR and its PDF printout, a page image, spine and hip
as separate SRs). ``merge_visit`` makes one report of them:

* VIS-1: every measurement row, history fact, FRAX value, prior and LSC that any scan states;
  a fact stated by one scan and not by another is stated.
* VIS-2: where two scans give one value, they agree when the more precise, rounded to the
  precision of the other, equals it (0.62 and 0.618 agree; 0.620 and 0.618 do not; -2.0 and
  -1.96 agree), and the more precise is kept. Otherwise it is a conflict: the primary scan's
  value is used and the conflict is returned (the plan flags ``SOURCE_CONFLICT``). Yes/no facts
  and categories (sex, menopausal status, birth date, therapy status) conflict when they differ;
  free text (a drug as written, a reference database's name) is taken from the first scan that
  states it, since two formats spell one fact differently. Ages agree within a year (a printed
  age is completed years, a derived one has a decimal).
* The primary scan (``primary_first``): first by kind (dicom-sr, dicom-pdf, pdf, text,
  image-ocr), then the latest creation date-time the scan states, then the smallest sha256:
  never the order in which files arrive.

Precision: the decimals a value was printed with come from the report's ``decimals`` map (by
field path) where the reader filled it, else from the float's shortest form (0.62 -> 2).
Without the map a trailing zero is lost ("0.620" reads as 0.62), so 0.620 and 0.618 then
agree: readers that see the printed text should fill ``decimals``.

Validation: a value that failed validation in its own scan neither fills a slot nor conflicts
while another scan gives that value and it passed; where none does, the slot holds the failed
value and the visit's validation names it at its merged path, so the planner treats it exactly
as it would for one scan. Failed values that a passing value replaced stay in the visit's
validation under ``sources/<sha256>/<path>`` (the plan's ``validation`` names every failure).

Pure: no database, no Prefect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dexa.contract import FailedValue, ReportDocument, ScanValidation, VisitRef

KIND_ORDER = ("dicom-sr", "dicom-pdf", "pdf", "text", "image-ocr")
_CATEGORIES = frozenset({"patient/sex", "patient/birth_date", "patient/menopausal_status",
                         "therapy/status"})
_SECTIONS = ("patient", "study", "frax", "fracture_history", "therapy", "risk_factors")
_ROW_KEYS = {"measurements": ("region", "side", "levels"),
             "priors": ("scan_date", "region", "side", "levels"),
             "lsc": ("region", "side", "levels")}


def visit_key(report: ReportDocument) -> str:
    """``<patient id>/<scan date>`` where the scan states both, else the scan's own sha256."""
    patient_id, scan_date = report.patient.id, report.study.scan_date
    return f"{patient_id}/{scan_date}" if patient_id and scan_date else report.source.sha256


def primary_first(reports: Iterable[ReportDocument]) -> list[ReportDocument]:
    """The scans of a visit, primary first (CONTRACT.md, Tables: Visit)."""
    ordered = sorted(reports, key=lambda r: r.source.sha256)
    ordered.sort(key=lambda r: r.source.created or "", reverse=True)  # stable: sha256 ties
    ordered.sort(key=lambda r: KIND_ORDER.index(r.source.kind))
    return ordered


def decimals_of(value: float) -> int:
    """The decimals of a number's shortest form: 0.62 -> 2, -2.0 -> 1, 68 -> 0."""
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agree(a: float, a_decimals: int, b: float, b_decimals: int) -> bool:
    """VIS-2's print rounding: equal at the coarser of the two precisions. A difference of
    exactly half a unit agrees (either rounding convention may have printed it)."""
    places = min(a_decimals, b_decimals)
    return abs(Decimal(repr(a)) - Decimal(repr(b))) <= Decimal(1).scaleb(-places) / 2


@dataclass(frozen=True)
class SourceConflict:
    """One value two scans of a visit give differently (VIS-2)."""

    field: str  # by meaning: measurements/femoral_neck/left/t_score, fracture_history/hip
    used: str  # sha256 of the scan whose value the plan uses
    used_value: Any
    other: str  # sha256 of the scan whose value was set aside
    other_value: Any

    def detail(self) -> str:
        return (f"{self.field}: scan {self.used} gives {self.used_value!r} (used), "
                f"scan {self.other} gives {self.other_value!r}")


@dataclass(frozen=True)
class Visit:
    """A visit merged: what its plan is made from (``report``, ``validation``), its scans
    primary first, and the conflicts among them."""

    key: str
    report: ReportDocument
    sources: tuple[ReportDocument, ...]
    conflicts: tuple[SourceConflict, ...] = ()
    validation: ScanValidation | None = None

    @property
    def ref(self) -> VisitRef:
        return VisitRef(key=self.key, sources=[s.source.sha256 for s in self.sources])


def merge_visit(reports: Sequence[ReportDocument],
                validations: Sequence[ScanValidation | None] | None = None) -> Visit:
    """One visit from its scans' report documents (any order) and, optionally, each scan's
    validation in the same order.

    Raises:
        ValueError: no report, or reports of different visits.
    """
    if not reports:
        raise ValueError("a visit needs at least one scan")
    keys = {visit_key(r) for r in reports}
    if len(keys) != 1:
        raise ValueError("the reports belong to different visits")
    checks = list(validations) if validations is not None else [None] * len(reports)
    by_sha = {r.source.sha256: (r, v) for r, v in zip(reports, checks, strict=True)}
    ordered = primary_first(r for r, _ in by_sha.values())
    ordered_checks = [by_sha[r.source.sha256][1] for r in ordered]
    if len(ordered) == 1:
        return Visit(keys.pop(), ordered[0], (ordered[0],), (), ordered_checks[0])
    merger = _Merger(ordered, ordered_checks)
    report = merger.merge()
    failures = merger.failures()
    return Visit(keys.pop(), report, tuple(ordered), tuple(merger.conflicts),
                 ScanValidation(failures) if failures else ScanValidation())


@dataclass
class _Candidate:
    """One scan's value for one slot of the merged report."""

    value: Any
    scan: int  # index in primary-first order
    path: str  # where the scan gives it
    decimals: int | None = None  # the reader's hint

    def precision(self) -> int:
        return self.decimals if self.decimals is not None else decimals_of(self.value)


class _Merger:
    def __init__(self, reports: list[ReportDocument],
                 validations: list[ScanValidation | None]) -> None:
        self.docs = [r.to_dict() for r in reports]
        self.printed = [d["decimals"] or {} for d in self.docs]
        self.decimals: dict[str, int] = {}  # of the merged report
        self.shas = [r.source.sha256 for r in reports]
        self.failed = [{f.field: f for f in v.failures} if v else {} for v in validations]
        self.consumed: set[tuple[int, str]] = set()
        self.conflicts: list[SourceConflict] = []
        self.merged_failures: list[FailedValue] = []

    def merge(self) -> ReportDocument:
        primary = self.docs[0]
        merged: dict[str, Any] = {"schema_version": primary["schema_version"],
                                  "source": primary["source"]}
        for section in _SECTIONS:
            merged[section] = self._section(section)
        for rows in _ROW_KEYS:
            merged[rows] = self._rows(rows)
        merged["warnings"] = list(dict.fromkeys(w for d in self.docs for w in d["warnings"]))
        merged["decimals"] = self.decimals or None
        return ReportDocument.model_validate(merged)

    def failures(self) -> list[FailedValue]:
        """Failures at their merged paths, then the replaced ones under their scan."""
        rest = [FailedValue(f.expectation, f"sources/{self.shas[scan]}/{path}", f.value,
                            f.detail)
                for scan, failed in enumerate(self.failed) for path, f in failed.items()
                if (scan, path) not in self.consumed]
        return [*self.merged_failures, *rest]

    # --- one value -------------------------------------------------------------------------
    def _failure(self, c: _Candidate) -> FailedValue | None:
        return self.failed[c.scan].get(c.path)

    def _candidate(self, value: Any, scan: int, path: str) -> _Candidate:
        return _Candidate(value, scan, path, self.printed[scan].get(path))

    def _slot(self, label: str, merged_path: str, candidates: list[_Candidate]
              ) -> Any:
        """The value of one slot from every scan's candidate (primary first)."""
        kept = self._choose(label, merged_path, candidates)
        if kept is None:
            return None
        if kept.decimals is not None:
            self.decimals[merged_path] = kept.decimals
        return kept.value

    def _choose(self, label: str, merged_path: str, candidates: list[_Candidate]
                ) -> _Candidate | None:
        stated = [c for c in candidates if c.value is not None]
        passing = [c for c in stated if self._failure(c) is None]
        if not passing:
            if not stated:
                return None
            kept, failure = stated[0], self._failure(stated[0])
            assert failure is not None
            self.consumed.add((kept.scan, kept.path))
            self.merged_failures.append(FailedValue(failure.expectation, merged_path,
                                                    failure.value, failure.detail))
            return kept
        kept = passing[0]
        for other in passing[1:]:
            same = self._agree(label, kept, other)
            if same and _is_number(kept.value) and other.precision() > kept.precision():
                kept = other
            elif not same:
                self.conflicts.append(SourceConflict(label, self.shas[kept.scan], kept.value,
                                                     self.shas[other.scan], other.value))
        return kept

    @staticmethod
    def _agree(label: str, a: _Candidate, b: _Candidate) -> bool:
        if _is_number(a.value) and _is_number(b.value):
            if label == "patient/age_years":  # completed years against a derived age
                return abs(a.value - b.value) < 1
            return agree(a.value, a.precision(), b.value, b.precision())
        if label in _CATEGORIES or isinstance(a.value, bool) or isinstance(b.value, bool):
            return a.value == b.value
        return True  # free text: the first scan's wording is kept

    # --- sections (patient, study, frax, history facts) ------------------------------------
    def _section(self, section: str) -> dict[str, Any] | None:
        parts = [(scan, d[section]) for scan, d in enumerate(self.docs)
                 if d[section] is not None]
        if not parts:
            return None
        merged: dict[str, Any] = {}
        for name in parts[0][1]:
            path = f"{section}/{name}"
            candidates = [self._candidate(part.get(name), scan, path) for scan, part in parts]
            if any(isinstance(c.value, list) for c in candidates):
                lists = [c.value for c in candidates if c.value is not None]
                merged[name] = list(dict.fromkeys(x for lst in lists for x in lst)) \
                    if lists else None
            else:
                merged[name] = self._slot(path, path, candidates)
        return merged

    # --- rows (measurements, priors, LSC) --------------------------------------------------
    def _rows(self, name: str) -> list[dict[str, Any]]:
        key_fields = _ROW_KEYS[name]
        rows: list[_Row] = []
        for scan, doc in enumerate(self.docs):
            repeats: Counter[tuple] = Counter()
            taken: set[int] = set()
            for i, row in enumerate(doc[name]):
                key = tuple(row[k] for k in key_fields)
                repeat = repeats[key]
                repeats[key] += 1
                target = _match(rows, key, repeat, taken, levels_at=key_fields.index("levels"))
                if target is None:
                    target = _Row(dict(zip(key_fields, key, strict=True)), repeat)
                    rows.append(target)
                elif target.key["levels"] is None:
                    target.key["levels"] = row["levels"]
                taken.add(id(target))
                target.members.append((scan, i, row))
        return [self._row(name, j, r) for j, r in enumerate(rows)]

    def _row(self, name: str, index: int, row: _Row) -> dict[str, Any]:
        merged: dict[str, Any] = dict(row.key)
        label = "/".join([name, *(str(v) for v in row.key.values() if v is not None)])
        label += f"#{row.repeat + 1}" if row.repeat else ""
        for column in row.members[0][2]:
            if column in row.key:
                for scan, i, _ in row.members:  # a failed side or levels: at the merged row
                    failure = self.failed[scan].get(f"{name}/{i}/{column}")
                    if failure is not None:
                        self.consumed.add((scan, f"{name}/{i}/{column}"))
                        self.merged_failures.append(FailedValue(
                            failure.expectation, f"{name}/{index}/{column}", failure.value,
                            failure.detail))
                continue
            candidates = [self._candidate(values.get(column), scan, f"{name}/{i}/{column}")
                          for scan, i, values in row.members]
            merged[column] = self._slot(f"{label}/{column}", f"{name}/{index}/{column}",
                                        candidates)
        return merged


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class _Row:
    key: dict[str, Any]
    repeat: int  # the n-th row of this key within a scan (a second analysis of one site)
    members: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)


def _match(rows: list[_Row], key: tuple, repeat: int, taken: set[int],
           levels_at: int) -> _Row | None:
    """The merged row a scan's row joins: the same key and repeat; else, where one of the two
    does not state the spine levels, the one row of the same site whose levels the other
    states (a fact stated by one scan and not the other is stated)."""
    free = [r for r in rows if id(r) not in taken and r.repeat == repeat]
    for r in free:
        if tuple(r.key.values()) == key:
            return r
    site = key[:levels_at] + key[levels_at + 1:]

    def same_site(r: _Row) -> bool:
        values = tuple(r.key.values())
        return values[:levels_at] + values[levels_at + 1:] == site

    loose = [r for r in free if same_site(r)
             and (key[levels_at] is None) != (r.key["levels"] is None)]
    return loose[0] if len(loose) == 1 else None
