"""The APEX "report script" of a Hologic report image (dxa-formats.md §1.2).

A Hologic report is often a Secondary Capture image whose numbers are burned into the pixels,
but one text element holds the script APEX drew the page from: ``ResultsTable[ r][ c] = "…";``
cells (row 0 and column 0 are the headers, the index column is ``Region``) and ``Scan = "<d
Month yyyy> - <scan id>";``. The element's tag is unconfirmed, so it is found by content. The
script's table is read like any table: column headers name the fields, row labels the regions
within the body part the header names (``BodyPartExamined`` and ``Laterality``). Patient lines
of the script (name, birth date) are never read: the header has the patient.
"""

from __future__ import annotations

import re

from pydicom.dataset import Dataset

from dexa.contract import Measurement
from parsers.dicom.values import Malformed, element, text
from parsers.kit.units import convert
from parsers.labels import Site, field_of, site_from_labels

SCRIPT_MARK = "ResultsTable["
TEXT_VRS = frozenset({"LT", "UT", "ST", "OB", "UN"})
BODY_PART = 0x00180015
LATERALITY = 0x00200060
IMAGE_LATERALITY = 0x00200062
_CELL = re.compile(r'ResultsTable\[\s*(\d+)\s*\]\[\s*(\d+)\s*\]\s*=\s*"([^"]*)"\s*;')
_TAG = re.compile(r"<[^>]*>")
_SIDES = {"L": "left", "R": "right", "B": "mean"}
_LATERAL_SPINE = "LSPINE"  # lateral (IVA) spine: no region of the report document


def find_script(ds: Dataset) -> str | None:
    """The report script among the data set's top-level text elements, else None."""
    for tag in ds.keys():  # noqa: SIM118 (iterating a Dataset would convert every element)
        try:
            elem = element(ds, tag)
        except Malformed:
            continue  # a damaged element elsewhere is not this reader's to judge
        if elem is None or elem.VR not in TEXT_VRS or not isinstance(elem.value, bytes | str):
            continue
        raw = elem.value if isinstance(elem.value, bytes) else elem.value.encode("utf-8")
        if SCRIPT_MARK.encode() in raw:
            return raw.decode("utf-8", errors="replace")
    return None


def _cells(script: str) -> dict[tuple[int, int], str]:
    return {(int(r), int(c)): _TAG.sub("", value).strip() for r, c, value in _CELL.findall(script)}


def read_script(script: str, ds: Dataset) -> tuple[list[Measurement], list[str]]:
    """The measurements of the script's results table, and warning codes."""
    body_part = (text(ds, BODY_PART) or "").upper()
    if body_part == _LATERAL_SPINE:
        return [], ["LATERAL_SPINE_NOT_READ"]
    side = _SIDES.get((text(ds, LATERALITY) or text(ds, IMAGE_LATERALITY) or "").upper())
    cells = _cells(script)
    columns = {c: field_of(label) for (r, c), label in cells.items() if r == 0 and c > 0}
    rows = sorted({r for r, _ in cells if r > 0})
    measurements: list[Measurement] = []
    warnings: list[str] = []
    for r in rows:
        label = cells.get((r, 0))
        site = site_from_labels(body_part, side, label)
        if site is None and body_part == "SPINE" and (label or "").strip().lower() == "total":
            site = Site(region="lumbar_spine", side=None, levels=None)  # the analysed levels
        values = {}
        for c, field_name in columns.items():
            raw = cells.get((r, c))
            if field_name is None or not raw:
                continue
            try:
                value = float(raw.replace("\u2212", "-"))
            except ValueError:
                continue
            converted = convert(field_name, value, None)
            if converted is not None:
                values[field_name] = converted
        if not values:
            continue
        if site is None:
            warnings.append("VALUE_WITHOUT_SITE:script")
            continue
        measurements.append(Measurement(region=site.region, side=site.side, levels=site.levels,
                                        **values))
    return measurements, sorted(set(warnings))
