"""Tables found by their column headers, read by column geometry.

A table starts at a *header band*: a line holding an anchor header (``Region``, ``Date``,
``Site``, ``Measured``) with up to three header lines above it and two below (two-level and
wrapped headers: ``T -`` over ``score``, ``Young-Adult`` over ``(%)`` and ``T-Score``). The
header cells become columns; each column's role comes from its label through the shared label
table (``parsers.labels.field_of``). A value belongs to the column whose header it sits under,
never to a position in the row, so an empty T-score column leaves the Z-scores in place.

A line naming a body part right over the header (``Left Forearm Bone Density``) is the
table's title, not a header level. Where a row's values drifted off their headers (columns
aligned with spaces in a proportional font: two numbers under one header while another header
stands empty), every row of that table is read by the order of its numbers, placed by meaning
(``parsers.kit.measures``: a BMD is positive, BMD x area = BMC) and then by the header's
geometry at the row's own scale; a value the placements do not settle is left empty.

Rows follow the header until a line that cannot be a row (text under a numeric column, a wide
vertical gap). A label-only row without digits (``Neck``, ``Radius + Ulna``) is a group label
for the rows under it. A table that runs off the bottom of a page continues on the next page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from math import comb

from parsers.kit.measures import bmc_agrees, plausible
from parsers.kit.numbers import Number
from parsers.kit.text import key
from parsers.labels import family_of, field_of
from parsers.pdf.headers import header_cells, stacked
from parsers.pdf.layout import Line, Word
from parsers.pdf.values import is_empty_mark, is_unit, number, read_value

ANCHORS = frozenset({"region", "date", "site", "measured"})
_ANCHOR_RE = re.compile(r"(?<!\S)(?:region|date|site|measured)(?!\S)", re.IGNORECASE)
TEXT_ROLES = frozenset({"label", "date"})
SCORE_FIELDS = frozenset({"bmd_g_cm2", "t_score", "z_score"})
_MAX_HEADER_ABOVE = 3
_MAX_HEADER_BELOW = 2
_MAX_SKIPPED_ON_NEW_PAGE = 15
_MAX_SITE_HEADER_WORDS = 4
# the unit a cell of a measure's column may print; another (Norland's sBMD row: "1013mg/cm2",
# "36144mg") is of another quantity, not the column's in another unit
_CELL_UNITS = {"bmd_g_cm2": (None, "g/cm2"), "bmc_g": (None, "g"), "area_cm2": (None, "cm2")}
_TWO_LINE_LABEL = 1.4  # line heights between the middles of a row and a half of its label


@dataclass
class Column:
    x0: float
    x1: float
    parts: list[tuple[float, str]] = field(default_factory=list)
    role: str = ""

    @property
    def label(self) -> str:
        return " ".join(text for _, text in sorted(self.parts, key=lambda p: p[0]))

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Row:
    labels: list[str]
    values: dict[str, float | None]
    date: str | None
    page: int
    decimals: dict[str, int] = field(default_factory=dict)  # as printed, by role
    crowded: bool = False  # a cell held two numbers: two columns of values under one header
    drifted: bool = False  # two numbers under one value header, no more than its columns
    label: str = ""  # the row's own label as printed (without its group's)
    top: float = 0.0  # the row's line on its page, in points
    bottom: float = 0.0
    # the region of a row that fills both a Region and a Side column ("Neck | Left"), which
    # the rows under it with the Side alone ("| Right", "| Mean") share
    lead: str | None = None


@dataclass
class Table:
    page: int
    first_line: int
    columns: list[Column]
    anchor_line: int = 0  # the header line holding the anchor word
    group: str | None = None  # a site header over the label column: the rows' group label
    rows: list[Row] = field(default_factory=list)
    end_line: int = 0

    def has(self, role: str) -> bool:
        return any(c.role == role for c in self.columns)

    @property
    def is_trend(self) -> bool:
        """A dated list of one site's BMD (no T/Z columns): the site's history."""
        return self.has("date") and not (self.has("t_score") or self.has("z_score"))

    def empty_score_columns(self) -> list[str]:
        return [c.role for c in self.columns if c.role in ("t_score", "z_score")
                and self.rows and all(r.values.get(c.role) is None for r in self.rows)]


_VALUE_ROLES = frozenset({"bmd_g_cm2", "t_score", "z_score", "young_adult_pct", "age_matched_pct"})
VALUE_FIELDS = _VALUE_ROLES | {"bmc_g", "area_cm2"}  # the measured values a row prints


@lru_cache(maxsize=2048)
def role_of(label: str) -> str:
    text = key(label)  # a delta (Δ, ∆, δ) is spelled "delta" in a key
    if " change " in text or " delta " in text or " diff " in text:
        return ""
    found = field_of(label)
    if found:
        return found
    if any(f" {word} " in text for word in ("region", "scan type", "site", "side", "laterality")):
        return "label"
    if " date " in text or " measured " in text:
        return "date"
    if " value " in text:
        return "value"
    if " age " in text and " age matched " not in text:  # "Age-Matched" qualifies a Z-score
        return "age"
    if " length " in text or " width " in text:
        return "size"  # a region's size (Norland): a column of its own, read by no one
    return ""


_PERCENT_UNIT_RE = re.compile(r"\(\s*%\s*\)")


@lru_cache(maxsize=4096)
def header_kind(label: str) -> str:
    """What a header text names: its column role, ``change`` for a change column (never a
    value of the scan), else "". A score with a percent unit (``T-Score (%)``) names nothing:
    a score has no unit, so the ``(%)`` is the next column's (GE's two-level ``Young-Adult``
    over ``(%)`` and ``T-Score``, printed close together)."""
    text = key(label)
    if " change " in text or " delta " in text or " diff " in text:
        return "change"
    if " score " in text and _PERCENT_UNIT_RE.search(label):
        return ""
    return role_of(label)


@lru_cache(maxsize=256)  # by identity: a line is asked again for each table it may start
def _cells(line: Line) -> list[tuple[float, float, float, str]]:
    """Header cells of one line by meaning (``parsers.pdf.headers``); footnote digits dropped."""
    return [cell for cell in header_cells(line, header_kind)
            if not all(word.isdigit() and len(word) <= 2 for word in cell[3].split())]


def _zones(columns: list[Column]) -> list[tuple[float, float]]:
    """The x-range each leaf column owns: up to half-way to its neighbours."""
    edges = [(a.x1 + b.x0) / 2 for a, b in zip(columns, columns[1:], strict=False)]
    if not edges:
        return [(c.x0 - c.width, c.x1 + c.width) for c in columns]
    left = columns[0].x0 - (edges[0] - columns[0].x1)
    right = columns[-1].x1 + (columns[-1].x0 - edges[-1])
    bounds = [left, *edges, right]
    return list(zip(bounds, bounds[1:], strict=False))


def _stacked_band(band: list[Line]) -> list[Line]:
    """The band with each score or percent header printed over two lines joined into one
    header word (``parsers.pdf.headers.stacked``). The two halves need not be on neighbouring
    lines: OCR may put a header started left of them (``Region``) on a line of its own."""
    lines: list[Line | None] = list(band)
    for upper_index in range(len(lines) - 1):
        for index in range(upper_index + 1, len(lines)):  # a line between may hold others
            upper, lower = lines[upper_index], lines[index]
            if upper is not None and lower is not None and upper.page == lower.page:
                lines[upper_index], lines[index] = stacked(upper, lower, header_kind,
                                                           _VALUE_ROLES)
    return [line for line in lines if line is not None]


def build_columns(band: list[Line], left: float | None = None) -> list[Column]:
    """Columns of a header band. The line with most cells gives the leaf columns; a cell of
    another line joins every leaf column whose zone holds a quarter of it (a two-level
    ``Young-Adult`` joins ``(%)`` and ``T-Score``), else starts a column of its own. Cells left
    of ``left`` (the anchor header) are text beside the table unless they are row-label
    headers themselves (``Scan Type``)."""
    per_line = [[cell for cell in _cells(line)
                 if left is None or cell[1] > left or role_of(cell[3]) == "label"]
                for line in _stacked_band(band)]
    per_line = [cells for cells in per_line if cells]
    if not per_line:
        return []
    leaf_index = max(range(len(per_line)), key=lambda i: (len(per_line[i]), i))
    leaves = [Column(x0, x1, [(top, text)]) for x0, x1, top, text in per_line[leaf_index]]
    zones = _zones(leaves)
    columns = list(leaves)
    for index, cells in enumerate(per_line):
        if index == leaf_index:
            continue
        for x0, x1, top, text in cells:
            need = 0.25 * max(x1 - x0, 1.0)
            hits = [c for c, (z0, z1) in zip(leaves, zones, strict=True)
                    if min(x1, z1) - max(x0, z0) > need]
            if not hits:
                columns.append(Column(x0, x1, [(top, text)]))
            for column in hits:
                column.parts.append((top, text))
                if len(hits) == 1:
                    column.x0, column.x1 = min(column.x0, x0), max(column.x1, x1)
    columns.sort(key=lambda c: (c.x1, c.x0))  # headers printed over each other: by the end
    # their right-aligned values share
    taken: set[str] = set()
    for column in columns:
        column.role = role_of(column.label)
        if column.role in _VALUE_ROLES and column.role in taken:
            column.role = ""  # "?BMD (g/cm2)" after "BMD": a change column whose delta was lost
        taken.add(column.role)
    if any(c.role == "date" for c in columns) and not any(c.role == "bmd_g_cm2" for c in columns):
        for column in columns:
            if column.role == "value":
                column.role = "bmd_g_cm2"
    return columns


def _is_anchor(line: Line) -> bool:
    text = line.text
    if text.isascii():  # most lines name no anchor at all: a substring test says so first
        lower = text.lower()
        if not any(anchor in lower for anchor in ANCHORS):
            return bool(site_header(line))
    return _ANCHOR_RE.search(text) is not None or bool(site_header(line))


_COLUMN_ROLES = frozenset({"bmd_g_cm2", "bmc_g", "area_cm2", "t_score", "z_score"})


def site_header(line: Line) -> list[Word]:
    """The words of a first-column header that names the body part the rows are parts of
    (Hologic's forearm table headed ``Radius + Ulna`` over ``1/3``, ``MID``, ``UD``,
    ``Total`` of both bones), when every word after it on the line names a value column
    (``Area BMC BMD T- Z-``: a header line, not a title or a sentence); else none."""
    words = line.words
    if len(words) < 3 or role_of(words[-1].text if len(words[-1].text) > 1 or
                                 words[-1].text.isalnum() else words[-2].text) \
            not in _COLUMN_ROLES:
        return []  # most lines end in a value or a word that names no column: said cheaply
    head = 0
    while head <= _MAX_SITE_HEADER_WORDS and head < len(words) and not role_of(words[head].text):
        head += 1
    rest = words[head:]
    if not head or head > _MAX_SITE_HEADER_WORDS or len(rest) < 2 \
            or not family_of(" ".join(w.text for w in words[:head])) \
            or not all(role_of(w.text) in _COLUMN_ROLES for w in rest
                       if any(ch.isalnum() for ch in w.text)):  # "T -" is one header
        return []
    return list(words[:head])


def _anchor_words(line: Line) -> list[Word]:
    return [w for w in line.words if w.text.lower() in ANCHORS] or site_header(line)


def _is_unit_line(line: Line) -> bool:
    """A header line of units (``(cm2) (g) (g/cm2)``): two units in brackets, no number."""
    units = sum(w.text.startswith("(") and w.text.endswith(")") for w in line.words)
    return units >= 2 and not any(number(w.text) is not None for w in line.words)


def _holds_values(line: Line, left: float) -> bool:
    """A line of values (a chart's axis, a row), not of header words, right of ``left``: a
    decimal, or two numbers."""
    numbers = [w.text for w in line.words if w.x1 > left and number(w.text) is not None]
    return len(numbers) >= 2 or any("." in text for text in numbers)


def _is_title(line: Line) -> bool:
    """A line naming a body part (``Right Forearm Bone Density``, ``Radius + Ulna``) is the
    table's title, never a level of its column headers: a column header names a value (BMD,
    T-score, YA %), not a site. Read as a header, GE's title right over ``Region`` made the
    label column a BMD column (``Bone Density``) and the table was lost."""
    return family_of(line.text) is not None


# a table's heading that names its measurements, printed right over the column headers (the FHIR
# narrative's "Bone Mineral Density"): no level of the headers, or "Density" names a column
_TABLE_HEADINGS = frozenset({"bone mineral density", "bone density", "bone densitometry",
                             "bone mineral densitometry", "results", "bmd results",
                             "densitometry results", "dxa results", "measurements"})


def _is_table_heading(line: Line) -> bool:
    return key(line.text).strip() in _TABLE_HEADINGS


def _header_band(lines: list[Line], index: int) -> tuple[int, int]:
    """First and last line index of the header band around the anchor line ``index``."""
    anchor = lines[index]
    pitch = 2.2 * max(anchor.height, 4.0)
    anchor_x1 = min(w.x1 for w in _anchor_words(anchor))
    anchor_x0 = min(w.x0 for w in _anchor_words(anchor))
    first = index
    while (index - first < _MAX_HEADER_ABOVE and first > 0
           and lines[first - 1].page == anchor.page
           and lines[first].top - lines[first - 1].top <= pitch
           and not any(w.text.endswith(":") and w.x1 > anchor_x0  # a label left of the
                       for w in lines[first - 1].words)  # table ("COMMENTS:") is beside it
           and not _holds_values(lines[first - 1], anchor_x0)
           and not _is_title(lines[first - 1]) and not _is_table_heading(lines[first - 1])):
        first -= 1
    last = index
    while (last - index < _MAX_HEADER_BELOW and last + 1 < len(lines)
           and lines[last + 1].page == anchor.page
           and lines[last + 1].top - lines[last].top <= pitch
           and (lines[last + 1].words[0].x0 > anchor_x1 or _is_unit_line(lines[last + 1]))
           and not any(number(w.text) is not None for w in lines[last + 1].words)):
        last += 1
    return first, last


class _Grid:
    """Assigns words to columns by x: text columns end where the next header starts,
    numeric columns meet half-way between their headers."""

    def __init__(self, columns: list[Column]) -> None:
        self.columns = columns
        self.bounds = []
        for left, right in zip(columns, columns[1:], strict=False):
            if left.role in TEXT_ROLES:
                self.bounds.append(right.x0 - 1.5)
            elif right.x0 < left.x1:  # headers printed over each other: values sit under
                self.bounds.append(left.x1 + 0.5)  # their header's right end
            else:
                self.bounds.append((left.x1 + right.x0) / 2)
        first, last = columns[0], columns[-1]
        # row labels may start left of a short indented "Region" header (GE enCORE 16 prints
        # "Total Left" from half the header's width to its left)
        self.left = first.x0 - (max(3.0, 0.6 * first.width) if first.role in TEXT_ROLES
                                else max(12.0, first.width))
        self.right = last.x1 + max(12.0, last.width)
        self.row_label_x = first.x0  # where row labels (and group labels) start
        self.last_named = max(i for i, c in enumerate(columns) if c.role)
        # the columns of numbers a row prints, left to right: read by order where values
        # drifted off their headers (``by_order``, see ``_values_by_order``)
        self.value_columns = [i for i, c in enumerate(columns)
                              if c.role not in TEXT_ROLES and i <= self.last_named]
        self.by_order = False

    def inside(self, line: Line) -> list[Word]:
        return [w for w in line.words if self.left <= w.x0 and w.xc <= self.right]

    def cells(self, words: list[Word]) -> dict[int, list[str]]:
        cells: dict[int, list[str]] = {}
        for word in words:
            cells.setdefault(bisect_right(self.bounds, word.xc), []).append(word.text)
        return cells


_MAX_ORDERINGS = 512  # placements of a row's numbers weighed, at most
_SCALE_RANGE = (0.5, 2.0)  # a row printed at this many times its header's width, at most
_NEAR_FIT = 2.0  # points: placements that fit the header this much worse are as likely


@dataclass
class _Placement:
    """One way of putting a row's numbers, in their order, under its value columns."""

    values: dict[str, float | None]
    decimals: dict[str, int]
    arithmetic: int  # BMD x area against BMC: 0 agrees, 1 not all three placed, 2 differs
    misfit: float  # points: how far the numbers sit from where the header puts them


