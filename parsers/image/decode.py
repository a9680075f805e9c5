"""Bytes -> page images: PNG, JPEG, TIFF (every page), image-only PDF pages, DICOM images.

``decode_pages(data)`` chooses the format by content (magic bytes), never by name, and returns
one ``PageImage`` per page: a Pillow image in mode ``RGB`` or ``L``, its index in the input, and
its resolution in dots per inch where the input states one (``None`` where it does not: a
screenshot has no physical size; the OCR layer then assumes one, see ``parsers.image.ocr``).

- PNG, JPEG: one page; the EXIF orientation is applied. TIFF: one page per frame.
- PDF: only pages *without* a text layer need OCR (a page with text is the PDF reader's), so
  ``decode_pages`` renders those; ``pdf_pages_without_text`` and ``render_pdf_pages`` let a caller
  pick pages itself. A page is rendered at the resolution of the largest image drawn on it (so no
  detail is lost and no pixels are invented), clamped to ``PDF_DPI_RANGE``, or at a given dpi.
- DICOM: any object with Pixel Data (Secondary Capture, multi-frame SC, other images). One page
  per frame. RGB, YBR (converted by pydicom), PALETTE COLOR, MONOCHROME1 (inverted) and
  MONOCHROME2; 8 to 16 bits (16-bit data is windowed with the object's VOI LUT or window when it
  has one, else stretched over its own range); either planar configuration. Compressed transfer
  syntaxes decode only where pydicom has a plugin installed for them (JPEG baseline/extended and
  JPEG 2000 through Pillow, RLE natively); others raise ``UnsupportedImage`` naming the syntax.

Limits (decompression bombs): no page may decode to more than ``MAX_PAGE_PIXELS`` pixels, nor an
input to more than ``MAX_TOTAL_PIXELS`` or ``MAX_PAGES`` pages. Sizes are checked from headers
*before* any pixel is decoded; violations raise ``ImageTooLarge`` (``too_large``).

Raises (every public function): ``ImageTooLarge``, ``UnsupportedImage``, ``CorruptImage`` (see
``parsers.image.errors``), and for a PDF that cannot be opened the contract's ``Encrypted`` or
``Corrupt`` (``parsers.kit.pdf``, shared with the PDF reader): all CONTRACT rejections. Nothing
else escapes on damaged input.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from parsers.image.errors import CorruptImage, ImageTooLarge, UnsupportedImage
from parsers.kit.pdf import open_pdf

__all__ = [
    "MAX_PAGES",
    "MAX_PAGE_PIXELS",
    "MAX_TOTAL_PIXELS",
    "PDF_DPI_RANGE",
    "ImageFormat",
    "PageImage",
    "decode_pages",
    "detect_format",
    "pdf_pages_without_text",
    "render_pdf_pages",
]

MAX_PAGE_PIXELS = 40_000_000
"""A letter page at 600 dpi is 33.7 Mpx; nothing a report needs is larger."""
MAX_TOTAL_PIXELS = 200_000_000
MAX_PAGES = 50
PDF_DPI_RANGE = (100.0, 300.0)
PDF_DEFAULT_DPI = 200.0
"""Render resolution of an image-only PDF page whose images' own resolution is unknown."""
PDF_TEXT_CHARS = 1
"""A PDF page with at least this many characters in its text layer has text: no OCR for it."""
_DPI_RANGE = (50.0, 1200.0)  # a stated resolution outside this is not a page's resolution

ImageFormat = str  # "png" | "jpeg" | "tiff" | "pdf" | "dicom"
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}


