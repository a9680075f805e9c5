"""Compare the latest run's metrics with a baseline of earlier runs (pure; no Prefect, no DB).

    report = compare(latest, baseline)  # baseline: earlier runs' metrics, oldest first
    report.healthy, report.too_little_history, report.alerts
    render_markdown(report)  # for a Prefect markdown artifact
    alert_rows(report)       # for a Prefect table artifact

Alerts (``Alert.kind``):
- ``reject_jump``: reject rate above the baseline mean + k·sd, and at least ``min_jump`` above
  the mean (a floor, so a flat history does not alarm on one extra reject), with at least
  ``min_rejects`` rejected files;
- ``new_failure_type``: an expectation name or rejection reason never seen in the baseline;
- ``site_shift``: a site's T-score distribution moved: |Δmean| above both k·sd/√n and
  ``min_mean_shift``, or |Δmedian| above ``max_p50_shift``; only with ``min_site_count``
  values in the latest run and in the baseline;
- ``source_silent``: a source (vendor / device) seen in the baseline and absent from the last
  ``silent_nights`` runs, the latest included.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from dexa.contract import Outcome

WINDOW = 14
MIN_RUNS = 3


@dataclass(frozen=True)
class Thresholds:
    k: float = 3.0
    min_jump: float = 0.05
    min_rejects: int = 3
    min_site_count: int = 30
    min_mean_shift: float = 0.3
    max_p50_shift: float = 0.5
    silent_nights: int = 3


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str
    message: str
    value: float | None = None
    threshold: float | None = None


@dataclass
class DriftReport:
    baseline_runs: int
    min_runs: int
    alerts: list[Alert] = field(default_factory=list)

    @property
    def too_little_history(self) -> bool:
        return self.baseline_runs < self.min_runs

    @property
    def healthy(self) -> bool:
        return not self.alerts

    def to_dict(self) -> dict[str, Any]:
        return {"baseline_runs": self.baseline_runs, "min_runs": self.min_runs,
                "too_little_history": self.too_little_history, "healthy": self.healthy,
                "alerts": alert_rows(self)}


def _mean_sd(xs: list[float]) -> tuple[float, float]:
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return mean, sd


def _reject_jump(latest: dict, baseline: list[dict], th: Thresholds) -> list[Alert]:
    files = latest.get("files", {})
    mean, sd = _mean_sd([run.get("files", {}).get("reject_rate", 0.0) for run in baseline])
    limit = max(mean + th.k * sd, mean + th.min_jump)
    rate = files.get("reject_rate", 0.0)
    if rate > limit and files.get("rejected", 0) >= th.min_rejects:
        return [Alert("reject_jump", "reject_rate",
                      f"reject rate {rate:.1%} above {limit:.1%} (baseline {mean:.1%} ± {sd:.1%})",
                      rate, round(limit, 4))]
    return []


def _failure_types(run: dict) -> set[str]:
    reasons = run.get("files", {}).get("by_outcome_reason", {}).get(Outcome.QUARANTINED, {})
    return ({n for n, c in run.get("expectation_failures", {}).items() if c}
            | {r for r, c in reasons.items() if c and r != "none"})


def _new_failure_types(latest: dict, baseline: list[dict]) -> list[Alert]:
    seen = set().union(*(_failure_types(run) for run in baseline))
    return [Alert("new_failure_type", name, f"'{name}' never seen in the baseline runs")
            for name in sorted(_failure_types(latest) - seen)]


def _site_shifts(latest: dict, baseline: list[dict], th: Thresholds) -> list[Alert]:
    alerts = []
    for site, now in sorted(latest.get("sites", {}).items()):
        t = now.get("t_score", {})
        past = [run["sites"][site]["t_score"] for run in baseline
                if site in run.get("sites", {}) and run["sites"][site]["t_score"].get("n")]
        n_past = sum(p["n"] for p in past)
        if (t.get("n") or 0) < th.min_site_count or n_past < th.min_site_count:
            continue
        base_mean = sum(p["mean"] * p["n"] for p in past) / n_past
        dof = sum(p["n"] - 1 for p in past if p.get("sd") is not None)
        pooled_sd = math.sqrt(sum((p["n"] - 1) * p["sd"] ** 2 for p in past
                                  if p.get("sd") is not None) / dof) if dof else 0.0
        base_p50 = sorted(p["p50"] for p in past)[len(past) // 2]
        shift, p50_shift = t["mean"] - base_mean, t["p50"] - base_p50
        mean_limit = max(th.k * pooled_sd / math.sqrt(t["n"]), th.min_mean_shift)
        if abs(shift) > mean_limit or abs(p50_shift) > th.max_p50_shift:
            alerts.append(Alert(
                "site_shift", site,
                f"{site} T-score mean {t['mean']:+.2f} vs baseline {base_mean:+.2f} "
                f"(limit ±{mean_limit:.2f}), median {t['p50']:+.2f} vs {base_p50:+.2f} "
                f"(n={t['n']})", round(shift, 3), round(mean_limit, 3)))
    return alerts


def _silent_sources(latest: dict, baseline: list[dict], th: Thresholds) -> list[Alert]:
    runs = [*baseline, latest]
    recent, earlier = runs[-th.silent_nights:], runs[:-th.silent_nights]
    if len(recent) < th.silent_nights:
        return []
    known = {s for run in earlier for s, c in run.get("sources", {}).items() if c}
    alerts = []
    for source in sorted(known):
        if all(not run.get("sources", {}).get(source) for run in recent):
            quiet = next((i for i, run in enumerate(reversed(runs))
                          if run.get("sources", {}).get(source)), len(runs))
            alerts.append(Alert("source_silent", source,
                                f"{source} has sent nothing for {quiet} runs",
                                quiet, th.silent_nights))
    return alerts


def compare(latest: dict, baseline: list[dict], *, min_runs: int = MIN_RUNS,
            window: int = WINDOW, thresholds: Thresholds | None = None) -> DriftReport:
    """Alerts for ``latest`` against the last ``window`` runs of ``baseline`` (oldest first).

    With fewer than ``min_runs`` baseline runs there is no baseline: ``too_little_history``
    is set and no alert is raised.
    """
    th = thresholds or Thresholds()
    history = baseline[-window:]
    report = DriftReport(baseline_runs=len(history), min_runs=min_runs)
    if report.too_little_history:
        return report
    report.alerts = [*_reject_jump(latest, history, th), *_new_failure_types(latest, history),
                     *_site_shifts(latest, history, th), *_silent_sources(latest, history, th)]
    return report


def alert_rows(report: DriftReport) -> list[dict[str, Any]]:
    """One plain dict per alert (kind, subject, message, value, threshold)."""
    return [asdict(a) for a in report.alerts]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: DriftReport) -> str:
    if report.too_little_history:
        return (f"# Data quality\n\nToo little history to form a baseline: "
                f"{report.baseline_runs} earlier night(s), {report.min_runs} needed. "
                f"No drift check was made.\n")
    if report.healthy:
        return (f"# Data quality\n\nHealthy: no alert against a baseline of "
                f"{report.baseline_runs} runs.\n")
    lines = [f"# Data quality\n\n**{len(report.alerts)} alert(s)** against a baseline of "
             f"{report.baseline_runs} runs.\n", "| kind | subject | detail |", "|---|---|---|"]
    lines += [f"| {a.kind} | {_cell(a.subject)} | {_cell(a.message)} |" for a in report.alerts]
    return "\n".join(lines) + "\n"
