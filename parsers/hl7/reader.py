"""An HL7 v2 result message (ORU) to a report document, ``source.kind`` "text": its text
read by the free-text reader (``parsers.prose.read_prose``), its LOINC-coded numeric results
(``parsers.loinc``) filling the measurements where the text leaves them null."""

from __future__ import annotations

from dexa.contract import NoMeasurements, NotDxa, ReportDocument, Source, TooLarge
from parsers.hl7.message import coded_values, parse, report_text
from parsers.kit.text import decode_text
from parsers.loinc import coded_measurements, with_coded
from parsers.prose import looks_like_dxa, read_prose
from parsers.prose.reader import MAX_BYTES


def read_hl7(data: bytes, *, path: str, sha256: str) -> ReportDocument:
    """Read one HL7 v2 message (a file whose text starts with ``MSH``, ``FHS`` or ``BHS``).

    Raises:
        TooLarge: more than the text reader's MAX_BYTES.
        NotDxa: neither its text nor its coded results are about bone densitometry.
        NoMeasurements: a DXA report whose text and results give no BMD, T- or Z-score.
    """
    if len(data) > MAX_BYTES:
        raise TooLarge(f"an HL7 message of {len(data)} bytes is larger than {MAX_BYTES}")
    return read_message(decode_text(data), Source(path=path, sha256=sha256, kind="text"))


def read_message(text: str, source: Source) -> ReportDocument:
    """One HL7 v2 message as text (a file's, or a PDF's that printed one) to a report
    document with ``source``; raises as :func:`read_hl7`."""
    message = parse(text)
    if message is None:
        raise NotDxa("the text is not an HL7 v2 message")
    text = report_text(message)
    coded = coded_measurements(coded_values(message))
    if not coded and not looks_like_dxa(text):
        raise NotDxa("the HL7 message is not a bone densitometry (DXA) report")
    report = read_prose(text, source=source)
    report.measurements = with_coded(report.measurements, coded)
    if not report.measurements:
        raise NoMeasurements("the HL7 DXA report gives no readable BMD, T-score or Z-score")
    return report
