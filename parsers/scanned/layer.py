"""OCR pages -> the text layer the PDF layout reader reads (``parsers.pdf.geometry``).

OCR gives text boxes (quadrilaterals) with a recognition score; the layout reader wants words
with boxes in page points, grouped into lines. Two things differ from a PDF text layer:

- A scanned page may be turned by a degree or so. Across a 500 pt wide table a one-degree skew
  moves a row's right end by 9 pt, a whole row pitch, so its cells would join the next row.
  The page's skew is the median slope of its long text boxes; every box is turned back about
  the page centre before words are placed.
- The detector's box is the text's ink grown on every side (DB's "unclip"), about 1.8 times as
  tall as a PDF character box of the same text (measured on rendered vendor pages: 8.8 pt
  against 4.5, 11.8 against 7.0), and as much wider: two cells printed a few points apart
  come back as touching boxes. The layout reader's pitches and gaps are in units of line
  height, so each box is shrunk on every side to keep the middle ``INK_SHARE`` of its height.
- A box holds a run of words (``L1-L4 0.912 -1.2``): its words are placed by the approximate
  advance widths of their characters (``parsers.image.split_line``), enough to put a number
  under its column header.

- Column headers printed close together come back as one box (``YA (%) YA T-score``,
  ``BMC (g) BMD (g/cm2) T - score``), and the space between them looks like any other space.
  Such a box is split where its words make up two or more known column labels
  (``parsers.pdf.tables.role_of``), so that each label heads its own column again.

Words keep their box's recognition score (``ScoredWord.confidence``) so that values read from
an unsure box can be refused later (``parsers.scanned.checks``).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable

from parsers.image import OcrLine, OcrPage
from parsers.image.ocr import split_line
from parsers.kit.text import fold, key
from parsers.pdf.geometry import Line, TextLayer, Word
from parsers.pdf.tables import role_of
from parsers.pdf.values import number
from parsers.pdf.geometry import _lines as group_lines  # until the PDF reader's OCR seam lands

MIN_SKEW_DEGREES = 0.15  # below this, turning the boxes back moves nothing by a point
MAX_SKEW_DEGREES = 5.0  # above this the page is not a skewed scan but something else
INK_SHARE = 0.55
_LONG_BOX = 4.0
_MAX_LABEL_WORDS = 5
_LABEL_GAP = 1.0  # heights between the labels of a split header box (the reader joins < 0.6)
_IGNORED_HEADER = (" change ", " delta ", " diff ")  # width / height from which a box's slope tells the page's skew


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


def _is_label(words: list[str]) -> bool:
    """A column label on its own: a known role, or a change column (``ST Change (%)``,
    ``Change vs Previous``); never starting with a unit or a dash (``(g/cm2)``, ``- score``)."""
    if words[0].startswith(("(", "-", "/")):
        return False
    if role_of(" ".join(words)):
        return True
    return any(word in key(" ".join(words[:2])) for word in _IGNORED_HEADER)


def header_groups(words: list[str]) -> list[int] | None:
    """Where a box's words split into two or more column labels: the index of each label's
    first word, the most labels that every word belongs to (distinct roles); None when the
    words are not a run of labels."""
    if len(words) < 2 or any(number(word) is not None for word in words):
        return None
    best: dict[int, tuple[int, ...]] = {0: ()}  # words consumed -> label starts
    roles: dict[int, frozenset[str]] = {0: frozenset()}
    for end in range(1, len(words) + 1):
        for start in range(max(0, end - _MAX_LABEL_WORDS), end):
            if start not in best:
                continue
            if not _is_label(words[start:end]):
                continue
            role = role_of(" ".join(words[start:end]))
            if role and role in roles[start]:
                continue
            candidate = (*best[start], start)
            if end not in best or len(candidate) > len(best[end]):
                best[end] = candidate
                roles[end] = roles[start] | ({role} if role else set())
    starts = best.get(len(words))
    return list(starts) if starts is not None and len(starts) >= 2 else None


Placed = list[tuple[str, float, float]]
# where the recogniser may have dropped the space between two labels: "T-ScoreYoung", "(%)ST"
_GLUED = re.compile(r"(?<=[a-z)])(?=[A-Z][a-z])|(?<=\))(?=[A-Za-z])")


def _unglued(placed: Placed) -> Placed:
    out: Placed = []
    for text, x0, x1 in placed:
        pieces = _GLUED.split(text)
        out.extend(split_line(" ".join(pieces), x0, x1) if len(pieces) > 1 else [(text, x0, x1)])
    return out


def _with_label_gaps(placed: Placed, height: float) -> Placed:
    """A header box's words, with a gap opened between the labels it holds (words glued by
    the recogniser are parted where that makes the box a run of labels)."""
    starts = header_groups([text for text, _, _ in placed])
    unglued = _unglued(placed)
    if len(unglued) > len(placed):
        more = header_groups([text for text, _, _ in unglued])
        if more and len(more) > len(starts or ()):
            starts, placed = more, unglued
    if not starts:
        return placed
    half_gap = _LABEL_GAP * height / 2
    out = list(placed)
    for start in starts[1:]:
        (left, lx0, lx1), (right, rx0, rx1) = out[start - 1], out[start]
        middle = (lx1 + rx0) / 2
        out[start - 1] = (left, lx0, max(lx0 + 0.5, min(lx1, middle - half_gap)))
        out[start] = (right, min(rx1 - 0.5, max(rx0, middle + half_gap)), rx1)
    return out


# a vertebral row label as small print comes back: L1.L4, L.2-L3, L1,L3-14 (L1,L4 ...)
_LEVELS_MISREAD = re.compile(r"L\.?[1-5](?:[-.,](?:L\.?|1(?=[1-5]))?[1-5])+|L\.[1-5]")
_LEVEL_SEPARATOR_DOT = re.compile(r"(?<=[1-5])\.(?=L)")
_LEVEL_READ_AS_ONE = re.compile(r"(?<=[-,])1(?=[1-5])")


def _word_text(text: str) -> str:
    """A word as the PDF reader would see it: folded; a delta the recogniser could not name
    (``?BMD``, a change column of GE's trend tables) is a delta again; a vertebral label with
    the recogniser's usual slips (a comma read as a dot, a dot after ``L``, ``L`` read as
    ``1``: ``L1.L4``, ``L.2``, ``L3-14``) reads as printed. Values are never repaired."""
    if text.startswith("?") and len(text) > 1 and text[1].isupper():
        text = "\u0394" + text[1:]
    if _LEVELS_MISREAD.fullmatch(text):
        text = _LEVEL_READ_AS_ONE.sub("L", _LEVEL_SEPARATOR_DOT.sub(",", text.replace("L.", "L")))
    return fold(text).strip() if not text.isascii() else text


def page_words(page: OcrPage) -> list[Word]:
    """The words of one OCR page, deskewed, folded like PDF words, in page points."""
    angle = page_skew(page.lines)
    centre = (page.width / 2, page.height / 2)
    words: list[Word] = []
    for line in page.lines:
        x0, top, x1, bottom = _upright_box(line, angle, centre)
        grown = (bottom - top) * (1.0 - INK_SHARE) / 2  # DB grows a box alike on every side
        top, bottom = top + grown, bottom - grown
        if x1 - x0 > 4 * grown:
            x0, x1 = x0 + grown, x1 - grown
        for text, wx0, wx1 in _with_label_gaps(split_line(line.text, x0, x1), bottom - top):
            text = _word_text(text)
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
