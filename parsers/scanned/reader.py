"""A report document from pictures of report pages: PNG, JPEG, TIFF, image-only PDF pages, DICOM
Secondary Capture and other DICOM images.

The pages are decoded and read by OCR (``parsers.image``); the OCR words become page words
(``parsers.scanned.layer``) that the PDF reader's layout reading takes like PDF characters
(``parsers.pdf.read_pages``: tables by header semantics, grouped rows, score blocks, header
facts; free text to the prose reader). The values are then held to the report's own
cross-checks (``parsers.scanned.checks``).
A DICOM image's header facts (patient id, sex, birth date, accession) are typed data and win
over what OCR read from the page; other header facts fill what the page leaves null.
"""

from __future__ import annotations

from dexa.contract import (
    NoMeasurements,
    NoTextLayer,
    ReportDocument,
    ReportRejected,
)
from parsers.dicom import image_header, merge_header
from parsers.image import (
    OcrEngineError,
    PageImage,
    decode_pages,
    get_engine,
    pdf_pages_without_text,
    read_pages,
    render_pdf_pages,
)
from parsers.image.decode import detect_format
from parsers.image.errors import OcrUnavailable
from parsers.labels import stated_unscored
from parsers.pdf import PageWords
from parsers.pdf import read_pages as read_layout
from parsers.pdf.blocks import find_blocks
from parsers.pdf.geometry import read_text_layer
from parsers.pdf.layout import text_layer
from parsers.pdf.tables import find_tables
from parsers.scanned.cells import with_unread_cells
from parsers.scanned.checks import checked
from parsers.scanned.layer import page_words

__all__ = ["read_dicom_image", "read_image"]

# typed header values beat OCR'd ones (a misread digit of an id or a birth date)
_HEADER_WINS = frozenset({"id", "sex", "birth_date", "accession"})
_MIN_TEXT_CHARS = 20  # fewer characters on every page: a picture without a report's text


def _page_words(pages: list[PageImage], known: frozenset[str] = frozenset()
                ) -> list[PageWords]:
    """The OCR words of the pages. ``known`` holds the words of a PDF's own text layer (a
    slide title over a picture): only words beyond them count as text found in the picture.
    """
    if not pages:
        raise NoTextLayer("the input holds no page image to read")
    try:
        ocr_pages = list(read_pages(pages))
        words = [page_words(page) for page in ocr_pages]
        found = sum(len(word.text) for page in words for word in page.words
                    if word.text not in known)
        if found < _MIN_TEXT_CHARS:
            raise NoTextLayer(f"OCR finds no text in the image ({found} characters)")
        filled = with_unread_cells(pages, ocr_pages, get_engine().recognise, words)
    except OcrEngineError as exc:
        raise OcrUnavailable(
            f"pictures cannot be read here: {exc} (mend the install, then dexa reread --all)"
        ) from exc
    return words if filled is ocr_pages else [page_words(page) for page in filled]


def _pdf_words(data: bytes) -> frozenset[str]:
    try:
        layer = read_text_layer(data)
    except ReportRejected:
        return frozenset()
    return frozenset(word.text for line in layer.lines for word in line.words)


def _layout_facts(words: list[PageWords]) -> tuple[bool, bool]:
    """Whether a results table prints its score columns empty, and whether the page has no
    table and no score block (its values were read from sentences: a dictated report).

    Scores printed empty: a table has both a T- and a Z-score column and every row prints them
    empty (GE ancillary tables: ``-`` for each region). A table whose Z header went unread
    while its T column is empty does not count: its Z values were there, unread."""
    lines = text_layer(words).lines
    tables = find_tables(lines)
    scores_empty = any({"t_score", "z_score"} <= set(table.empty_score_columns())
                       for table in tables)
    return scores_empty, not tables and not find_blocks(lines)


def _read_pages(pages: list[PageImage], *, path: str, sha256: str,
                known: frozenset[str] = frozenset()) -> ReportDocument:
    words = _page_words(pages, known)
    report = read_layout(words, path=path, sha256=sha256, kind="image-ocr")
    text = " ".join(word.text for page in words for word in page.words)
    scores_empty, in_sentences = _layout_facts(words)
    measurements, warnings = checked(report.measurements, score_column_empty=scores_empty,
                                     unscored=stated_unscored(text), in_sentences=in_sentences)
    if not measurements:
        raise NoMeasurements("no BMD, T-score or Z-score could be read from the image"
                             + (" with confidence" if warnings else ""))
    return report.model_copy(update={"measurements": measurements,
                                     "warnings": report.warnings + warnings})


def read_image(data: bytes, *, path: str, sha256: str) -> ReportDocument:
    """Read a PNG, JPEG or TIFF image, or the text-less pages of a PDF, by OCR.

    Raises:
        NoTextLayer: OCR finds no text.
        NotDxa: the text is not a DXA report.
        NoMeasurements: a DXA report whose values cannot be read (or fail the cross-checks).
        ReportRejected: the image cannot be decoded (``too_large``, ``unsupported_format``,
            ``corrupt``, ``encrypted``).
    """
    known = _pdf_words(data) if detect_format(data) == "pdf" else frozenset()
    return _read_pages(_page_images(data), path=path, sha256=sha256, known=known)


def _page_images(data: bytes) -> list[PageImage]:
    """The pages to OCR. Of a PDF, the pages without text; when every page has some (a slide
    title over a screenshot of the report: the PDF reader found the text layer to be mostly
    image), every page."""
    if detect_format(data) == "pdf":
        return render_pdf_pages(data, pdf_pages_without_text(data) or None)
    return decode_pages(data)


def read_dicom_image(data: bytes, *, path: str, sha256: str) -> ReportDocument:
    """Read a DICOM image holding a report page (Secondary Capture, or a wrapped PDF of
    scanned pages) by OCR; the header's facts are merged in."""
    header, wrapped_pdf = image_header(data)
    pictures = wrapped_pdf if wrapped_pdf is not None else data
    known = _pdf_words(wrapped_pdf) if wrapped_pdf is not None else frozenset()
    document = _read_pages(_page_images(pictures), path=path, sha256=sha256, known=known)
    merge_header(document, header, header_wins=_HEADER_WINS)
    return document

