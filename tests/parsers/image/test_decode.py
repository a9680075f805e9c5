"""parsers.image.decode: every container a report page arrives in, and the guards."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dexa.contract import Corrupt, Encrypted
from parsers.image import decode
from parsers.image.decode import (
    MAX_PAGES,
    PageImage,
    decode_pages,
    detect_format,
    pdf_pages_without_text,
    render_pdf_pages,
)
from parsers.image.errors import CorruptImage, ImageTooLarge, UnsupportedImage
from tests.parsers.image import pages


@pytest.fixture(scope="module")
def page() -> pages.Page:
    return pages.table_page(150)


def _ink(image: Image.Image) -> float:
    """Share of dark pixels: text pages are mostly white."""
    gray = np.asarray(image.convert("L"))
    return float((gray < 128).mean())


def _assert_page(result: PageImage, like: Image.Image, *, dpi: float | None) -> None:
    assert result.image.mode in ("RGB", "L")
    assert result.image.size == like.size
    assert result.dpi == (pytest.approx(dpi, abs=0.5) if dpi else None)
    assert 0.005 < _ink(result.image) < 0.2  # text on white, not inverted or blank


def test_png_keeps_pixels_and_dpi(page: pages.Page) -> None:
    [result] = decode_pages(pages.png_bytes(page.image, dpi=150))
    _assert_page(result, page.image, dpi=150)
    assert result.source_format == "png" and result.index == 0
    assert np.array_equal(np.asarray(result.image), np.asarray(page.image))


def test_png_without_dpi_says_unknown(page: pages.Page) -> None:
    [result] = decode_pages(pages.png_bytes(page.image))
    assert result.dpi is None


def test_grayscale_and_alpha_pngs_become_l_or_rgb(page: pages.Page) -> None:
    [gray] = decode_pages(pages.png_bytes(page.image.convert("L")))
    assert gray.image.mode == "L"
    rgba = page.image.convert("RGBA")
    rgba.putalpha(Image.new("L", rgba.size, 0))  # fully transparent: composited on white
    [flat] = decode_pages(pages.png_bytes(rgba))
    assert flat.image.mode == "RGB" and _ink(flat.image) == 0.0


def test_jpeg(page: pages.Page) -> None:
    [result] = decode_pages(pages.jpeg_bytes(page.image, quality=80, dpi=150))
    _assert_page(result, page.image, dpi=150)


def test_every_page_of_a_multipage_tiff(page: pages.Page) -> None:
    second = pages.table_page(150, size_pt=10).image.convert("L")
    result = decode_pages(pages.tiff_bytes([page.image, second], dpi=150))
    assert [p.index for p in result] == [0, 1]
    _assert_page(result[0], page.image, dpi=150)
    _assert_page(result[1], second, dpi=150)
    assert result[1].image.mode == "L"


def test_image_only_pdf_renders_at_the_image_resolution(page: pages.Page) -> None:
    data = pages.image_pdf_bytes(page.image, 150)
    assert pdf_pages_without_text(data) == [0]
    [result] = decode_pages(data)
    assert result.source_format == "pdf"
    assert result.dpi == pytest.approx(150, abs=1)
    assert abs(result.image.width - page.image.width) <= 2
    assert 0.005 < _ink(result.image) < 0.2


def test_pdf_pages_with_text_are_left_to_the_pdf_reader(page: pages.Page) -> None:
    data = pages.image_pdf_bytes(page.image, 150, text_page=True)
    assert pdf_pages_without_text(data) == [1]
    assert [p.index for p in decode_pages(data)] == [1]
    rendered = render_pdf_pages(data, [0, 1], dpi=100)
    assert [p.index for p in rendered] == [0, 1]
    assert all(p.dpi == 100 for p in rendered)
    assert rendered[1].image.width == round(page.image.width * 100 / 150)
    with pytest.raises(UnsupportedImage):
        render_pdf_pages(data, [2])


def test_secondary_capture_rgb(page: pages.Page) -> None:
    data = pages.dicom_sc_rgb(page.image, pixel_spacing_mm=25.4 / 150)
    assert detect_format(data) == "dicom"
    [result] = decode_pages(data)
    _assert_page(result, page.image, dpi=150)
    assert result.image.mode == "RGB"
    assert np.array_equal(np.asarray(result.image), np.asarray(page.image.convert("RGB")))


def test_secondary_capture_planar_configuration_1(page: pages.Page) -> None:
    [result] = decode_pages(pages.dicom_sc_rgb(page.image, planar=1))
    assert result.dpi is None  # no spacing stated
    assert np.array_equal(np.asarray(result.image), np.asarray(page.image.convert("RGB")))


def test_16_bit_monochrome2_is_stretched_to_8_bit(page: pages.Page) -> None:
    [result] = decode_pages(pages.dicom_gray16([page.image]))
    assert result.image.mode == "L"
    _assert_page(result, page.image, dpi=None)
    gray = np.asarray(result.image)
    assert gray.min() == 0 and gray.max() == 255


def test_16_bit_with_a_window(page: pages.Page) -> None:
    [result] = decode_pages(pages.dicom_gray16([page.image], window=(2100, 3800)))
    _assert_page(result, page.image, dpi=None)


def test_monochrome1_is_inverted(page: pages.Page) -> None:
    [mono1] = decode_pages(pages.dicom_gray16([page.image], photometric="MONOCHROME1"))
    [mono2] = decode_pages(pages.dicom_gray16([page.image]))
    difference = np.asarray(mono1.image, dtype=int) - np.asarray(mono2.image, dtype=int)
    assert np.abs(difference).max() <= 1


def test_1_bit_dicom_is_black_on_white(page: pages.Page) -> None:
    from pydicom.pixels import pack_bits

    ds = pages._dataset(pages.SECONDARY_CAPTURE)
    bits = (np.asarray(page.image.convert("L")) >= 128).astype(np.uint8)  # 1 = white
    ds.Rows, ds.Columns = bits.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 1
    ds.HighBit = 0
    ds.PixelRepresentation = 0
    ds.PixelData = pack_bits(bits)
    [result] = decode_pages(pages._write(ds))
    _assert_page(result, page.image, dpi=None)
    assert set(np.unique(np.asarray(result.image))) == {0, 255}


def test_multiframe_dicom_gives_one_page_per_frame(page: pages.Page) -> None:
    other = pages.table_page(150, size_pt=10).image
    result = decode_pages(pages.dicom_gray16([page.image, other]))
    assert [p.index for p in result] == [0, 1]
    assert all(p.image.size == page.image.size for p in result)
    assert not np.array_equal(np.asarray(result[0].image), np.asarray(result[1].image))


def test_jpeg_baseline_dicom_decodes_through_pillow(page: pages.Page) -> None:
    [result] = decode_pages(pages.dicom_jpeg_baseline(page.image))
    assert result.image.mode == "RGB"
    _assert_page(result, page.image, dpi=None)


def test_transfer_syntax_without_a_decoder_is_a_typed_failure(page: pages.Page) -> None:
    from pydicom.pixels import get_decoder
    from pydicom.uid import JPEGLosslessSV1

    if get_decoder(JPEGLosslessSV1).is_available:
        pytest.skip("a JPEG Lossless decoder (pylibjpeg/gdcm) is installed here")
    with pytest.raises(UnsupportedImage, match="JPEG Lossless") as caught:
        decode_pages(pages.dicom_with_syntax(page.image, JPEGLosslessSV1))
    assert caught.value.code == "unsupported_format"


def test_dicom_without_pixel_data_is_not_an_image() -> None:
    from pydicom.uid import generate_uid

    ds = pages._dataset("1.2.840.10008.5.1.4.1.1.88.22")
    ds.SOPInstanceUID = generate_uid()
    with pytest.raises(UnsupportedImage, match="no pixel data"):
        decode_pages(pages._write(ds))


# -- guards -------------------------------------------------------------------------------------


def test_png_bomb_is_refused_before_decoding() -> None:
    # 7,000 x 7,000 = 49 Mpx: under Pillow's own bomb limit, over ours.
    with pytest.raises(ImageTooLarge) as caught:
        decode_pages(pages.png_header_only(7_000, 7_000))
    assert caught.value.code == "too_large"
    # 60,000 x 60,000: Pillow itself refuses to open it; still too_large.
    with pytest.raises(ImageTooLarge):
        decode_pages(pages.png_header_only(60_000, 60_000))


def test_dicom_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        decode_pages(pages.dicom_header_only(60_000, 60_000, 1))
    with pytest.raises(ImageTooLarge):
        decode_pages(pages.dicom_header_only(1_000, 1_000, MAX_PAGES + 1))


def test_pdf_page_too_large_to_render(monkeypatch: pytest.MonkeyPatch,
                                      page: pages.Page) -> None:
    data = pages.image_pdf_bytes(page.image, 150)
    monkeypatch.setattr(decode, "MAX_PAGE_PIXELS", 100_000)
    with pytest.raises(ImageTooLarge):
        render_pdf_pages(data, dpi=150)


def test_password_protected_pdf_is_encrypted() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(Encrypted) as caught:
        decode_pages(bytes(pdf.output()))
    assert caught.value.code == "encrypted"


def test_truncated_and_foreign_bytes(page: pages.Page) -> None:
    png = pages.png_bytes(page.image)
    with pytest.raises(CorruptImage) as caught:
        decode_pages(png[: len(png) // 2])
    assert caught.value.code == "corrupt"
    with pytest.raises(CorruptImage):
        decode_pages(pages.dicom_sc_rgb(page.image)[:-5000])
    with pytest.raises(Corrupt):
        decode_pages(b"%PDF-1.7\n garbage")
    with pytest.raises(UnsupportedImage):
        decode_pages(b"GIF89a" + b"\x00" * 100)
    with pytest.raises(UnsupportedImage):
        decode_pages(b"plain text, not an image")
