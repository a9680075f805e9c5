"""The page-words structure every layout reader reads: words with boxes, grouped into lines.

This module is the seam between a source of positioned words and the layout reader
(``parsers.pdf.reader.read_pages``). The PDF text layer (``parsers.pdf.geometry``, PDFium) and
OCR of page images both build ``PageWords``; nothing here depends on PDFium.

Coordinates are points (1/72 inch) with y growing downwards (the top of the page is 0):
``x0 < x1`` and ``top < bottom``.

A *word* is a run of non-space characters folded by ``parsers.kit.text.fold`` (so every reader
of a word sees ``-`` for a minus sign, ``2`` for ``²``, ``fi`` for the ligature). *Lines* group
words whose vertical middles agree; a line keeps its words left to right, and its *segments*
split it where the horizontal gap is wide (two columns of a header box printed side by side).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from parsers.kit.text import fold


class Word:
    """A run of non-space characters and its box in points (``xc``: horizontal centre)."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "xc", "height")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.xc = (x0 + x1) / 2
        self.height = bottom - top

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.x0:.1f}-{self.x1:.1f}, {self.top:.1f})"


@dataclass(frozen=True)
class PageWords:
    """One page: its size in points and its words (any order)."""

    width: float
    height: float
    words: Sequence[Word]

    @classmethod
    def from_boxes(cls, width: float, height: float,
                   boxes: Iterable[tuple[str, float, float, float, float]]) -> PageWords:
        """A page from ``(text, x0, y0, x1, y1)`` boxes (points, y downwards), e.g. OCR output.

        Text is folded; a box holding several space-separated words is split into words whose
        widths are proportional to their characters (an OCR line box)."""
        words: list[Word] = []
        for text, x0, y0, x1, y1 in boxes:
            folded = text if text.isascii() else fold(text)
            parts = folded.split()
            if len(parts) == 1:
                words.append(Word(parts[0], x0, max(x0, x1), y0, y1))
            elif parts:
                words.extend(split_box(" ".join(parts), x0, max(x0, x1), y0, y1))
        return cls(width=width, height=height, words=words)


_SPACE_ADVANCE = 0.5  # a space is about half as wide as the average character


def split_box(text: str, x0: float, x1: float, top: float, bottom: float) -> list[Word]:
    """The words of a box of several words, their x extents proportional to their characters
    (spaces counted narrow)."""
    units = len(text) - (1 - _SPACE_ADVANCE) * text.count(" ")
    per_unit = (x1 - x0) / max(units, 1.0)
    words: list[Word] = []
    position = 0.0
    for token in text.split(" "):
        if token:
            start = x0 + position * per_unit
            words.append(Word(token, start, start + len(token) * per_unit, top, bottom))
        position += len(token) + _SPACE_ADVANCE
    return words


_X0 = attrgetter("x0")
_BOTTOM_X0 = attrgetter("bottom", "x0")


class Line:
    """Words on one baseline, left to right; measures computed once."""

    __slots__ = ("page", "words", "top", "bottom", "height", "text", "_segments", "_signature")

    def __init__(self, page: int, words: list[Word]) -> None:
        words.sort(key=_X0)
        self.page = page
        self.words = words
        self.top = min([w.top for w in words])
        self.bottom = max([w.bottom for w in words])
        self.height = max([w.height for w in words])
        self.text = " ".join([w.text for w in words])
        self._segments: dict[float, list[list[Word]]] = {}
        self._signature: tuple[tuple[str, float, float, float, float], ...] | None = None

    def signature(self) -> tuple[tuple[str, float, float, float, float], ...]:
        """The line's content: each word's text and box, left to right. Two lines with the same
        signature read the same (a template's header printed again in another report)."""
        if self._signature is None:
            self._signature = tuple([(w.text, w.x0, w.x1, w.top, w.bottom) for w in self.words])
        return self._signature

    def segments(self, gap: float = 2.5) -> list[list[Word]]:
        """Runs of words separated by less than ``gap`` times the line height."""
        cached = self._segments.get(gap)
        if cached is not None:
            return cached
        limit = gap * max(self.height, 1.0)
        runs: list[list[Word]] = []
        run: list[Word] = []
        end = 0.0  # the right end of the last word
        for word in self.words:
            if run and word.x0 - end < limit:
                run.append(word)
            else:
                run = [word]
                runs.append(run)
            end = word.x1
        self._segments[gap] = runs
        return runs


@dataclass(frozen=True)
class TextLayer:
    """The lines of every page read, in page order then top to bottom. ``pages``: the number
    of pages of the document (it may hold more than were read)."""

    lines: list[Line]
    pages: int
    chars: int


def page_lines(words: Sequence[Word], page: int) -> list[Line]:
    """Group words into lines: a word joins the line whose vertical middle it shares."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=_BOTTOM_X0):
        if groups:
            last = groups[-1][-1]
            middle = (word.top + word.bottom) / 2
            if last.top - 0.5 <= middle <= last.bottom + 0.5 or (
                    abs(word.bottom - groups[-1][0].bottom) < 0.35 * max(word.height, 1.0)):
                groups[-1].append(word)
                continue
        groups.append([word])
    return [Line(page, group) for group in groups]


def text_layer(pages: Sequence[PageWords], page_count: int | None = None) -> TextLayer:
    """The lines of ``pages``; ``page_count`` when the document has more pages than given."""
    lines: list[Line] = []
    for index, page in enumerate(pages):
        lines.extend(page_lines(page.words, index))
    chars = sum(len(w.text) for page in pages for w in page.words)
    return TextLayer(lines=lines, pages=page_count or len(pages), chars=chars)
