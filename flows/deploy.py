"""The nightly deployment, declared once: used by ``dexa serve`` and mirrored in prefect.yaml.

A cron schedule, and a deployment concurrency limit of one run with the CANCEL_NEW strategy, so
two nightly runs never overlap (a run still busy at the next tick makes the new one cancel).
"""

from __future__ import annotations

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.ingest import ingest_flow

DEPLOYMENT_NAME = "dexa-nightly"
DEFAULT_CRON = "0 2 * * *"
ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1,
                                       collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def nightly_deployment(input_dir: str, *, cron: str = DEFAULT_CRON, timezone: str | None = None,
                       rule_set: str = "bhof-2022", workers: int | None = None,
                       name: str = DEPLOYMENT_NAME) -> RunnerDeployment:
    """The deployment of the ingest flow over ``input_dir``. The results database comes from
    ``DEXA_DB_URL`` in the serving process's environment (never a deployment parameter, which
    Prefect stores and shows)."""
    return ingest_flow.to_deployment(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        concurrency_limit=ONE_AT_A_TIME,
        parameters={"input_dir": input_dir, "rule_set": rule_set, "workers": workers,
                    "kind": "nightly"},
        description="dexa nightly: new DXA reports under input_dir -> plans",
        tags=["dexa"],
    )
