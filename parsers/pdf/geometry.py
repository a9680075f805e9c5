"""The words of a PDF text layer, rebuilt from PDFium character boxes, as ``PageWords``.

PDFium gives the page text (with the spaces and line breaks it infers) and a box per character.
A word's box comes from its first and last character, so a page costs two PDFium calls per
word. The words are grouped into lines by ``parsers.pdf.layout`` (the structure OCR'd page
images are read through as well).

Coordinates are PDF points with y growing downwards (top of the page is 0).
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dexa.contract import Corrupt, NoTextLayer
from parsers.kit.pdf import open_pdf
from parsers.kit.text import fold
from parsers.pdf.layout import Line, PageWords, TextLayer, Word, text_layer

__all__ = ["Line", "PageWords", "TextLayer", "Word", "image_coverage", "read_page_words",
           "read_text_layer"]

MAX_PAGES = 50
MAX_WORDS_PER_PAGE = 20_000
# PDFium reports a hyphen that ends a line as U+FFFE (or U+0002): it ends the word.
_WORD_RE = re.compile(r"[^\s\ufffe\x02]+([\ufffe\x02])?")
# PDFium's FPDFText_GetCharBox as a ctypes function without declared argument types: called
# twice a word, pypdfium2's conversion of each argument (its ``argtypes``) cost more than the
# call itself. Its arguments here are C values already (the text page pointer, an int index,
# four pointers to doubles), and it returns an int (FPDF_BOOL), ctypes' default.
_CHAR_BOX = pdfium_c.FPDFText_GetCharBox
_char_box = type(_CHAR_BOX)(ctypes.cast(_CHAR_BOX, ctypes.c_void_p).value)


def _page_words(textpage: pdfium.PdfTextPage, page_height: float) -> list[Word]:
    raw = textpage.raw
    text = textpage.get_text_range()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    at_left, at_right = ctypes.byref(left), ctypes.byref(right)
    at_bottom, at_top = ctypes.byref(bottom), ctypes.byref(top)
    char_box = _char_box
    words: list[Word] = []
    add = words.append
    for match in _WORD_RE.finditer(text):
        if len(words) >= MAX_WORDS_PER_PAGE:
            break
        start, end = match.span()
        if not char_box(raw, start, at_left, at_right, at_bottom, at_top):
            continue
        x0, y_top, y_bottom = left.value, top.value, bottom.value
        if end - 1 > start:
            if not char_box(raw, end - 1, at_left, at_right, at_bottom, at_top):
                continue
            if top.value > y_top:
                y_top = top.value
            if bottom.value < y_bottom:
                y_bottom = bottom.value
        word = match.group()
        if match.group(1):
            word = word[:-1] + "-"
        if not word.isascii():  # look-alikes of the PDF's fonts: minus signs, ², ligatures, ...
            word = fold(word).strip()
            if not word:
                continue
        x1 = right.value
        add(Word(word, x0, x1 if x1 > x0 else x0, page_height - y_top, page_height - y_bottom))
    return words


def read_page_words(data: bytes) -> tuple[list[PageWords], int]:
    """The words of every page (up to ``MAX_PAGES``) and the document's number of pages.

    Raises:
        Encrypted: the PDF needs a password.
        Corrupt: PDFium cannot open the document or one of its pages.
    """
    document = open_pdf(data)
    try:
        count = len(document)
        if count == 0:
            raise Corrupt("the PDF has no pages")
        pages: list[PageWords] = []
        for index in range(min(count, MAX_PAGES)):
            try:
                page = document[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise Corrupt(f"page {index + 1} of the PDF cannot be read") from exc
            try:
                height = page.get_height()
                pages.append(PageWords(page.get_width(), height, _page_words(textpage, height)))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return pages, count


def read_text_layer(data: bytes) -> TextLayer:
    """The words and lines of every page (up to ``MAX_PAGES``).

    Raises:
        Encrypted: the PDF needs a password.
        Corrupt: PDFium cannot open the document or one of its pages.
        NoTextLayer: no page has any text (an image-only or scanned PDF).
    """
    pages, count = read_page_words(data)
    layer = text_layer(pages, count)
    if not layer.lines:
        raise NoTextLayer("the PDF has no text layer (image-only or scanned)")
    return layer


def image_coverage(data: bytes) -> float:
    """The share of the page area covered by images, over all pages read (0..1, overlaps
    counted twice). A report rendered to pictures (a scan, slides of screenshots) is mostly
    image, whatever text a page title adds."""
    document = open_pdf(data)
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
