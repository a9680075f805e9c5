"""The JSON Schemas of CONTRACT.md as package data: ``report.schema.json`` and
``plan.schema.json``, identical copies of ``shared/schemas/`` (a test compares them)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal

SCHEMA_NAMES: tuple[str, ...] = ("report", "plan")


def load_schema(name: Literal["report", "plan"]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``report`` or the ``plan`` document."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)