def _misfit(anchors: list[float], xs: list[float]) -> float | None:
    """The RMS distance of ``xs`` from a line ``a + b * anchor`` fitted to them (a row printed
    at its own scale and offset from its header: text set with spaces in a proportional
    font); None when the scale is no row's (numbers bunched or spread beyond the header)."""
    if len(xs) < 2:
        return 0.0
    mean_a, mean_x = sum(anchors) / len(anchors), sum(xs) / len(xs)
    spread = sum((a - mean_a) ** 2 for a in anchors)
    if spread <= 0:
        return None
    scale = sum((a - mean_a) * (x - mean_x) for a, x in zip(anchors, xs, strict=True)) / spread
    if not _SCALE_RANGE[0] <= scale <= _SCALE_RANGE[1]:
        return None
    residual = sum((x - mean_x - scale * (a - mean_a)) ** 2
                   for a, x in zip(anchors, xs, strict=True))
    return (residual / len(xs)) ** 0.5


def _placement(grid: _Grid, columns: tuple[int, ...], tokens: list[tuple[Word, Number | None]]
               ) -> _Placement | None:
    """The row's numbers placed under ``columns`` (one each, in order); None when a number
    cannot be its column's value (a BMD of -3.1) or the places fit no scale of the header."""
    values: dict[str, float | None] = {}
    decimals: dict[str, int] = {}
    for index, (_, found) in zip(columns, tokens, strict=True):
        role = grid.columns[index].role
        if not role:
            continue  # a column that names nothing read (a change): a place, not a value
        if found is not None and (not plausible(role, found.value)
                                  or found.unit not in _CELL_UNITS.get(role, (found.unit,))):
            return None
        values[role] = None if found is None else found.value
        if found is not None:
            decimals[role] = found.decimals
    chosen = [grid.columns[i] for i in columns]
    fits = [_misfit([c.x1 for c in chosen], [w.x1 for w, _ in tokens]),
            _misfit([(c.x0 + c.x1) / 2 for c in chosen], [w.xc for w, _ in tokens])]
    known = [fit for fit in fits if fit is not None]
    if not known:
        return None
    agrees = bmc_agrees(values.get("bmd_g_cm2"), values.get("area_cm2"), values.get("bmc_g"))
    return _Placement(values, decimals, 1 if agrees is None else 0 if agrees else 2, min(known))


