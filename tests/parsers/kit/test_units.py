"""parsers.kit.units: printed and coded units to the document's units."""

from __future__ import annotations

import pytest

from parsers.kit.units import INCH_CM, POUND_KG, convert, to_document_unit, unit_key


@pytest.mark.parametrize(("unit", "key"), [
    ("g/cm\u00b2", "g/cm2"), ("g/cm^2", "g/cm2"), ("[g]/cm2", "g/cm2"), ("g / cm2", "g/cm2"),
    ("gm/cm2", "g/cm2"), ("mg/cm2", "mg/cm2"), ("kg/m2", "kg/m2"), ("%", "%"),
    ("{T-score}", "{t-score}"), ("", ""), (None, ""),
])
def test_unit_key(unit: str | None, key: str) -> None:
    assert unit_key(unit) == key


@pytest.mark.parametrize(("field", "value", "unit", "expected"), [
    ("bmd_g_cm2", 870.0, "mg/cm2", 0.87),
    ("bmd_g_cm2", 8.7, "kg/m2", 0.87),
    ("bmd_g_cm2", 0.87, None, 0.87),  # GE before enCORE 11.1 wrote no unit
    ("bmd_g_cm2", 0.87, "HU", None),  # a density in Hounsfield units is not a BMD
    ("bmc_g", 1.2, "kg", 1200.0),
    ("area_cm2", 100.0, "mm2", 1.0),
    ("t_score", -2.1, "{T-score}", -2.1),
    ("t_score", -2.1, "SD", -2.1),
    ("t_score", 0.87, "g/cm2", None),  # a score given in g/cm2 is not a score
    ("z_score", 2.5, "%", None),
    ("young_adult_pct", 87.0, "%", 87.0),
    ("young_adult_pct", 87.0, "g", None),
])
def test_convert(field: str, value: float, unit: str | None, expected: float | None) -> None:
    assert convert(field, value, unit) == expected


def test_heights_and_weights() -> None:
    assert to_document_unit("height_cm", 65.0, "in") == 65.0 * INCH_CM
    assert to_document_unit("height_cm", 1.65, "m") == 165.0
    assert to_document_unit("weight_kg", 150.0, "lbs") == 150.0 * POUND_KG
    assert to_document_unit("weight_kg", 150.0, "years") is None
