"""Format detection by content: magic bytes and text heuristics, never the file name."""

from __future__ import annotations

import pytest

from parsers.sniff import InputKind, sniff
from tests.synth.cases import motivating_case
from tests.synth.sr import ge_enhanced_sr
from tests.synth.text import dictated_text


def test_dicom_with_and_without_preamble() -> None:
    data = ge_enhanced_sr(motivating_case())
    assert sniff(data) is InputKind.DICOM
    assert sniff(data[132:]) is InputKind.DICOM  # stream without preamble and DICM


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"])
def test_text_in_every_encoding(encoding: str) -> None:
    text = dictated_text(motivating_case()).replace("−", "-")
    assert sniff(text.encode(encoding)) is InputKind.TEXT


@pytest.mark.parametrize("data", [b"GIF89a" + bytes(64), bytes(range(256)) * 4,
                                  b"PK\x03\x04zipzip"])
def test_binaries_are_not_text(data: bytes) -> None:
    assert sniff(data) is InputKind.OTHER_BINARY


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(64), b"\xff\xd8\xff\xe0" + bytes(64),
                                  b"II*\x00" + bytes(64), b"MM\x00*" + bytes(64)])
def test_page_images_are_images(data: bytes) -> None:
    assert sniff(data) is InputKind.IMAGE


def test_png_magic_needs_its_whole_signature() -> None:
    """The look-alike: text that starts with the letters PNG is not an image."""
    assert sniff(b"\x89PNG report\n" + b"text " * 20) is not InputKind.IMAGE


def test_pdf_magic_after_junk_bytes() -> None:
    assert sniff(b"\r\n%PDF-1.7\n...") is InputKind.PDF


def test_utf16_text_report_parses_end_to_end() -> None:
    import parsers

    doc = parsers.parse_bytes(dictated_text(motivating_case()).encode("utf-16"), "r.txt")
    assert doc.source.kind == "text" and doc.measurements