def _value_tokens(grid: _Grid, words: list[Word]) -> list[tuple[Word, Number | None]]:
    """The numbers and empty marks a row prints under its value columns, left to right."""
    inside = set(grid.value_columns)
    tokens = [(w, read_value(w.text)) for w in words
              if bisect_right(grid.bounds, w.xc) in inside and not is_unit(w.text)]
    return [(w, n) for w, n in tokens if n is not None or is_empty_mark(w.text)]


def _values_by_order(grid: _Grid, words: list[Word]
                     ) -> tuple[dict[str, float | None], dict[str, int]] | None:
    """A row's values where they drifted off their headers (a cell held two numbers): its
    numbers keep their order, so each goes to one value column, left to right, and the blank
    cells are wherever the placement fits best: by meaning first (a value its column cannot
    hold rules a placement out; BMD x area = BMC says which of the rest is right), then by
    the header's geometry at the row's own scale. A value that the placements fitting about
    as well disagree on is not known: it is left empty, never guessed. None when the row's
    numbers cannot be one to a column (more numbers than columns): its cells stand as read."""
    tokens = _value_tokens(grid, words)
    count, slots = len(tokens), len(grid.value_columns)
    if not tokens or count > slots or comb(slots, count) > _MAX_ORDERINGS:
        return None
    placements = [p for columns in combinations(grid.value_columns, count)
                  if (p := _placement(grid, columns, tokens)) is not None]
    if not placements:
        return {}, {}
    best = min(placements, key=lambda p: (p.arithmetic, p.misfit))
    near = [p for p in placements
            if p.arithmetic == best.arithmetic and p.misfit <= best.misfit + _NEAR_FIT]
    values = {role: value for role, value in best.values.items()
              if all(p.values.get(role) == value for p in near)}
    return values, {role: n for role, n in best.decimals.items() if role in values}


