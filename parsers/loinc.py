"""LOINC-coded DXA results: the code names the site, the side where it has one, and the field
(``parsers/vocabulary/sr_codes.json`` "loinc", dxa-formats.md §1.5).

The DICOM SR reader places its LOINC-coded items with :func:`loinc_site`; the FHIR and HL7 v2
readers turn their coded values (an Observation's ``valueQuantity``, a numeric OBX) into
measurement rows with :func:`coded_measurements`, which fill what the report's words leave
null (:func:`with_coded`). A code of another test (a FRAX probability,
a vitamin D level) is no measurement: only the table's codes are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dexa.contract import Measurement
from parsers.kit.units import convert
from parsers.kit.vocabulary import load
from parsers.labels import Site, levels_of, site_from_labels

_CODES = load("sr_codes")
LOINC: dict[str, tuple[str, str | None, str]] = _CODES["loinc"]
DXA_REPORT_CODES: frozenset[str] = frozenset(_CODES["dxa_documents"]["LN"])
"""LOINC codes of a whole DXA report or panel (``38269-7``, ``83311-1``)."""


@lru_cache(maxsize=8192)
def _site(labels: tuple[str, ...]) -> Site | None:
    return site_from_labels(*labels)


def loinc_site(loinc: tuple[str, str | None, str], labels: tuple[str, ...]) -> Site | None:
    """The site of a LOINC-coded value: the code decides the region (and the side, when it has
    one); the labels around it add a side (a Laterality modifier, a ``Left Hip`` container, a
    body site ``Left Femur``) and spine levels (a ``Vertebral levels`` modifier), never another
    region, but the forearm region of a "Radius and Ulna" code, which names none."""
    site_label, side, _ = loinc
    site = _site((*labels, site_label, *([side] if side else [])))
    if site is not None and site.region == "forearm_total":
        # "Radius and Ulna" names the forearm, not one of its regions: a label that names one
        # ("DXA Radius 33% right BMD") says which
        named = _site((*labels, *([side] if side else [])))
        if named is not None and named.region.startswith(("radius_", "ulna_")):
            return Site(region=named.region, side=side or named.side, levels=None)
    if site is None or site.region not in ("lumbar_spine", "vertebra") or site.levels:
        return site
    levels = next((found for found in map(levels_of, reversed(labels)) if found), None)
    if levels is None:
        return site
    region = "lumbar_spine" if ("-" in levels or "," in levels) else "vertebra"
    return Site(region=region, side=None, levels=levels)


@dataclass(frozen=True)
class CodedValue:
    """One coded result as a message carries it: its LOINC code, its number, the spellings of
    its unit to try in order (a printed unit, then a UCUM code) and the words naming its body
    site (``Left Femur``), if any."""

    code: str
    value: float
    units: tuple[str | None, ...] = ()
    labels: tuple[str, ...] = ()


def _converted(field: str, item: CodedValue) -> float | None:
    units = [unit for unit in item.units if unit] or [None]
    return next((value for unit in units
                 if (value := convert(field, item.value, unit)) is not None), None)


def coded_measurements(items: Iterable[CodedValue]) -> list[Measurement]:
    """Measurement rows from coded values, one per site in the order the sites first come;
    a value of a field its site already holds, a code outside the table, a unit that does not
    fit the field (a T-score in g/cm2) and a site without a region in the report document are
    left out."""
    rows: dict[Site, dict[str, float]] = {}
    for item in items:
        loinc = LOINC.get(item.code.strip())
        if loinc is None:
            continue
        field = loinc[2]
        site = loinc_site(loinc, item.labels)
        value = _converted(field, item)
        if site is None or value is None:
            continue
        rows.setdefault(site, {}).setdefault(field, value)
    return [Measurement(region=site.region, side=site.side, levels=site.levels, **values)
            for site, values in rows.items()]


_VALUE_FIELDS = ("bmd_g_cm2", "t_score", "z_score")


def with_coded(measurements: list[Measurement], coded: list[Measurement]) -> list[Measurement]:
    """The words' measurements with the coded values filling what they leave null: a coded
    row fills the null fields of the words' row of its site (the same region, and the same
    side and levels where the code names them) and is added after them where the words give
    no row of its site; a coded value never replaces a written one, and a coded row whose
    row cannot be told (a row without a side beside a left and a right one, a left row beside
    one the words give no side) is left out."""
    rows = [m.model_copy() for m in measurements]
    for row in coded:
        same_region = [m for m in rows if m.region == row.region]
        fits = [m for m in same_region if (m.side == row.side or row.side is None)
                and (m.levels == row.levels or row.levels is None)]
        unsure = row.side is not None and any(m.side is None for m in same_region)
        if len(fits) == 1:
            for name in _VALUE_FIELDS:
                if getattr(fits[0], name) is None and getattr(row, name) is not None:
                    setattr(fits[0], name, getattr(row, name))
        elif not fits and not unsure:
            rows.append(row)
    return rows
