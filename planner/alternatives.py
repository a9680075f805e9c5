"""Alternative regimes (AACE 2020, NOGG 2022, ACP 2023) on the same engine (§3.5)."""

from __future__ import annotations

from planner.regimes import Regime

ALTERNATIVES: dict[str, Regime] = {}