def _row(grid: _Grid, line: Line, group: str | None, lead: str | None = None
         ) -> Row | str | None:
    """A row, a group label (str), or None when the line cannot be part of the table.
    ``lead``: the region of the row above that filled a Region and a Side column."""
    words = grid.inside(line)
    if not words:
        return None
    cells = grid.cells(words)
    label_columns = [i for i, column in enumerate(grid.columns) if column.role == "label"]
    filled = [i for i in label_columns if cells.get(i)]
    labels: list[str] = []
    values: dict[str, float | None] = {}
    decimals: dict[str, int] = {}
    date: str | None = None
    seen_value = crowded = two_in_one = False
    for index, tokens in sorted(cells.items()):
        role = grid.columns[index].role
        text = " ".join(tokens)
        if role == "label":
            labels.append(text)
        elif role == "date":
            date = text
        elif not role and index > grid.last_named:
            # under a header right of the table that names nothing: a box beside it
            crowded = crowded or sum(number(t) is not None for t in tokens) > 1
            continue
        else:
            found = [read_value(t) for t in tokens]  # each token read once
            if not all(n is not None or is_empty_mark(t) or is_unit(t)
                       for t, n in zip(tokens, found, strict=True)):
                return None  # a word that is no value: not a row of the table
            crowded = crowded or sum(n is not None for n in found) > 1
            two_in_one = two_in_one or (role in VALUE_FIELDS
                                        and sum(n is not None for n in found) > 1)
            if role:
                first = next((n for n in found if n is not None), None)
                if first is not None and first.unit not in _CELL_UNITS.get(role, (first.unit,)):
                    first = None  # Norland's "Total sBMD" 1013mg/cm2: a standardised BMD
                values[role] = None if first is None else first.value
                if first is not None:
                    decimals[role] = first.decimals
                seen_value = seen_value or first is not None \
                    or any(is_empty_mark(t) for t in tokens)
    # two numbers under one header, and no more numbers than value columns: a header stands
    # without its number, the row's values drifted off their headers
    drifted = two_in_one and len(_value_tokens(grid, words)) <= len(grid.value_columns)
    if grid.by_order and seen_value:  # a table whose values drifted: every row by order
        by_order = _values_by_order(grid, words)
        if by_order is not None:
            values, decimals = by_order
    label = " ".join(labels)
    if not seen_value:
        aligned = min(abs(words[0].x0 - grid.row_label_x),
                      abs(words[0].x0 - grid.columns[0].x0)) < 4.0  # under the rows or header
        if labels and date is None and aligned and len(label.split()) <= 4 \
                and not any(ch.isdigit() for ch in label):
            return label
        return None
    both = len(label_columns) == 2 and filled == label_columns
    if group:
        labels = [group, f"{group} {label}"]
    elif lead and len(label_columns) == 2 and filled == label_columns[1:]:
        labels = [lead, f"{lead} {label}"]  # "| Right" under "Neck | Left"
    return Row(labels=labels, values=values, date=date, page=line.page, decimals=decimals,
               crowded=crowded, drifted=drifted, label=label, top=line.top,
               bottom=line.bottom, lead=" ".join(cells[label_columns[0]]) if both else None)


