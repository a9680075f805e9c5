"""A report document from pictures of report pages: PNG, JPEG, TIFF, image-only PDF pages, DICOM
Secondary Capture and other DICOM images.

The pages are decoded and read by OCR (``parsers.image``); the OCR words become a text layer
(``parsers.scanned.layer``) that the PDF reader's layout reading takes like PDF characters
(tables by header semantics, grouped rows, score blocks, header facts; free text to the prose
reader). The values are then held to the report's own cross-checks (``parsers.scanned.checks``).
A DICOM image's header facts (patient id, sex, birth date, accession) are typed data and win
over what OCR read from the page; other header facts fill what the page leaves null.
"""

from __future__ import annotations

from dexa.contract import (
    NoMeasurements,
    NotDxa,
    NoTextLayer,
    ReportDocument,
    ReportRejected,
    Source,
)
from parsers.dicom import image_header, merge_header
from parsers.image import (
    PageImage,
    decode_pages,
    pdf_pages_without_text,
    read_pages,
    render_pdf_pages,
)
from parsers.image.decode import detect_format
from parsers.pdf.geometry import TextLayer, read_text_layer
from parsers.scanned.checks import checked
from parsers.scanned.layer import text_layer

__all__ = ["read_dicom_image", "read_image"]

# typed header values beat OCR'd ones (a misread digit of an id or a birth date)
_HEADER_WINS = frozenset({"id", "sex", "birth_date", "accession"})
_MIN_TEXT_CHARS = 20  # fewer characters on every page: a picture without a report's text


def _pages_text_layer(pages: list[PageImage], known: frozenset[str] = frozenset()) -> TextLayer:
    """The OCR text layer of the pages. ``known`` holds the words of a PDF's own text layer
    (a slide title over a picture): only words beyond them count as text found in the picture.
    """
    if not pages:
        raise NoTextLayer("the input holds no page image to read")
    layer = text_layer(list(read_pages(pages)))
    found = sum(len(word.text) for line in layer.lines for word in line.words
                if word.text not in known)
    if found < _MIN_TEXT_CHARS:
        raise NoTextLayer(f"OCR finds no text in the image ({found} characters)")
    return layer


def _pdf_words(data: bytes) -> frozenset[str]:
    try:
        layer = read_text_layer(data)
    except ReportRejected:
        return frozenset()
    return frozenset(word.text for line in layer.lines for word in line.words)


def _layout_report(layer: TextLayer, source: Source) -> ReportDocument:
    from parsers.pdf import reader as pdf_reader  # until the PDF reader's OCR seam lands
    from parsers.prose import looks_like_dxa, read_prose

    report = pdf_reader._report_from_tables(layer, source)
    if report is not None and pdf_reader.DATE_ORDER_ASSUMED in report.warnings:
        report = pdf_reader._date_order_from_printed_age(layer, source, report)
    if report is not None:
        return report
    text = "\n".join(line.text for line in layer.lines)
    if not looks_like_dxa(text):
        raise NotDxa("the image's text is not a bone densitometry (DXA) report")
    return read_prose(text, source=source)


def _read_pages(pages: list[PageImage], source: Source, known: frozenset[str] = frozenset()
                ) -> ReportDocument:
    report = _layout_report(_pages_text_layer(pages, known), source)
    measurements, warnings = checked(report.measurements)
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
    source = Source(path=path, sha256=sha256, kind="image-ocr")
    known = _pdf_words(data) if detect_format(data) == "pdf" else frozenset()
    return _read_pages(_page_images(data), source, known)


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
    document = _read_pages(_page_images(pictures), Source(path=path, sha256=sha256,
                                                          kind="image-ocr"), known)
    merge_header(document, header, header_wins=_HEADER_WINS)
    return document

