"""Plain-text DXA reports (dictated, transcribed, machine-written): bytes to a report document.

The reading itself is :func:`parsers.prose.read_prose`; this module decodes the bytes and turns
"not a report" and "a report without numbers" into the CONTRACT rejections.
"""

from __future__ import annotations

import codecs

from dexa.contract import Empty, NoMeasurements, NotDxa, ReportDocument, Source, TooLarge
from parsers.prose import looks_like_dxa, read_prose

MAX_BYTES = 1_000_000  # a dictated report is a few kilobytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with BOM, else cp1252 (undefined bytes replaced)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(data: bytes, *, path: str, sha256: str) -> ReportDocument:
    """Read one text report.

    Raises:
        Empty: nothing but white space.
        TooLarge: more than MAX_BYTES.
        NotDxa: the text is not about bone densitometry (a letter, a lab report, a CSV).
        NoMeasurements: a DXA report whose numbers cannot be read (a blank template).
    """
    if len(data) > MAX_BYTES:
        raise TooLarge(f"a text report of {len(data)} bytes is larger than {MAX_BYTES}")
    text = decode(data)
    if not text.strip(" \t\r\n\f\v\x00\ufeff"):
        raise Empty("the text file holds only white space")
    if not looks_like_dxa(text):
        raise NotDxa("the text is not a bone densitometry (DXA) report")
    report = read_prose(text, source=Source(path=path, sha256=sha256, kind="text"))
    if not report.measurements:
        raise NoMeasurements("the DXA report text gives no readable BMD, T-score or Z-score")
    return report