def _centre(line: Line) -> float:
    return (line.top + line.bottom) / 2


def _half_of_row_label(label_line: Line, row_line: Line | None) -> bool:
    """Whether a label-only line is the other half of the label of the row on ``row_line``,
    printed on two lines beside the row's values (Norland's ``Fem`` over ``Neck``, ``Total``
    over ``sBMD``): its middle is within ``_TWO_LINE_LABEL`` line heights of the row's, where
    a group label over its rows sits a whole row pitch away (about two heights)."""
    return row_line is not None and row_line.page == label_line.page and abs(
        _centre(label_line) - _centre(row_line)) < _TWO_LINE_LABEL * label_line.height


def _with_label(row: Row, text: str, *, before: bool) -> None:
    """``text`` joined to the innermost label of ``row``, before or after it."""
    inner = row.labels[-1] if row.labels else ""
    joined = f"{text} {inner}" if before else f"{inner} {text}"
    row.labels = [*row.labels[:-1], " ".join(joined.split())]
    row.label = " ".join((f"{text} {row.label}" if before else f"{row.label} {text}").split())


def _read_rows(lines: list[Line], start: int, table: Table, grid: _Grid) -> int:
    """Append the rows that follow the header; return the index of the first line after."""
    group = table.group
    page = table.page
    previous = lines[start - 1]
    row_line: Line | None = None  # the line of the last row read
    lead: str | None = None  # the region a Region and Side row gave the rows under it
    upper_half: str | None = None  # the first line of the next row's label
    skipped = 0
    index = start
    while index < len(lines):
        line = lines[index]
        new_page = line.page != page
        if new_page:
            if not table.rows or line.page != page + 1:
                break
            page, previous, skipped = line.page, None, 0
        if _is_anchor(line) and any(c.role in SCORE_FIELDS for c in build_columns([line])):
            break
        if not grid.inside(line):  # text beside the table (a comment box, a chart)
            index += 1
            continue
        result = _row(grid, line, group, lead)
        seeking = previous is None
        if not seeking and line.top - previous.bottom > 2.6 * max(previous.height, 4.0):
            break
        if isinstance(result, Row):
            if upper_half:
                _with_label(result, upper_half, before=True)
                upper_half = None
            lead = result.lead or (lead if result.labels and result.labels[0] == lead else None)
            table.rows.append(result)
            previous = row_line = line
            grid.row_label_x = grid.inside(line)[0].x0
        elif isinstance(result, str):
            following = lines[index + 1] if index + 1 < len(lines) else None
            if _half_of_row_label(line, row_line) and row_line is previous and not (
                    following is not None and _half_of_row_label(line, following)
                    and abs(_centre(following) - _centre(line))
                    < abs(_centre(line) - _centre(row_line))):  # type: ignore[arg-type]
                _with_label(table.rows[-1], result, before=False)
            elif following is not None and _half_of_row_label(line, following) \
                    and isinstance(_row(grid, following, None), Row):
                upper_half = result
            else:
                group = result
            previous = previous if seeking else line
        elif seeking:
            skipped += 1
            if skipped > _MAX_SKIPPED_ON_NEW_PAGE:
                break
        else:
            break
        index += 1
    return index


