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
    spec = yaml.safe_load((Path(__file__).parents[2] / "prefect.yaml").read_text())
    (deployment,) = spec["deployments"]
    assert deployment["entrypoint"] == "flows/ingest.py:ingest_flow"
    assert deployment["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
    assert deployment["schedules"][0]["cron"]


def test_dexa_serve_registers_the_scheduled_deployment(tmp_path: Path, prefect_harness) -> None:
    """`dexa serve` against a Prefect API (here the test harness's server): the deployment
    appears with its schedule and its concurrency limit."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
           "DEXA_DB_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}"}
    proc = subprocess.Popen([sys.executable, "-m", "dexa.cli", "serve", str(tmp_path),
                             "--cron", "15 3 * * *"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)

    async def deployment():
        async with get_client() as client:
            try:
                return await client.read_deployment_by_name("dexa-ingest/dexa-nightly")
            except Exception:  # noqa: BLE001 - not registered yet
                return None

    try:
        found = None
        deadline = time.monotonic() + 90
        while found is None and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1)
            found = asyncio.run(deployment())
        assert found is not None, proc.stderr.read() if proc.poll() is not None else "timeout"
        assert found.schedules[0].schedule.cron == "15 3 * * *"
        assert found.global_concurrency_limit.limit == 1  # how Prefect 3 stores it
        assert found.concurrency_options.collision_strategy == "CANCEL_NEW"
        assert found.parameters["input_dir"] == str(tmp_path.resolve())
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
