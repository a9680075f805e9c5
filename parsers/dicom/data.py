"""The reader's vocabularies, loaded once: ``codes.json`` (LOINC, SNOMED CT, DICOM codes) and
``items.json`` (names of non-measurement items)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_HERE = resources.files("parsers.dicom")
CODES: dict[str, Any] = json.loads(_HERE.joinpath("codes.json").read_text("utf-8"))
ITEMS: dict[str, Any] = json.loads(_HERE.joinpath("items.json").read_text("utf-8"))