@dataclass(frozen=True)
class PageImage:
    """One page to read: ``image`` is RGB or L; ``index`` is the page (PDF, TIFF) or frame
    (DICOM) number in the input, from 0; ``dpi`` is the stated resolution, or None."""

    image: Image.Image
    index: int
    dpi: float | None
    source_format: ImageFormat

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def detect_format(data: bytes) -> ImageFormat | None:
    """The image format of ``data`` by its first bytes, or None if it is none of ours."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if len(data) >= 132 and data[128:132] == b"DICM":
        return "dicom"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if _dicom_without_preamble(data[:8]):
        return "dicom"
    return None


def decode_pages(data: bytes, *, pdf_dpi: float | None = None) -> list[PageImage]:
    """Every page of ``data`` that needs OCR, as images (see the module docstring).

    Raises:
        UnsupportedImage: not PNG, JPEG, TIFF, PDF or DICOM, or an encoding not decodable here.
        ImageTooLarge: the pixels would exceed the limits.
        CorruptImage: damaged bytes (``Corrupt`` for a PDF that cannot be opened).
        Encrypted: a PDF that needs a password.
    """
    fmt = detect_format(data)
    if fmt is None:
        raise UnsupportedImage("not a PNG, JPEG, TIFF, PDF or DICOM image")
    if fmt == "pdf":
        return render_pdf_pages(data, pdf_pages_without_text(data), dpi=pdf_dpi)
    if fmt == "dicom":
        return _decode_dicom(data)
    return _decode_raster(data, fmt)


# -- PNG, JPEG, TIFF ---------------------------------------------------------------------------


def _decode_raster(data: bytes, fmt: ImageFormat) -> list[PageImage]:
    pages: list[PageImage] = []
    total = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]]) as im:
                for index, frame in enumerate(ImageSequence.Iterator(im)):
                    if index >= MAX_PAGES:
                        raise ImageTooLarge(f"the {fmt.upper()} has more than {MAX_PAGES} pages")
                    total += _check_pixels(frame.size, total, what=f"page {index + 1}")
                    dpi = _pil_dpi(frame.info)
                    image = _normalise_mode(frame)
                    if fmt != "png":
                        image = ImageOps.exif_transpose(image)
                    pages.append(PageImage(image, index, dpi, fmt))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"the {fmt.upper()} is too large to decode ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            struct.error) as exc:
        raise CorruptImage(f"the {fmt.upper()} cannot be decoded ({type(exc).__name__})") from exc
    if not pages:
        raise CorruptImage(f"the {fmt.upper()} holds no image")
    return pages


def _pil_dpi(info: dict) -> float | None:
    dpi = info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = (float(v) for v in dpi[:2])
    except (TypeError, ValueError):
        return None
    return _plausible_dpi((x + y) / 2)


def _plausible_dpi(dpi: float | None) -> float | None:
    if dpi is None or not np.isfinite(dpi) or not _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1]:
        return None
    # PNG stores pixels per metre: 150 dpi comes back as 150.0114.
    return float(round(dpi)) if abs(dpi - round(dpi)) < 0.05 else round(dpi, 2)


def _normalise_mode(im: Image.Image) -> Image.Image:
    """RGB or L, fully decoded (the source file may be closed afterwards)."""
    mode = im.mode
    if mode in ("RGB", "L"):
        return im.copy()
    if mode == "1":
        return im.convert("L")
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode.startswith(("I", "F")):
        return Image.fromarray(_to_uint8(np.asarray(im, dtype=np.float64)), mode="L")
    return im.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV


def _to_uint8(arr: np.ndarray, low: float | None = None, high: float | None = None) -> np.ndarray:
    """Stretch ``arr`` linearly so that [low, high] (default: its range) maps to [0, 255]."""
    arr = arr.astype(np.float64, copy=False)
    lo = float(np.nanmin(arr)) if low is None else low
    hi = float(np.nanmax(arr)) if high is None else high
    if not np.isfinite(lo) or not np.isfinite(hi) or hi <= lo:
        return np.full(arr.shape, 255 if lo > 0 else 0, dtype=np.uint8)
    out = (arr - lo) * (255.0 / (hi - lo))
    return np.clip(np.nan_to_num(out), 0, 255).round().astype(np.uint8)


def _check_pixels(size: tuple[int, ...], total: int, *, what: str) -> int:
    pixels = 1
    for side in size:
        pixels *= max(int(side), 0)
    if pixels <= 0:
        raise CorruptImage(f"{what} has no pixels")
    if pixels > MAX_PAGE_PIXELS:
        raise ImageTooLarge(
            f"{what} would decode to {pixels:,} pixels (limit {MAX_PAGE_PIXELS:,})")
    if total + pixels > MAX_TOTAL_PIXELS:
        raise ImageTooLarge(f"the pages would decode to more than {MAX_TOTAL_PIXELS:,} pixels")
    return pixels


# -- PDF ---------------------------------------------------------------------------------------


def pdf_pages_without_text(data: bytes) -> list[int]:
    """Indexes (from 0) of the PDF's pages whose text layer is empty: the ones OCR must read.

    Raises:
        Encrypted, Corrupt: the PDF cannot be opened. ImageTooLarge: more than ``MAX_PAGES`` pages.
    """
    doc = open_pdf(data)
    try:
        if len(doc) > MAX_PAGES:
            raise ImageTooLarge(f"the PDF has {len(doc)} pages (limit {MAX_PAGES})")
        found: list[int] = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                if textpage.count_chars() < PDF_TEXT_CHARS or not textpage.get_text_range().strip():
                    found.append(index)
            finally:
                textpage.close()
                page.close()
        return found
    finally:
        doc.close()


def render_pdf_pages(data: bytes, pages: Iterable[int] | None = None, *,
                     dpi: float | None = None) -> list[PageImage]:
    """Render the given pages (all when None) of a PDF. ``dpi`` None renders each page at the
    resolution of its largest image, within ``PDF_DPI_RANGE`` (``PDF_DEFAULT_DPI`` for a page
    without images). The returned ``PageImage.dpi`` is the resolution rendered at.

    Raises:
        Encrypted, Corrupt (the PDF cannot be opened), CorruptImage (a page cannot be
        rendered), ImageTooLarge, UnsupportedImage (a page index the PDF does not have).
    """
    doc = open_pdf(data)
    try:
        count = len(doc)
        wanted = list(range(count)) if pages is None else list(pages)
        if len(wanted) > MAX_PAGES:
            raise ImageTooLarge(f"{len(wanted)} PDF pages to render (limit {MAX_PAGES})")
        out: list[PageImage] = []
        total = 0
        for index in wanted:
            if not 0 <= index < count:
                raise UnsupportedImage(f"the PDF has no page {index + 1}")
            page = doc[index]
            try:
                width_pt, height_pt = page.get_size()
                page_dpi = float(dpi) if dpi else _native_dpi(page)
                size = (round(width_pt * page_dpi / 72), round(height_pt * page_dpi / 72))
                total += _check_pixels(size, total, what=f"PDF page {index + 1}")
                try:
                    bitmap = page.render(scale=page_dpi / 72, may_draw_forms=True)
                except Exception as exc:  # pdfium reports render failures with its own types
                    raise CorruptImage(f"PDF page {index + 1} cannot be rendered") from exc
                image = _normalise_mode(bitmap.to_pil())
                bitmap.close()
            finally:
                page.close()
            out.append(PageImage(image, index, round(page_dpi, 2), "pdf"))
        return out
    finally:
        doc.close()


def _native_dpi(page) -> float:
    """The resolution of the largest image drawn on ``page`` (pixels per inch of page)."""
    import pypdfium2.raw as pdfium_c

    best_area, best_dpi = 0.0, None
    try:
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
            left, bottom, right, top = obj.get_bounds()
            width_pt, height_pt = right - left, top - bottom
            px_w, px_h = obj.get_px_size()
            area = width_pt * height_pt
            if area > best_area and width_pt > 1 and height_pt > 1 and px_w and px_h:
                best_area = area
                best_dpi = max(px_w / width_pt, px_h / height_pt) * 72
    except Exception:  # a page whose objects cannot be listed still renders: use the default
        best_dpi = None
    if best_dpi is None:
        return PDF_DEFAULT_DPI
    low, high = PDF_DPI_RANGE
    return min(max(best_dpi, low), high)


# -- DICOM -------------------------------------------------------------------------------------


def _dicom_without_preamble(head: bytes) -> bool:
    if len(head) < 8:
        return False
    group = int.from_bytes(head[0:2], "little")
    element = int.from_bytes(head[2:4], "little")
    if group not in (0x0002, 0x0008) or element >= 0x0100:
        return False
    vr = head[4:6]
    return (vr.isalpha() and vr.isupper()) or int.from_bytes(head[4:8], "little") < 0x10000


def _decode_dicom(data: bytes) -> list[PageImage]:
    from pydicom import dcmread
    from pydicom.errors import InvalidDicomError

    try:
        ds = dcmread(io.BytesIO(data), force=True)
        ds.PixelData  # noqa: B018 - read now so that a damaged element fails here
    except AttributeError as exc:
        raise UnsupportedImage("the DICOM object has no pixel data") from exc
    except (InvalidDicomError, EOFError, OSError, ValueError, KeyError, TypeError,
            OverflowError, struct.error, NotImplementedError) as exc:
        raise CorruptImage(f"the DICOM object cannot be read ({type(exc).__name__})") from exc
    if "PixelData" not in ds:
        raise UnsupportedImage("the DICOM object has no pixel data")

    rows, columns, frames, samples, bits = _dicom_geometry(ds)
    total = 0
    for frame in range(frames):
        total += _check_pixels((rows, columns), total, what=f"DICOM frame {frame + 1}")
    if frames > MAX_PAGES:
        raise ImageTooLarge(f"the DICOM object has {frames} frames (limit {MAX_PAGES})")

    syntax = _transfer_syntax(ds)
    if syntax is not None and syntax.is_compressed:
        from pydicom.pixels import get_decoder

        try:
            available = get_decoder(syntax).is_available
        except NotImplementedError:
            available = False
        if not available:
            raise UnsupportedImage(
                f"no decoder installed for the DICOM transfer syntax {syntax.name} ({syntax})")

    dpi = _dicom_dpi(ds)
    photometric = str(ds.get("PhotometricInterpretation", "")).strip().upper()
    pages: list[PageImage] = []
    for index, arr in enumerate(_dicom_frames(ds)):
        pages.append(PageImage(_dicom_image(arr, ds, photometric, bits), index, dpi, "dicom"))
    if not pages:
        raise CorruptImage("the DICOM object holds no frame")
    return pages


def _transfer_syntax(ds):  # -> pydicom.uid.UID | None
    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    return syntax if syntax else None


def _dicom_int(ds, keyword: str, default: int | None) -> int:
    value = ds.get(keyword, default)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        if default is not None and value in ("", None):
            return default
        raise CorruptImage(f"the DICOM {keyword} is not a number ({value!r})") from exc


def _dicom_geometry(ds) -> tuple[int, int, int, int, int]:
    rows = _dicom_int(ds, "Rows", None)
    columns = _dicom_int(ds, "Columns", None)
    frames = _dicom_int(ds, "NumberOfFrames", 1) or 1
    samples = _dicom_int(ds, "SamplesPerPixel", 1)
    bits = _dicom_int(ds, "BitsAllocated", None)
    if rows <= 0 or columns <= 0 or frames < 0 or samples not in (1, 3):
        raise CorruptImage(
            f"the DICOM image geometry is invalid ({rows}x{columns}, {samples} samples)")
    if bits not in (1, 8, 16, 32):
        raise UnsupportedImage(f"the DICOM image has {bits} bits allocated")
    return rows, columns, frames, samples, bits


def _dicom_frames(ds) -> Iterator[np.ndarray]:
    from pydicom.pixels import iter_pixels

    try:
        # YBR_* comes out as RGB (raw=False); palette indexes are mapped by the caller.
        yield from iter_pixels(ds)
    except (NotImplementedError, RuntimeError) as exc:
        raise UnsupportedImage(f"the DICOM pixel data cannot be decoded here ({exc})") from exc
    except (ValueError, TypeError, KeyError, AttributeError, EOFError, OSError,
            struct.error) as exc:
        raise CorruptImage(f"the DICOM pixel data is damaged ({type(exc).__name__})") from exc


def _dicom_image(arr: np.ndarray, ds, photometric: str, bits: int) -> Image.Image:
    from pydicom.pixels import apply_color_lut, apply_voi_lut

    if photometric == "PALETTE COLOR":
        try:
            arr = apply_color_lut(arr, ds)
        except (ValueError, KeyError, AttributeError, IndexError) as exc:
            raise CorruptImage("the DICOM palette cannot be applied") from exc
        high = float((1 << int(ds.get("RedPaletteColorLookupTableDescriptor", [0, 0, 16])[2])) - 1)
        return Image.fromarray(_to_uint8(arr, 0.0, high), mode="RGB")
    if arr.ndim == 3 and arr.shape[-1] == 3:
        if arr.dtype != np.uint8:
            stored = _dicom_int(ds, "BitsStored", bits)
            arr = _to_uint8(arr, 0.0, float((1 << stored) - 1))
        return Image.fromarray(np.ascontiguousarray(arr), mode="RGB")
    if arr.ndim != 2:
        raise UnsupportedImage(f"the DICOM frame has an unexpected shape {arr.shape}")
    if photometric not in ("MONOCHROME1", "MONOCHROME2", ""):
        raise UnsupportedImage(f"the DICOM photometric interpretation {photometric} is unsupported")
    windowed_by_file = "WindowCenter" in ds or "VOILUTSequence" in ds
    if arr.dtype == np.uint8 and bits == 8 and not windowed_by_file:
        gray = arr
    else:
        windowed = arr  # 1-bit (0/1), 12-16-bit or signed values: stretched over their range
        if windowed_by_file:
            try:
                windowed = apply_voi_lut(arr, ds)
            except (ValueError, KeyError, AttributeError, IndexError, TypeError):
                windowed = arr  # a damaged window: stretch the stored values instead
        gray = _to_uint8(windowed)
    if photometric == "MONOCHROME1":
        gray = 255 - gray
    return Image.fromarray(np.ascontiguousarray(gray), mode="L")


def _dicom_dpi(ds) -> float | None:
    """The page resolution a DICOM image states: Nominal Scanned Pixel Spacing (a scanned
    document) first, else Pixel Spacing; in mm per pixel."""
    for keyword in ("NominalScannedPixelSpacing", "PixelSpacing"):
        value = ds.get(keyword)
        try:
            spacing = [float(v) for v in value] if value is not None else []
        except (TypeError, ValueError):
            continue
        if len(spacing) == 2 and all(s > 0 for s in spacing):
            return _plausible_dpi(25.4 / (sum(spacing) / 2))
    return None
