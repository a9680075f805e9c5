"""Cells the detector missed, read by recognition alone where the page says one is: table row
labels, score headers, the percent sign of a FRAX probability.

The text detector misses short, small labels (``L1`` .. ``L4`` under ``T12`` on a GE spine
table, ``L3`` between ``L2`` and ``L4`` on a Norland one): the row's values are read and its
label cell comes back empty, so the row has no site and is lost. The layout knows where the
label is: the row's line, under the label column. That cell is cut from the picture, trimmed
to its ink, and given to the recogniser alone (no detection: ~0.1 s a cell). What it reads is
added as an OCR box of its own, with the recogniser's score, so the OCR layer treats it like
every other box (an unsure box's numbers are left out; ``12`` between ``L1`` and ``L3`` is set
right by its column). A vertebra's label must fit its column (below the level over it,
above the level under it, no level twice): a misread digit is not a site. Cells without ink,
and rows with a label, are never read again.

A line's reading can also drop a small, spaced ``%`` after a FRAX probability ("using BMD:
28.2 %" read "using BMD: 28.2"), and a probability without its sign is not read as one. On a
line that speaks of FRAX and ends in a bare number, that number's cell with room for a sign
is read again alone, at three heights (a small sign at 100 dpi reads as ``%`` in one crop and
``8`` in the next); only when most readings show the same number and a ``%`` does the line
gain the sign.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
from PIL import Image

from parsers.history.frax import speaks_of_frax
from parsers.image import OcrLine, OcrPage, OcrWord, PageImage
from parsers.kit.text import key
from parsers.pdf import PageWords
from parsers.pdf.layout import Line, text_layer
from parsers.pdf.tables import Table, find_tables
from parsers.scanned.layer import (
    INK_SHARE,
    MIN_VALUE_SCORE,
    SCORE_LABEL_HALF,
    page_skew,
    page_words,
    word_text,
)

__all__ = ["with_unread_cells"]

Recognise = Callable[[Image.Image], tuple[str, float]]
Cell = tuple[int, float, float, float, float]  # page index, x0, top, x1, bottom (points)
_LEVEL_RE = re.compile(r"(T12|L[1-5])")
_PROBABILITY_RE = re.compile(r"\d{1,2}(?:\.\d{1,2})?")  # a FRAX probability, sign left out

_INK_LEVEL = 128  # grey level under which a pixel is ink
_RULE_SHARE = 0.8  # a pixel row or column this much ink is a rule
_PAD_PX = 3  # pixels of white kept around the ink for the recogniser
_LABEL_GAP = 1.5  # points left free before the next column's header
_SIGN_ROOM = 2.5  # heights of a line right of its last word: a space and a sign
_SIGN_MARGINS = (0.1, 0.2, 0.3)  # white above and below a sign's cell, in heights of its line


def unread_cells(pages: list[OcrPage], words: list[PageWords] | None = None
                 ) -> Iterator[tuple[Cell, Callable[[str], bool]]]:
    """The cells the detector left empty where the tables say there is text (row labels,
    the upper halves of two-line score headers), each with the test a reading of it must
    pass. ``words``: the pages' words where the caller has made them already."""
    lines = text_layer(words if words is not None else [page_words(p) for p in pages]).lines
    tables = find_tables(lines)
    for cell, labels in unread_label_cells(tables):
        yield cell, lambda text, labels=labels: fits_its_column(word_text(text), labels)
    for cell in unread_score_halves(lines, tables):
        yield cell, lambda text: SCORE_LABEL_HALF.fullmatch(text) is not None


def unread_score_halves(lines: list[Line], tables: list[Table]) -> Iterator[Cell]:
    """Over a column headed by a lone ``score`` beside a score column whose header is printed
    on two lines (``T-`` over ``score``), the cell of its own upper half, which the detector
    missed (Hologic's small ``Z -``): across the column, down the other's upper line."""
    for table in tables:
        band = [w for line in lines[table.first_line:table.anchor_line + 3]
                for w in line.words if SCORE_LABEL_HALF.fullmatch(w.text)]
        for index, column in enumerate(table.columns):
            if column.role or key(column.label).strip() != "score":
                continue
            halves = [w for w in band for other in table.columns[max(0, index - 1):index + 2]
                      if other.role in ("t_score", "z_score") and other.x0 <= w.xc <= other.x1]
            if not halves:
                continue
            half, margin = halves[0], 0.3 * column.width
            grown = half.height * (1 / INK_SHARE - 1) / 2
            yield (table.page, column.x0 - margin, half.top - grown, column.x1 + margin,
                   half.bottom + grown)


