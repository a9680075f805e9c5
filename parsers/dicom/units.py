"""Measurement units: UCUM codes (and the spellings seen before UCUM) to the document's units."""

from __future__ import annotations

from parsers.kit.text import fold

_FACTORS: dict[str, dict[str, float]] = {
    "bmd_g_cm2": {"g/cm2": 1.0, "mg/cm2": 0.001, "kg/m2": 0.1, "g/m2": 0.0001,
                  "gpercm2": 1.0, "grampersquarecentimeter": 1.0,
                  "grampersquarecentimetre": 1.0, "gramspersquarecentimeter": 1.0},
    "bmc_g": {"g": 1.0, "mg": 0.001, "kg": 1000.0, "gram": 1.0, "grams": 1.0},
    "area_cm2": {"cm2": 1.0, "mm2": 0.01, "m2": 10000.0, "squarecentimeter": 1.0},
}
_PHYSICAL = {unit for table in _FACTORS.values() for unit in table}
_PERCENT_FIELDS = {"young_adult_pct", "age_matched_pct"}


def unit_key(unit: str | None) -> str:
    """``g/cm²``, ``g/cm^2``, ``[g]/cm2`` and ``g / cm2`` all become ``g/cm2``."""
    if not unit:
        return ""
    key = fold(unit).lower().replace("^2", "2").replace("[", "").replace("]", "")
    return "".join(key.split())


def convert(field: str, value: float, unit: str | None) -> float | None:
    """``value`` in the unit the document uses for ``field``, or None when the unit does not
    fit the field (a score given in g/cm2, a density in Hounsfield units).

    A value without a unit is taken as given: GE wrote units only from enCORE 11.1 on, and
    scores are unit-less."""
    key = unit_key(unit)
    if field in _FACTORS:
        if not key or key in ("1", "{ratio}"):
            return value
        factor = _FACTORS[field].get(key)
        return round(value * factor, 6) if factor is not None else None
    if field in _PERCENT_FIELDS:
        return value if key in ("", "%", "percent", "{percent}") else None
    # T- and Z-scores: unit-less, '1', '{T-score}', '{SD}', 'SD' ... anything but a physical unit
    return None if key in _PHYSICAL or key == "%" else value
