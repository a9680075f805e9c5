"""FRAX in printouts: every wording the free-text reader knows, boxes beside tables, and the
look-alikes (a fracture-history line, a risk without a percentage) that are no FRAX."""

from __future__ import annotations

from parsers.pdf import PageWords, read_pages

_TABLE = [("Region", 40, 100, 70, 106), ("BMD", 150, 100, 166, 106),
          ("T-score", 200, 100, 230, 106), ("Z-score", 260, 100, 290, 106),
          ("Neck", 40, 112, 60, 118), ("0.712", 150, 112, 172, 118), ("-2.1", 200, 112, 218, 118),
          ("-1.0", 260, 112, 278, 118), ("Left Femur Bone Density", 40, 80, 140, 86)]


def _read(*lines: tuple[float, float, str]):
    boxes = list(_TABLE) + [(text, x, top, x + 4.5 * len(text), top + 6) for x, top, text in lines]
    return read_pages([PageWords.from_boxes(612, 792, boxes)], path="p.png", sha256="0" * 64)


def test_risk_with_its_period_in_brackets() -> None:
    doc = _read((40, 300, "Major osteoporotic fracture risk (10 yr) (without BMD): 13.7 %"),
                (40, 312, "Hip fracture risk (10 yr): 1.3 %"))
    assert doc.frax is not None
    assert (doc.frax.major_osteoporotic_pct, doc.frax.hip_pct, doc.frax.with_bmd) == (
        13.7, 1.3, False)


def test_a_frax_box_beside_a_table_keeps_its_values() -> None:
    doc = _read((320, 100, "FRAX 10-year Fracture Risk"), (320, 112, "Major Osteoporotic Fracture"),
                (450, 112, "22.0%"), (320, 124, "Hip Fracture"), (450, 124, "4.5%"),
                (320, 136, "Probability computed with BMD."))
    assert doc.frax is not None
    assert (doc.frax.major_osteoporotic_pct, doc.frax.hip_pct, doc.frax.with_bmd) == (
        22.0, 4.5, True)


def test_fracture_history_lines_are_no_frax() -> None:
    doc = _read((40, 300, "Hip fracture: No"), (40, 312, "Vertebral fracture: yes (T12)"),
                (40, 324, "Fracture risk is increased."))
    assert doc.frax is None
