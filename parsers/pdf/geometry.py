"""Words and lines of a PDF text layer, rebuilt from PDFium character boxes.

PDFium gives the page text (with the spaces and line breaks it infers) and a box per character.
A *word* is a run of non-space characters, folded by ``parsers.kit.text.fold`` (so every reader
of a word sees ``-`` for a minus sign, ``2`` for ``²``, ``fi`` for the ligature); its box comes
from its first and last character, so a page costs two PDFium calls per word. *Lines* group
words whose baselines agree; a line keeps its words left to right, and its *segments* split it
where the horizontal gap is wide (two columns of a header box printed side by side).

Coordinates are PDF points with y growing downwards (top of the page is 0).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dexa.contract import Corrupt, Encrypted, NoTextLayer
from parsers.kit.text import fold

MAX_PAGES = 50
MAX_WORDS_PER_PAGE = 20_000
# PDFium reports a hyphen that ends a line as U+FFFE (or U+0002): it ends the word.
_WORD_RE = re.compile(r"[^\s\ufffe\x02]+([\ufffe\x02])?")
_FPDF_ERR_PASSWORD = 4


class Word:
    """A run of non-space characters and its box (``xc``: horizontal centre)."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "xc", "height")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.xc = (x0 + x1) / 2
        self.height = bottom - top

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.x0:.1f}-{self.x1:.1f}, {self.top:.1f})"


class Line:
    """Words on one baseline, left to right; measures computed once."""

    __slots__ = ("page", "words", "top", "bottom", "height", "text", "_segments")

    def __init__(self, page: int, words: list[Word]) -> None:
        words.sort(key=lambda w: w.x0)
        self.page = page
        self.words = words
        self.top = min(w.top for w in words)
        self.bottom = max(w.bottom for w in words)
        self.height = max(w.height for w in words)
        self.text = " ".join(w.text for w in words)
        self._segments: dict[float, list[list[Word]]] = {}

    def segments(self, gap: float = 2.5) -> list[list[Word]]:
        """Runs of words separated by less than ``gap`` times the line height."""
        cached = self._segments.get(gap)
        if cached is not None:
            return cached
        limit = gap * max(self.height, 1.0)
        runs: list[list[Word]] = []
        for word in self.words:
            if runs and word.x0 - runs[-1][-1].x1 < limit:
                runs[-1].append(word)
            else:
                runs.append([word])
        self._segments[gap] = runs
        return runs


@dataclass(frozen=True)
class TextLayer:
    lines: list[Line]
    pages: int
    chars: int


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise Encrypted("the PDF is password-protected") from exc
        raise Corrupt(f"the PDF cannot be opened ({exc})") from exc


def _page_words(textpage: pdfium.PdfTextPage, page_height: float) -> list[Word]:
    raw = textpage.raw
    text = textpage.get_text_range()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    char_box = pdfium_c.FPDFText_GetCharBox
    words: list[Word] = []
    for match in _WORD_RE.finditer(text):
        if len(words) >= MAX_WORDS_PER_PAGE:
            break
        start, end = match.span()
        if not char_box(raw, start, *refs):
            continue
        x0, y_top, y_bottom = left.value, top.value, bottom.value
        if end - 1 > start:
            if not char_box(raw, end - 1, *refs):
                continue
            y_top, y_bottom = max(y_top, top.value), min(y_bottom, bottom.value)
        word = match.group()
        if match.group(1):
            word = word[:-1] + "-"
        if not word.isascii():  # look-alikes of the PDF's fonts: minus signs, ², ligatures, ...
            word = fold(word).strip()
            if not word:
                continue
        words.append(Word(word, x0, max(x0, right.value), page_height - y_top,
                          page_height - y_bottom))
    return words


def _lines(words: list[Word], page: int) -> list[Line]:
    """Group words into lines: a word joins the line whose vertical middle it shares."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if groups:
            last = groups[-1][-1]
            middle = (word.top + word.bottom) / 2
            if last.top - 0.5 <= middle <= last.bottom + 0.5 or (
                    abs(word.bottom - groups[-1][0].bottom) < 0.35 * max(word.height, 1.0)):
                groups[-1].append(word)
                continue
        groups.append([word])
    return [Line(page, group) for group in groups]


def read_text_layer(data: bytes) -> TextLayer:
    """The words and lines of every page (up to ``MAX_PAGES``).

    Raises:
        Encrypted: the PDF needs a password.
        Corrupt: PDFium cannot open the document or one of its pages.
        NoTextLayer: no page has any text (an image-only or scanned PDF).
    """
    document = _open(data)
    try:
        pages = len(document)
        if pages == 0:
            raise Corrupt("the PDF has no pages")
        lines: list[Line] = []
        chars = 0
        for index in range(min(pages, MAX_PAGES)):
            try:
                page = document[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise Corrupt(f"page {index + 1} of the PDF cannot be read") from exc
            try:
                chars += textpage.count_chars()
                words = _page_words(textpage, page.get_height())
            finally:
                textpage.close()
                page.close()
            lines.extend(_lines(words, index))
    finally:
        document.close()
    if not any(line.text.strip() for line in lines):
        raise NoTextLayer("the PDF has no text layer (image-only or scanned)")
    return TextLayer(lines=lines, pages=pages, chars=chars)


def image_coverage(data: bytes) -> float:
    """The share of the page area covered by images, over all pages read (0..1, overlaps
    counted twice). A report rendered to pictures (a scan, slides of screenshots) is mostly
    image, whatever text a page title adds."""
    document = _open(data)
    covered = area = 0.0
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            try:
                area += page.get_width() * page.get_height()
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                    left, bottom, right, top = obj.get_bounds()
                    covered += max(0.0, right - left) * max(0.0, top - bottom)
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise Corrupt("a page of the PDF cannot be read") from exc
    finally:
        document.close()
    return min(1.0, covered / area) if area else 0.0