def _value_spans(grid: _Grid, lines: list[Line]) -> list[list[float]]:
    """The x extents of the columns of numbers the rows print outside the text columns:
    number boxes of all rows merged where they overlap (values of one column share their
    right or left edge and overlap)."""
    spans = sorted((w.x0, w.x1) for line in lines
                   if isinstance(_row(grid, line, None), Row)
                   for w in grid.inside(line) if number(w.text) is not None
                   and grid.columns[bisect_right(grid.bounds, w.xc)].role not in TEXT_ROLES)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _columns_by_values(grid: _Grid, lines: list[Line]) -> list[Column] | None:
    """Value columns placed over the columns of numbers under them, where the header's
    geometry put two of them under one header and left another header without any.

    A header box the recogniser garbled (two headers printed over each other read as one
    box, ``BMD (g/cnChange vs Previous (g/cm2)``) loses where each header ends, so a
    column's values may fall under its neighbour: a cell then holds two numbers. When the
    rows print exactly as many columns of numbers as the header names value columns, the
    n-th column of numbers is the n-th value column; else nothing is changed (a column
    printed empty, or a stray number, leaves the geometry as it is)."""
    columns = grid.columns
    numeric = [i for i, column in enumerate(columns) if column.role not in TEXT_ROLES]
    spans = _value_spans(grid, lines)
    if len(spans) != len(numeric):
        return None
    homes = [bisect_right(grid.bounds, (x0 + x1) / 2) for x0, x1 in spans]
    if len(set(homes)) == len(homes):
        return None
    realigned = list(columns)
    for index, (x0, x1) in zip(numeric, spans, strict=True):
        column = columns[index]
        realigned[index] = Column(x0, x1, list(column.parts), column.role)
    return realigned


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        if not _is_anchor(lines[index]):
            index += 1
            continue
        first, last = _header_band(lines, index)
        anchor_x0 = min(w.x0 for w in _anchor_words(lines[index]))
        columns = build_columns(lines[first:last + 1], left=anchor_x0 - 1.0)
        group = None
        if not _ANCHOR_RE.search(lines[index].text):  # a site header: the rows' label column,
            for column in columns:  # and what each row is a part of
                if column.x0 - 1.0 <= anchor_x0 <= column.x1 and not column.role:
                    column.role, group = "label", column.label
        roles = {c.role for c in columns}
        if not (roles & {"label", "date"}) or not (roles & SCORE_FIELDS):
            index += 1
            continue
        table = Table(page=lines[index].page, first_line=first, columns=columns,
                      anchor_line=index, group=group)
        grid = _Grid(columns)
        end = _read_rows(lines, last + 1, table, grid)
        if any(row.crowded for row in table.rows):
            realigned = _columns_by_values(grid, lines[last + 1:end])
            if realigned:
                table = Table(page=table.page, first_line=first, columns=realigned,
                              anchor_line=index, group=group)
                end = _read_rows(lines, last + 1, table, _Grid(realigned))
        if any(row.drifted for row in table.rows):
            ordered = _Grid(table.columns)
            ordered.by_order = True
            table = Table(page=table.page, first_line=first, columns=table.columns,
                          anchor_line=index, group=group)
            end = _read_rows(lines, last + 1, table, ordered)
        table.end_line = end
        tables.append(table)  # a results header without rows still marks a vendor layout
        index = max(end, index + 1) if table.rows else index + 1
    return tables
