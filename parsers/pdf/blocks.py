"""Key-value score blocks (Norland: ``BMD 0.836 g/cm2``, ``T-Score -1.28``, ``Age Match (%)
90.9``) beside a chart whose label names the site (``L2 - L4  Norland 4/00  C``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.kit.numbers import unit_pattern
from parsers.labels import Site, field_of
from parsers.pdf.geometry import Line
from parsers.pdf.values import number

# a BMD may print its unit spaced after the number ("BMD 0.836 g/cm2") or in brackets after
# its label ("BMD (g/cm2) 0.810"); a score never has one
_PAIR_RE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .()%/-]{0,30}?)"
                      rf"(?:\s?\((?P<label_unit>{unit_pattern('g/cm2')})\))?\s+(?P<value>\S+)"
                      rf"(?:\s(?P<unit>{unit_pattern('g/cm2')}))?$", re.IGNORECASE)
_BLOCK_FIELDS = frozenset({"bmd_g_cm2", "t_score", "z_score", "young_adult_pct",
                           "age_matched_pct"})
_MAX_LOOKUP = 12


@dataclass
class Block:
    first_line: int
    values: dict[str, float] = field(default_factory=dict)


def _pair(text: str) -> tuple[str, float] | None:
    match = _PAIR_RE.match(text)
    if not match:
        return None
    value = number(match.group("value"))
    name = field_of(match.group("label"))
    if (match.group("unit") or match.group("label_unit")) and name != "bmd_g_cm2":
        return None
    return (name, value) if name in _BLOCK_FIELDS and value is not None else None


def find_blocks(lines: list[Line]) -> list[Block]:
    """Runs of consecutive lines that each start with a ``label value`` pair."""
    blocks: list[Block] = []
    current: Block | None = None
    for index, line in enumerate(lines):
        segments = line.segments(gap=1.5)
        first = " ".join(w.text for w in segments[0])
        pair = _pair(first)
        if pair is None and len(segments) > 1:  # the value at a tab stop
            pair = _pair(f"{first} {segments[1][0].text}")
        if pair is None and current and field_of(first) in _BLOCK_FIELDS:
            continue  # a label printed without its value
        if pair is None or (current and line.page != lines[index - 1].page):
            if current and len(current.values) >= 2:
                blocks.append(current)
            current = None
        if pair is None:
            continue
        current = current or Block(first_line=index)
        current.values.setdefault(*pair)
    if current and len(current.values) >= 2:
        blocks.append(current)
    return blocks


def block_site(lines: list[Line], block: Block, site_of_line) -> Site | None:  # type: ignore[no-untyped-def]
    """The site of the nearest line above the block (same page) that names one."""
    page = lines[block.first_line].page
    for index in range(block.first_line - 1, max(-1, block.first_line - _MAX_LOOKUP), -1):
        if lines[index].page != page:
            return None
        site = site_of_line(lines[index].text)
        if site:
            return site
    return None
