"""OCR pages -> the text layer the PDF layout reader reads (``parsers.pdf.geometry``).

OCR gives text boxes (quadrilaterals) with a recognition score; the layout reader wants words
with boxes in page points, grouped into lines. Two things differ from a PDF text layer:

- A scanned page may be turned by a degree or so. Across a 500 pt wide table a one-degree skew
  moves a row's right end by 9 pt, a whole row pitch, so its cells would join the next row.
  The page's skew is the median slope of its long text boxes; every box is turned back about
  the page centre before words are placed.
- A box holds a run of words (``L1-L4 0.912 -1.2``): its words are placed by the approximate
  advance widths of their characters (``parsers.image.split_line``), enough to put a number
  under its column header.

Words keep their box's recognition score (``ScoredWord.confidence``) so that values read from
an unsure box can be refused later (``parsers.scanned.checks``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable

from parsers.image import OcrLine, OcrPage
from parsers.image.ocr import split_line
from parsers.kit.text import fold
from parsers.pdf.geometry import Line, TextLayer, Word
from parsers.pdf.geometry import _lines as group_lines  # until the PDF reader's OCR seam lands

MIN_SKEW_DEGREES = 0.15  # below this, turning the boxes back moves nothing by a point
MAX_SKEW_DEGREES = 5.0  # above this the page is not a skewed scan but something else
_LONG_BOX = 4.0  # width / height from which a box's slope tells the page's skew


class ScoredWord(Word):
    """A word read by OCR, with its box's recognition score (0..1)."""

    __slots__ = ("confidence",)

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float,
                 confidence: float) -> None:
        super().__init__(text, x0, x1, top, bottom)
        self.confidence = confidence


def page_skew(lines: Iterable[OcrLine]) -> float:
    """The page's skew in radians (positive: text rises to the right... in y-down coordinates,
    falls), the median slope of the top edges of its long boxes; 0 when too few or too steep."""
    slopes = []
    for line in lines:
        (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
        width, height = x1 - x0, line.y1 - line.y0
        if width > _LONG_BOX * max(height, 1.0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    if len(slopes) < 3:
        return 0.0
    angle = statistics.median(slopes)
    if abs(math.degrees(angle)) < MIN_SKEW_DEGREES or abs(math.degrees(angle)) > MAX_SKEW_DEGREES:
        return 0.0
    return angle


def _upright_box(line: OcrLine, angle: float, centre: tuple[float, float]
                 ) -> tuple[float, float, float, float]:
    """The line's axis-aligned box after turning its quadrilateral by ``-angle`` about
    ``centre``."""
    if angle == 0.0:
        return line.x0, line.y0, line.x1, line.y1
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = centre
    xs, ys = [], []
    for x, y in line.quad:
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return min(xs), min(ys), max(xs), max(ys)


def page_words(page: OcrPage) -> list[Word]:
    """The words of one OCR page, deskewed, folded like PDF words, in page points."""
    angle = page_skew(page.lines)
    centre = (page.width / 2, page.height / 2)
    words: list[Word] = []
    for line in page.lines:
        x0, top, x1, bottom = _upright_box(line, angle, centre)
        for text, wx0, wx1 in split_line(line.text, x0, x1):
            if not text.isascii():
                text = fold(text).strip()
                if not text:
                    continue
            words.append(ScoredWord(text, wx0, wx1, top, bottom, line.confidence))
    return words


def text_layer(pages: list[OcrPage]) -> TextLayer:
    """The text layer of OCR'd pages, lines in reading order (top to bottom) on each page."""
    lines: list[Line] = []
    chars = 0
    for page in pages:
        words = page_words(page)
        chars += sum(len(w.text) for w in words)
        lines.extend(group_lines(words, page.index))
    return TextLayer(lines=lines, pages=len(pages), chars=chars)
