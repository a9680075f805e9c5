"""The batch stage keeps a worker's draft plan only where validation passed and the rule set
is the run's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dexa.batch as batch
import dexa.workers as workers
from dexa.discover import discover


def test_a_draft_is_kept_only_where_validation_passes_and_the_rule_set_matches(
        folder: Path) -> None:
    from datetime import date

    files = discover(folder).files[:3]
    parsed = [workers.parse_one(f) for f in files]
    marker = {"rule_set": "bhof-2022", "drafted": True}
    parsed = [replace(p, draft_plan=marker) for p in parsed]
    parsed[1].report.measurements[0].t_score = 42.0  # fails validation: plan again
    results = batch.validate_and_plan(parsed, run_date=date(2026, 1, 1),
                                      rule_set="bhof-2022")
    assert results[0].plan is marker and results[2].plan is marker
    assert not results[1].validation.passed and "drafted" not in results[1].plan
    other = batch.validate_and_plan(parsed[:1], run_date=date(2026, 1, 1),
                                    rule_set="nogg-2022")
    assert other[0].plan["rule_set"] == "nogg-2022"