def unread_label_cells(tables: list[Table]) -> Iterator[tuple[Cell, list[str]]]:
    """The label cells of table rows that hold values but no label, in points: across the
    label column up to the next column's header, down the row's line; with the labels of the
    table's rows, from the row above to the row below, in order (this one's empty)."""
    for table in tables:
        index = next((i for i, c in enumerate(table.columns) if c.role == "label"), None)
        if index is None or index + 1 >= len(table.columns):
            continue
        column, following = table.columns[index], table.columns[index + 1]
        x0, x1 = column.x0 - 0.25 * column.width, following.x0 - _LABEL_GAP
        labels = [row.label for row in table.rows]
        for position, row in enumerate(table.rows):
            if not row.label and row.bottom > row.top and x1 > x0:
                grown = (row.bottom - row.top) * (1 / INK_SHARE - 1) / 2
                yield ((row.page, x0, row.top - grown, x1, row.bottom + grown),
                       labels[:position] + [""] + labels[position + 1:])


def _level(label: str) -> int | None:
    """A single vertebra's place down the spine (T12 0, L1 1 ... L5 5), else None."""
    found = _LEVEL_RE.fullmatch(label.strip())
    if not found:
        return None
    return 0 if found.group(1) == "T12" else int(found.group(1)[1])


def fits_its_column(text: str, labels: list[str]) -> bool:
    """Whether a recognised vertebra label fits the table's other labels (``labels``, this
    row's empty): below the level of the nearest single-level row above it, above that of
    the nearest one below, and no other row's. Other labels (``Neck``, ``L2-L3``) fit."""
    level = _level(text)
    if level is None:
        return True
    here = labels.index("")
    levels = [_level(label) for label in labels]
    above = next((n for n in reversed(levels[:here]) if n is not None), None)
    below = next((n for n in levels[here + 1:] if n is not None), None)
    return level not in levels and (above is None or above < level) \
        and (below is None or level < below)


