"""Treatment regimes on one engine, one module each: which functions decide classification,
`pharmacotherapy` and the regime's notes and items. ``bhof_2022`` is the default; ``aace_2020``,
``nogg_2022`` and ``acp_2023`` replace the BHOF therapy rows (TX-B0..TX-B9) by their own and
share densitometry, monitoring, work-up and the missing-data rows with it (§3.5); ``base``
holds what every regime does unless it says otherwise."""

from __future__ import annotations

from planner.regimes.aace_2020 import AACE
from planner.regimes.acp_2023 import ACP
from planner.regimes.base import Regime
from planner.regimes.bhof_2022 import BHOF
from planner.regimes.nogg_2022 import NOGG

REGIMES: dict[str, Regime] = {regime.name: regime for regime in (BHOF, AACE, NOGG, ACP)}


def regime_for(rule_set: str) -> Regime:
    """The regime of a rule set (bhof-2022's for a name without its own)."""
    return REGIMES.get(rule_set, BHOF)


__all__ = ["REGIMES", "Regime", "regime_for"]
