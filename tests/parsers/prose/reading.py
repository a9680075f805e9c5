"""Reading a dictated report in the prose tests: the document as a dict, checked against the
report schema, and its measurement rows as tuples."""

from __future__ import annotations

from parsers import parse_bytes
from tests.conftest import assert_valid_report


def read_text(text: str, path: str = "in/report.txt") -> dict:
    """``text`` parsed as the file ``path``, schema-valid."""
    doc = parse_bytes(text.encode("utf-8"), path).to_dict()
    assert_valid_report(doc)
    return doc


def rows_of(doc: dict) -> list[tuple]:
    """(region, side, levels, BMD, T, Z) of each measurement, in order."""
    return [(m["region"], m["side"], m["levels"], m["bmd_g_cm2"], m["t_score"], m["z_score"])
            for m in doc["measurements"]]