def _ink_box(picture: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of the picture's ink (dark pixels), or None when it holds none. A rule across
    the cell (a table's frame, a line under the header) is not ink of its text."""
    ink = np.asarray(picture.convert("L")) < _INK_LEVEL
    if not ink.any():
        return None
    ink[:, ink.mean(axis=0) > _RULE_SHARE] = False  # vertical rules
    ink[ink.mean(axis=1) > _RULE_SHARE, :] = False  # horizontal rules
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return None
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _turned(points: list[tuple[float, float]], page: OcrPage) -> list[tuple[float, float]]:
    """Points of the page's upright words (``parsers.scanned.layer`` turns a skewed scan's
    boxes back) where they are on the picture: turned by the page's skew again."""
    angle = page_skew(page.lines)
    if angle == 0.0:
        return points
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = page.width / 2, page.height / 2
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
            for x, y in points]


def _cut(page: PageImage, ocr: OcrPage, cell: Cell) -> tuple[Image.Image, int, int] | None:
    """The cell's picture (on a skewed scan, the box around the turned cell) with its left and
    upper pixel; None when it is under two pixels across."""
    _, x0, top, x1, bottom = cell
    per_pt = ocr.dpi / 72.0
    image = page.image
    corners = _turned([(x0, top), (x1, top), (x1, bottom), (x0, bottom)], ocr)
    left = max(0, round(min(x for x, _ in corners) * per_pt))
    upper = max(0, round(min(y for _, y in corners) * per_pt))
    right = min(image.width, round(max(x for x, _ in corners) * per_pt))
    lower = min(image.height, round(max(y for _, y in corners) * per_pt))
    if right - left < 2 or lower - upper < 2:
        return None
    return image.crop((left, upper, right, lower)), left, upper


def _read_cell(page: PageImage, ocr: OcrPage, cell: Cell, recognise: Recognise,
               index: int, accept: Callable[[str], bool]) -> OcrLine | None:
    _, x0, top, x1, bottom = cell
    per_pt = ocr.dpi / 72.0
    cut = _cut(page, ocr, cell)
    if cut is None:
        return None
    crop, left, upper = cut
    ink = _ink_box(crop)
    if ink is None:
        return None
    ix0, iy0, ix1, iy1 = ink
    text, score = recognise(crop.crop((max(0, ix0 - _PAD_PX), max(0, iy0 - _PAD_PX),
                                       min(crop.width, ix1 + _PAD_PX),
                                       min(crop.height, iy1 + _PAD_PX))))
    if not text or score < MIN_VALUE_SCORE or not accept(text):
        return None
    # the box the detector would have drawn on the row's line: the ink across, the row's line
    # down (grown as DB grows a box: the OCR layer shrinks it back), on the picture
    grown = (bottom - top) * (1 - INK_SHARE) / 2
    bx0, bx1 = (left + ix0) / per_pt - grown, (left + ix1) / per_pt + grown
    quad = tuple(_turned([(bx0, top), (bx1, top), (bx1, bottom), (bx0, bottom)], ocr))
    xs, ys = [x for x, _ in quad], [y for _, y in quad]
    word = OcrWord(text, score, min(xs), min(ys), max(xs), max(ys), ocr.index, index)
    return OcrLine(text, score, min(xs), min(ys), max(xs), max(ys), quad, ocr.index, index,
                   (word,))


def _sign_cells(line: OcrLine) -> list[Cell]:
    """Of a FRAX line whose last word is a bare number, the cells of its last two words with
    room for a sign after them (the word before gives the recogniser the line's type and
    size), at three heights; none for any other line."""
    if len(line.words) < 2 or not _PROBABILITY_RE.fullmatch(line.words[-1].text) \
            or not speaks_of_frax(line.text):
        return []
    height = line.y1 - line.y0
    x0, x1 = line.words[-2].x0 - 0.2 * height, line.words[-1].x1 + _SIGN_ROOM * height
    return [(line.page, x0, line.y0 - margin * height, x1, line.y1 + margin * height)
            for margin in _SIGN_MARGINS]


def _with_percent_signs(pages: list[PageImage], ocr_pages: list[OcrPage],
                        recognise: Recognise) -> list[OcrPage]:
    """``ocr_pages`` with the sign a FRAX probability's reading dropped (see the module): the
    sign is taken where most of the cell's readings show the number and a ``%``."""
    out = []
    for page, ocr in zip(pages, ocr_pages, strict=True):
        lines = list(ocr.lines)
        for position, line in enumerate(lines):
            cells = _sign_cells(line)
            if not cells:
                continue
            signed = re.compile(r"\D*" + re.escape(line.words[-1].text) + "%")
            votes = 0
            for cell in cells:
                cut = _cut(page, ocr, cell)
                if cut is not None:
                    text, score = recognise(cut[0])
                    votes += score >= MIN_VALUE_SCORE and signed.fullmatch(
                        text.replace(" ", "")) is not None
            if 2 * votes > len(cells):
                lines[position] = replace(line, text=line.text + " %", words=(
                    *line.words, replace(line.words[-1], text="%")))
        out.append(ocr if lines == list(ocr.lines) else replace(ocr, lines=tuple(lines)))
    return ocr_pages if all(a is b for a, b in zip(out, ocr_pages, strict=True)) else out


def with_unread_cells(pages: list[PageImage], ocr_pages: list[OcrPage],
                      recognise: Recognise, words: list[PageWords] | None = None
                      ) -> list[OcrPage]:
    """``ocr_pages`` with the cells the detector missed read by ``recognise`` (see the
    module); the same pages when there is none. ``words``: ``page_words`` of ``ocr_pages``,
    where the caller has them (they are not made twice)."""
    ocr_pages = _with_percent_signs(pages, ocr_pages, recognise)
    added: dict[int, list[OcrLine]] = {}
    for cell, accept in unread_cells(ocr_pages, words):
        number = cell[0]
        ocr = ocr_pages[number]
        line = _read_cell(pages[number], ocr, cell, recognise,
                          len(ocr.lines) + len(added.get(number, [])), accept)
        if line is not None:
            added.setdefault(number, []).append(line)
    if not added:
        return ocr_pages
    return [page if i not in added else
            OcrPage(index=page.index, width=page.width, height=page.height, dpi=page.dpi,
                    dpi_assumed=page.dpi_assumed, scale=page.scale,
                    lines=page.lines + tuple(added[i]), engine_seconds=page.engine_seconds,
                    seconds=page.seconds)
            for i, page in enumerate(ocr_pages)]
