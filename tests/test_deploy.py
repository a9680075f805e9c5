"""The nightly deployment: schedule, one run at a time, no secrets in its parameters."""

from __future__ import annotations

from pathlib import Path

import yaml

from flows.deploy import nightly_deployment


def test_nightly_deployment_has_a_cron_and_never_overlaps(tmp_path: Path) -> None:
    deployment = nightly_deployment(str(tmp_path), cron="30 1 * * *", timezone="Europe/Paris")
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "30 1 * * *"
    assert schedule.schedule.timezone == "Europe/Paris"
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert deployment.parameters["input_dir"] == str(tmp_path)
    assert "db_url" not in deployment.parameters, "the database URL (a secret) stays in the env"


def test_prefect_yaml_declares_the_same_deployment() -> None:
    spec = yaml.safe_load((Path(__file__).parent.parent / "prefect.yaml").read_text())
    (deployment,) = spec["deployments"]
    assert deployment["entrypoint"] == "flows/ingest.py:ingest_flow"
    assert deployment["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
    assert deployment["schedules"][0]["cron"]
