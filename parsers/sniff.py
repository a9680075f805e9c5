"""Tell DICOM, PDF, text, page images and other binaries apart by their first bytes."""

from __future__ import annotations

import enum

from parsers.kit.text import BOMS


class InputKind(enum.Enum):
    DICOM = "dicom"
    PDF = "pdf"
    TEXT = "text"
    IMAGE = "image"
    OTHER_BINARY = "binary"

    def describe(self) -> str:
        return {
            InputKind.OTHER_BINARY: "not a DICOM file, a PDF, a text report or a page image",
        }.get(self, f"unsupported {self.value} input")


_TEXT_BOMS = tuple(bom for bom, _ in BOMS)
# page images read by OCR: PNG, JPEG, TIFF (little and big endian)
_PAGE_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OTHER_BINARY_MAGICS = (b"GIF8", b"PK\x03\x04")


def _looks_like_dicom_without_preamble(head: bytes) -> bool:
    """A DICOM stream written without the 128-byte preamble starts with a group 0002 or 0008
    element (little endian), e.g. ``02 00 00 00`` or ``08 00 05 00``."""
    if len(head) < 8:
        return False
    group = int.from_bytes(head[0:2], "little")
    element = int.from_bytes(head[2:4], "little")
    if group not in (0x0002, 0x0008):
        return False
    vr = head[4:6]
    explicit = vr.isalpha() and vr.isupper()
    return element < 0x0100 and (explicit or int.from_bytes(head[4:8], "little") < 0x10000)


def sniff(data: bytes) -> InputKind:
    if len(data) >= 132 and data[128:132] == b"DICM":
        return InputKind.DICOM
    if _looks_like_dicom_without_preamble(data[:8]):
        return InputKind.DICOM
    if b"%PDF-" in data[:1024]:
        return InputKind.PDF
    head = data[:4096]
    if head.startswith(_TEXT_BOMS):  # UTF-16/32 text has NUL bytes: trust its byte-order mark
        return InputKind.TEXT
    if head.startswith(_PAGE_IMAGE_MAGICS):
        return InputKind.IMAGE
    if head.startswith(_OTHER_BINARY_MAGICS) or b"\x00" in head:
        return InputKind.OTHER_BINARY
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 4 KiB boundary
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return InputKind.OTHER_BINARY
        else:
            text = head[: exc.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text)
    return InputKind.TEXT if text and printable / len(text) > 0.95 else InputKind.OTHER_BINARY
