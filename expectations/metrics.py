"""Per-run data-quality metrics (pure; JSON-serialisable; stored in ``dq_runs.metrics_json``).

    metrics = run_metrics(outcomes, reports, validations)
    # or batch by batch: acc = RunMetrics(); acc.add(...) per batch; acc.to_dict() at the end

``outcomes``: one mapping per file of the run with the ledger's ``outcome`` and
``reason_code`` (other keys are ignored). ``reports`` and ``validations``: the parsed scans of
the run and their ``ScanValidation``, in the same order. Values that failed validation are
left out of the distributions (every rule treats them as null); they are counted under
``expectation_failures``.

Scans and visits are counted apart: ``scans`` are the files read and validated, ``visits``
(``add_visits``) the visit plans written: ``new`` visits, visits a scan ``joined`` (planned
again with a scan that arrived after the others), of them ``multi_scan`` and
``with_source_conflict``. A study sent as an SR and its PDF is two scans and one visit. Runs
stored before visits (``metrics_version`` 1) have no ``visits``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dexa.contract import Outcome, ReportDocument, ScanValidation

METRICS_VERSION = 2
NOT_ATTEMPTED = (Outcome.DUPLICATE, Outcome.SKIPPED)  # outcomes that do not judge the file
VISIT_COUNTS = ("planned", "new", "joined", "multi_scan", "with_source_conflict")


def site_key(region: str, side: str | None) -> str:
    return f"{region}/{side or '-'}"


def source_key(report: ReportDocument) -> str:
    """The source of a scan for the silent-source check: its vendor and device, or, where the
    report states neither, its kind (``dexa dq`` once named such sources "unknown / unknown")."""
    vendor, device = report.source.vendor, report.source.device
    if not vendor and not device:
        return f"{report.source.kind} reports without vendor or device"
    return f"{vendor or 'vendor not stated'} / {device or 'device not stated'}"


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(sorted_values) - 1) * q
    lo, hi = math.floor(position), math.ceil(position)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (position - lo)


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def summary(values: Iterable[float]) -> dict[str, float | int | None]:
    """n, mean, sd (sample) and p5/p50/p95, rounded to 3 decimals; None where undefined."""
    xs = sorted(values)
    n = len(xs)
    if not n:
        return {"n": 0, "mean": None, "sd": None, "p5": None, "p50": None, "p95": None}
    mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else None
    return {"n": n, "mean": _r(mean), "sd": _r(sd), "p5": _r(percentile(xs, 0.05)),
            "p50": _r(percentile(xs, 0.5)), "p95": _r(percentile(xs, 0.95))}


def _files(pairs: Counter[tuple[str, str]]) -> dict[str, Any]:
    by_outcome: Counter[str] = Counter()
    nested: dict[str, dict[str, int]] = {}
    for (outcome, reason), count in sorted(pairs.items()):
        by_outcome[outcome] += count
        nested.setdefault(outcome, {})[reason] = count
    considered = sum(c for o, c in by_outcome.items() if o not in NOT_ATTEMPTED)
    rejected = by_outcome.get(Outcome.QUARANTINED, 0)
    return {
        "total": sum(by_outcome.values()),
        "by_outcome": dict(sorted(by_outcome.items())),
        "by_outcome_reason": nested,
        "considered": considered,
        "rejected": rejected,
        "reject_rate": round(rejected / considered, 4) if considered else 0.0,
    }


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _without_frax(report: ReportDocument) -> bool:
    frax = report.frax
    return frax is None or (frax.major_osteoporotic_pct is None and frax.hip_pct is None)


@dataclass
class RunMetrics:
    """Accumulates a run batch by batch (only counts and measured values are kept)."""

    files: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    scans: int = 0
    scans_with_failures: int = 0
    without_frax: int = 0
    without_priors: int = 0
    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    visits: Counter[str] = field(default_factory=Counter)

    def add(self, outcomes: Iterable[Mapping[str, Any]], reports: Sequence[ReportDocument],
            validations: Sequence[ScanValidation]) -> RunMetrics:
        self.files.update((o["outcome"], o.get("reason_code") or "none") for o in outcomes)
        for report, validation in zip(reports, validations, strict=True):
            self.scans += 1
            self.scans_with_failures += not validation.passed
            self.failures.update(f.expectation for f in validation.failures)
            self.sources[source_key(report)] += 1
            self.without_frax += _without_frax(report)
            self.without_priors += not report.priors
            self._add_values(report, {f.field for f in validation.failures})
        return self

    def add_visits(self, visits: Iterable[tuple[int, bool, bool]]) -> RunMetrics:
        """Visit plans written, each as (its number of scans, whether two of them conflict,
        whether the visit had scans stored before: a scan joined it)."""
        for scans, conflict, joined in visits:
            self.visits.update(planned=1, joined=joined, new=not joined, multi_scan=scans > 1,
                               with_source_conflict=conflict)
        return self

    def merge(self, other: RunMetrics) -> RunMetrics:
        """Fold another accumulator (e.g. one batch's) into this one."""
        for name in ("files", "failures", "sources", "visits"):
            getattr(self, name).update(getattr(other, name))
        for name in ("scans", "scans_with_failures", "without_frax", "without_priors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, site in other.values.items():
            mine = self.values.setdefault(key, {"t_score": [], "bmd_g_cm2": []})
            for name, bucket in site.items():
                mine[name].extend(bucket)
        return self

    def _add_values(self, report: ReportDocument, failed: set[str]) -> None:
        for i, m in enumerate(report.measurements):
            site = self.values.setdefault(site_key(m.region, m.side),
                                          {"t_score": [], "bmd_g_cm2": []})
            for name, bucket in site.items():
                value = getattr(m, name)
                if isinstance(value, int | float) and f"measurements/{i}/{name}" not in failed:
                    bucket.append(float(value))

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics_version": METRICS_VERSION,
            "files": _files(self.files),
            "scans": self.scans,
            "scans_with_failures": self.scans_with_failures,
            "visits": {name: self.visits[name] for name in VISIT_COUNTS},
            "expectation_failures": dict(sorted(self.failures.items())),
            "sites": {key: {"count": max(len(v) for v in site.values()),
                            "t_score": summary(site["t_score"]),
                            "bmd_g_cm2": summary(site["bmd_g_cm2"])}
                      for key, site in sorted(self.values.items())},
            "share_without_frax": _share(self.without_frax, self.scans),
            "share_without_priors": _share(self.without_priors, self.scans),
            "sources": dict(sorted(self.sources.items())),
        }


def run_metrics(outcomes: Iterable[Mapping[str, Any]], reports: Sequence[ReportDocument],
                validations: Sequence[ScanValidation]) -> dict[str, Any]:
    """The metrics of one run (see the module docstring)."""
    return RunMetrics().add(outcomes, reports, validations).to_dict()
