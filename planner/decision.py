"""The small value every deciding function returns: what was decided, by which rule, why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Decision:
    value: Any
    rule: str
    reason: str
    inputs: dict[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()  # further rules that contributed (traced, cited nowhere else)
