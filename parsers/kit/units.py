"""Units: every unit key a report or an SR writes, and the factor to the unit the report
document uses for each quantity.

Printed spellings become keys through :func:`parsers.kit.numbers.unit_key` (``g/cm²``,
``gm/cm2`` -> ``g/cm2``); UCUM codes and the spellings DICOM exports used before UCUM are kept
in a compact form (``[g]/cm2`` -> ``g/cm2``, ``kg/m2``, ``{T-score}``).
"""

from __future__ import annotations

from functools import lru_cache

from parsers.kit.numbers import unit_key as printed_unit_key
from parsers.kit.text import fold

INCH_CM = 2.54
POUND_KG = 0.45359237

_FACTORS: dict[str, dict[str, float]] = {
    "bmd_g_cm2": {"g/cm2": 1.0, "mg/cm2": 0.001, "kg/m2": 0.1, "g/m2": 0.0001,
                  "gpercm2": 1.0, "grampersquarecentimeter": 1.0,
                  "grampersquarecentimetre": 1.0, "gramspersquarecentimeter": 1.0},
    "bmc_g": {"g": 1.0, "mg": 0.001, "kg": 1000.0, "gram": 1.0, "grams": 1.0},
    "area_cm2": {"cm2": 1.0, "mm2": 0.01, "m2": 10000.0, "squarecentimeter": 1.0},
    "height_cm": {"cm": 1.0, "mm": 0.1, "m": 100.0, "in": INCH_CM},
    "weight_kg": {"kg": 1.0, "g": 0.001, "lb": POUND_KG},
}
_MEASURES = ("bmd_g_cm2", "bmc_g", "area_cm2")
_PHYSICAL = {unit for field in _MEASURES for unit in _FACTORS[field]}
_PERCENT_FIELDS = {"young_adult_pct", "age_matched_pct"}


@lru_cache(maxsize=1024)
def unit_key(unit: str | None) -> str:
    """The key of a printed or coded unit: ``g/cm²``, ``g/cm^2``, ``[g]/cm2`` and ``g / cm2``
    all become ``g/cm2``; an unknown unit is its compact lower-case form."""
    if not unit:
        return ""
    printed = printed_unit_key(unit)
    if printed:
        return printed
    key = fold(unit).lower().replace("^2", "2").replace("[", "").replace("]", "")
    return "".join(key.split())


def to_document_unit(quantity: str, value: float, unit: str | None) -> float | None:
    """``value`` (in ``unit``) in the document's unit for ``quantity`` (``height_cm``,
    ``weight_kg``, ``bmd_g_cm2`` ...), or None when the unit is not one of that quantity."""
    factor = _FACTORS[quantity].get(unit_key(unit))
    return value * factor if factor is not None else None


def convert(field: str, value: float, unit: str | None) -> float | None:
    """A measurement ``value`` in the unit the document uses for ``field``, or None when the
    unit does not fit the field (a score given in g/cm2, a density in Hounsfield units).

    A value without a unit is taken as given: GE wrote units only from enCORE 11.1 on, and
    scores are unit-less."""
    key = unit_key(unit)
    if field in _MEASURES:
        if not key or key in ("1", "{ratio}"):
            return value
        factor = _FACTORS[field].get(key)
        return round(value * factor, 6) if factor is not None else None
    if field in _PERCENT_FIELDS:
        return value if key in ("", "%", "percent", "{percent}") else None
    # T- and Z-scores: unit-less, '1', '{T-score}', '{SD}', 'SD' ... anything but a physical unit
    return None if key in _PHYSICAL or key == "%" else value
