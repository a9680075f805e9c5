"""Site policy for planning: the facility's LSC profiles and its name, set once per process.

Taken from ``DEXA_LSC_PROFILES`` (a JSON or TOML file, see planner/lsc_profiles.example.json)
and ``DEXA_FACILITY``, which the CLI's ``--lsc-profiles`` / ``--facility`` set. Environment
rather than flow parameters, so that Prefect deployments, Dask workers and re-planning all see
the same policy without it being passed through every layer.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4)
def _load(path: str, facility: str | None) -> dict[str, Any]:
    from planner import load_lsc_profiles

    return {"lsc_profiles": load_lsc_profiles(path), "facility": facility}


def plan_options() -> dict[str, Any]:
    """Keyword arguments for ``planner.make_plan`` from the site's policy (empty if none)."""
    path = os.environ.get("DEXA_LSC_PROFILES")
    if not path:
        return {}
    return _load(path, os.environ.get("DEXA_FACILITY"))


def set_policy(lsc_profiles: str | None, facility: str | None) -> None:
    if lsc_profiles:
        os.environ["DEXA_LSC_PROFILES"] = str(lsc_profiles)
    if facility:
        os.environ["DEXA_FACILITY"] = facility
