"""Same scanner? (SER-2, MISS-6 notes): manufacturer and model must match; serial numbers may
differ; `GE Healthcare` = `GE Lunar` = `Lunar`."""

from __future__ import annotations

import re

_MANUFACTURERS = {"ge": "lunar", "lunar": "lunar", "hologic": "hologic", "norland": "norland",
                  "medilink": "medilink", "dms": "dms", "swissray": "swissray",
                  "osteosys": "osteosys"}
_NOISE = {"healthcare", "medical", "systems", "inc", "ltd", "corp", "corporation", "dxa",
          "densitometer", "scanner"}
_SERIAL = re.compile(r"\b(s/?n|serial(\s*(no|number))?)\s*[:#.]?\s*\S+", re.IGNORECASE)


def device_key(device: str | None, vendor: str | None = None) -> tuple[str | None, frozenset[str]]:
    """(manufacturer, model tokens) of a device as written; serial-like tokens dropped."""
    manufacturer = None
    model: list[str] = []
    for token in re.findall(r"[a-z0-9+]+", _SERIAL.sub(" ", device or "").lower()):
        if token in _MANUFACTURERS:
            manufacturer = _MANUFACTURERS[token]
        elif token not in _NOISE and sum(c.isdigit() for c in token) < 4:
            model.append(token)
    if manufacturer is None and vendor:
        manufacturer = device_key(vendor)[0]
    return manufacturer, frozenset(model)


def same_device(a: tuple[str | None, frozenset[str]],
                b: tuple[str | None, frozenset[str]]) -> bool:
    """Not shown to differ: manufacturers equal where both are named, models equal where both
    are named (a bare manufacturer such as 'GE Healthcare' names no model)."""
    if a[0] and b[0] and a[0] != b[0]:
        return False
    return not a[1] or not b[1] or a[1] == b[1]
