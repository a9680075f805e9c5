"""Words and lines of a PDF text layer, rebuilt from PDFium character boxes.

PDFium gives the page text (with the spaces and line breaks it infers) and a box per character.
A *word* is a run of non-space characters; its box comes from its first and last character, so
a page costs two PDFium calls per word. *Lines* group words whose baselines agree; a line keeps
its words left to right, and its *segments* split it where the horizontal gap is wide (two
columns of a header box printed side by side).

Coordinates are PDF points with y growing downwards (top of the page is 0).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dexa.errors import Corrupt, Encrypted, NoTextLayer

MAX_PAGES = 50
MAX_WORDS_PER_PAGE = 20_000
# PDFium reports a hyphen that ends a line as U+FFFE (or U+0002): it ends the word.
_WORD_RE = re.compile(r"[^\s\ufffe\x02]+([\ufffe\x02])?")
_FPDF_ERR_PASSWORD = 4


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Line:
    page: int
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def segments(self, gap: float = 2.5) -> list[list[Word]]:
        """Runs of words separated by less than ``gap`` times the line height."""
        runs: list[list[Word]] = []
        for word in self.words:
            if runs and word.x0 - runs[-1][-1].x1 < gap * max(self.height, 1.0):
                runs[-1].append(word)
            else:
                runs.append([word])
        return runs


@dataclass(frozen=True)
class TextLayer:
    lines: list[Line]
    pages: int
    chars: int

    def page_lines(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise Encrypted("the PDF is password-protected") from exc
        raise Corrupt(f"the PDF cannot be opened ({exc})") from exc


def _page_words(textpage: pdfium.PdfTextPage, page_height: float) -> Iterator[Word]:
    raw = textpage.raw
    text = textpage.get_text_range()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    for count, match in enumerate(_WORD_RE.finditer(text)):
        if count >= MAX_WORDS_PER_PAGE:
            return
        if not pdfium_c.FPDFText_GetCharBox(raw, match.start(), *refs):
            continue
        x0, y_top, y_bottom = left.value, top.value, bottom.value
        if not pdfium_c.FPDFText_GetCharBox(raw, match.end() - 1, *refs):
            continue
        y_top, y_bottom = max(y_top, top.value), min(y_bottom, bottom.value)
        word = match.group()
        if match.group(1):
            word = word[:-1] + "-"
        yield Word(word, x0, max(x0, right.value), page_height - y_top,
                   page_height - y_bottom)


def _lines(words: list[Word], page: int) -> list[Line]:
    """Group words into lines: a word joins the line whose vertical middle it shares."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if lines:
            last = lines[-1]
            middle = (word.top + word.bottom) / 2
            if last.words[-1].top - 0.5 <= middle <= last.words[-1].bottom + 0.5 or (
                    abs(word.bottom - last.words[0].bottom) < 0.35 * max(word.height, 1.0)):
                last.words.append(word)
                continue
        lines.append(Line(page, [word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


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
                words = list(_page_words(textpage, page.get_height()))
            finally:
                textpage.close()
                page.close()
            lines.extend(_lines(words, index))
    finally:
        document.close()
    if not any(line.text.strip() for line in lines):
        raise NoTextLayer("the PDF has no text layer (image-only or scanned)")
    return TextLayer(lines=lines, pages=pages, chars=chars)
