"""Synthetic report pages and containers for the image tests, all made in code.

``table_page(dpi)`` draws a small DXA results table with a real TrueType font (DejaVu Sans, as
installed with Debian's fonts-dejavu-core) and returns the page with the truth: each value as
printed and the centre of its cell in page points. The containers (PNG, JPEG, TIFF, PDF, DICOM)
wrap such pages the way sites send them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF"))
MINUS = "\u2212"

# Region, BMD, T, Z: includes a Unicode minus (U+2212) and ASCII hyphen-minus values.
ROWS = [
    ("L1-L4", "1.058", "0.1", "1.4"),
    ("Neck Left", "0.618", "-2.0", "-0.6"),
    ("Total Left", "0.808", f"{MINUS}1.1", "0.2"),
    ("Neck Right", "0.702", "-2.7", "-1.3"),
]
HEADER = ("Region", "BMD (g/cm2)", "T-score", "Z-score")
COLUMNS_PT = (54.0, 170.0, 260.0, 340.0)  # left edge of each column, points


def font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"no {name} on this machine (Debian: apt-get install fonts-dejavu-core)")


@dataclass(frozen=True)
class Cell:
    text: str
    x_pt: float  # centre
    y_pt: float  # centre


@dataclass(frozen=True)
class Page:
    image: Image.Image
    dpi: float
    cells: list[Cell]  # the numbers, in reading order

    @property
    def values(self) -> list[str]:
        return [c.text for c in self.cells]


def table_page(dpi: float = 150, *, size_pt: float = 9.0, width_in: float = 6.0,
               height_in: float = 2.2, mode: str = "RGB") -> Page:
    """A page with a title, a header row and ``ROWS``; numbers right where ``cells`` say."""
    scale = dpi / 72.0
    image = Image.new(mode, (round(width_in * dpi), round(height_in * dpi)), "white")
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(font_path()), round(size_pt * scale))
    bold = ImageFont.truetype(str(font_path(bold=True)), round(size_pt * scale))
    draw.text((54 * scale, 30 * scale), "DXA Results Summary:", font=bold, fill="black")
    y = 60.0
    for x, label in zip(COLUMNS_PT, HEADER, strict=True):
        draw.text((x * scale, y * scale), label, font=bold, fill="black")
    cells: list[Cell] = []
    for row in ROWS:
        y += size_pt * 2.0
        for column, (x, text) in enumerate(zip(COLUMNS_PT, row, strict=True)):
            draw.text((x * scale, y * scale), text, font=regular, fill="black")
            if column:
                left, top, right, bottom = draw.textbbox((x * scale, y * scale), text,
                                                         font=regular)
                cells.append(Cell(text, (left + right) / 2 / scale, (top + bottom) / 2 / scale))
    return Page(image, dpi, cells)


def png_bytes(image: Image.Image, dpi: float | None = None) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def jpeg_bytes(image: Image.Image, quality: int = 85, dpi: float | None = None) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def tiff_bytes(images: list[Image.Image], dpi: float = 150) -> bytes:
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                   compression="tiff_deflate")
    return buf.getvalue()


def image_pdf_bytes(image: Image.Image, dpi: float, *, text_page: bool = False) -> bytes:
    """A PDF whose page is the image (no text layer); with ``text_page`` a first page that
    does have text is put before it."""
    from fpdf import FPDF

    width_pt, height_pt = image.width * 72 / dpi, image.height * 72 / dpi
    pdf = FPDF(unit="pt", format=(width_pt, height_pt))
    pdf.set_auto_page_break(False)
    if text_page:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.text(40, 40, "This page has a text layer.")
    pdf.add_page()
    buf = io.BytesIO()
    image.save(buf, "PNG")
    buf.seek(0)
    pdf.image(buf, x=0, y=0, w=width_pt, h=height_pt)
    return bytes(pdf.output())


SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
MULTIFRAME_GRAY_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3"


def _dataset(sop_class: str, transfer_syntax: str | None = None):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid(prefix="2.25.")
    meta.TransferSyntaxUID = transfer_syntax or ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(prefix="2.25.")
    ds.SeriesInstanceUID = generate_uid(prefix="2.25.")
    ds.Modality = "OT"
    ds.ConversionType = "WSD"
    ds.PatientID = "SYN001"
    return ds


def _colour_8bit(ds, rows: int, columns: int, *, photometric: str = "RGB",
                 planar: int = 0) -> None:
    """The Image Pixel module of an 8-bit, three-sample image."""
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = photometric
    ds.PlanarConfiguration = planar
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0


def _jpeg_frame_sc(image: Image.Image, transfer_syntax: str, photometric: str,
                   quality: int) -> bytes:
    """An SC whose pixel data is one encapsulated JPEG frame, labelled ``transfer_syntax``."""
    from pydicom.encaps import encapsulate

    ds = _dataset(SECONDARY_CAPTURE, transfer_syntax)
    rgb = image.convert("RGB")
    _colour_8bit(ds, rgb.height, rgb.width, photometric=photometric)
    ds.PixelData = encapsulate([jpeg_bytes(rgb, quality)])
    ds["PixelData"].VR = "OB"
    return _write(ds)


def _write(ds) -> bytes:
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def dicom_sc_rgb(image: Image.Image, *, planar: int = 0, pixel_spacing_mm: float | None = None,
                 ) -> bytes:
    """A Secondary Capture (SOP 1.2.840.10008.5.1.4.1.1.7), Modality OT, RGB, 8-bit."""
    ds = _dataset(SECONDARY_CAPTURE)
    rgb = np.asarray(image.convert("RGB"))
    _colour_8bit(ds, *rgb.shape[:2], planar=planar)
    if pixel_spacing_mm:
        ds.PixelSpacing = [f"{pixel_spacing_mm:.6f}"] * 2
    data = rgb.transpose(2, 0, 1) if planar else rgb
    ds.PixelData = np.ascontiguousarray(data).tobytes()
    return _write(ds)


def dicom_gray16(images: list[Image.Image], *, photometric: str = "MONOCHROME2",
                 window: tuple[float, float] | None = None) -> bytes:
    """A 16-bit grayscale image (one frame per image): paper white stored as 4000, ink as 200
    (MONOCHROME2), or inverted for MONOCHROME1."""
    ds = _dataset(MULTIFRAME_GRAY_WORD_SC if len(images) > 1 else SECONDARY_CAPTURE)
    frames = []
    for image in images:
        gray = np.asarray(image.convert("L"), dtype=np.float64) / 255.0
        if photometric == "MONOCHROME1":
            gray = 1.0 - gray
        frames.append((200 + gray * 3800).round().astype(np.uint16))
    ds.Rows, ds.Columns = frames[0].shape
    if len(frames) > 1:
        ds.NumberOfFrames = len(frames)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    if window:
        ds.WindowCenter, ds.WindowWidth = window
    ds.PixelData = np.stack(frames).astype("<u2").tobytes()
    return _write(ds)


def dicom_jpeg_baseline(image: Image.Image, quality: int = 90) -> bytes:
    """A Secondary Capture whose pixel data is one JPEG baseline frame (YBR_FULL_422)."""
    from pydicom.uid import JPEGBaseline8Bit

    return _jpeg_frame_sc(image, JPEGBaseline8Bit, "YBR_FULL_422", quality)


def dicom_with_syntax(image: Image.Image, transfer_syntax: str) -> bytes:
    """An RGB SC labelled with a compressed transfer syntax (the frame bytes are a JPEG)."""
    return _jpeg_frame_sc(image, transfer_syntax, "RGB", 85)


def dicom_header_only(rows: int, columns: int, frames: int) -> bytes:
    """An RGB SC whose header claims a huge image over a few bytes of pixel data."""
    ds = _dataset(SECONDARY_CAPTURE)
    _colour_8bit(ds, rows, columns)
    ds.NumberOfFrames = frames
    ds.PixelData = b"\x00" * 12
    return _write(ds)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height (8-bit gray) over an empty image stream."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
