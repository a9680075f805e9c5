"""The free-text reader: bytes of a text report, or the text layer of a PDF without a vendor
table, to a report document or a CONTRACT rejection.

* :func:`read_text` (bytes) decodes a text file and turns "not a report" and "a report without
  numbers" into the CONTRACT rejections;
* :func:`read_prose` (text, source) reads every fact the text states (measurements may be
  empty; the caller decides whether that is a rejection);
* :func:`looks_like_dxa` (text) says whether the text talks about bone densitometry at all.

The numbers are read by ``measurements`` (through ``values``), the other facts by ``facts``;
text preparation, sections and phrase lists (``parsers/vocabulary/``) are in ``text``. Lines
are cut to ``text.MAX_LINE`` characters and every regular expression is bounded, so
pathological input costs linear time.
"""

from __future__ import annotations

from dexa.contract import (
    Empty,
    NoMeasurements,
    NotDxa,
    Patient,
    ReportDocument,
    Source,
    Study,
    TooLarge,
)
from parsers.history import read_frax, read_risk_factors, read_text_history
from parsers.kit.dates import date_order, locale_day_first, order_by_age
from parsers.kit.text import decode_text, key
from parsers.prose.facts import (
    phrase_value,
    printed_age,
    read_excluded_vertebrae,
    read_identifier,
    read_patient,
    read_printed_category,
    read_scan_date,
    read_vendor,
)
from parsers.prose.measurements import read_measurements
from parsers.prose.tables import TableReading, read_tables
from parsers.prose.text import (
    DATA,
    MAX_TEXT,
    clauses,
    has,
    labelled,
    labelled_date,
    paragraphs,
    prepare,
    reported,
)

MAX_BYTES = 1_000_000  # a dictated report is a few kilobytes

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
    text = decode_text(data)
    if not text.strip(" \t\r\n\f\v\x00\ufeff"):
        raise Empty("the text file holds only white space")
    if not looks_like_dxa(text):
        raise NotDxa("the text is not a bone densitometry (DXA) report")
    report = read_prose(text, source=Source(path=path, sha256=sha256, kind="text"))
    if not report.measurements:
        raise NoMeasurements("the DXA report text gives no readable BMD, T-score or Z-score")
    return report


def looks_like_dxa(text: str) -> bool:
    """At least two kinds of densitometry evidence (a method word, BMD, T- or Z-score, a WHO
    category, a DXA site): a letter mentioning a "bone density scan" is not a report."""
    normed = key(text[:MAX_TEXT])
    return sum(has(items, normed) for items in DATA["dxa_evidence"]) >= 2


def _with_table_age(patient: Patient, text: str, tables: TableReading) -> Patient:
    """The age printed on a results table's current rows where the text prints no other: a
    printed age comes before one derived from the birth and scan dates (CONTRACT)."""
    if printed_age(text) is not None or (age := tables.age()) is None:
        return patient
    return patient.model_copy(update={"age_years": age})


def read_prose(text: str, *, source: Source, known_dates: tuple[str, ...] = ()) -> ReportDocument:
    """Read every fact a free-text DXA report states. Never raises on odd text; a report with
    no readable numbers comes back with ``measurements == []`` for the caller to reject.
    ``known_dates`` are ISO days the caller knows the report's dates include (a FHIR report's
    coded ones): where the text's own dates leave their order open, they decide it."""
    lines = prepare(text)
    joined = "\n".join(lines)
    order = date_order(joined, known_dates)
    day_first = order.day_first
    if day_first is None and order.ambiguous:  # the printed age may decide
        day_first = order_by_age(printed_age(joined), lambda first: (
            labelled_date(joined, "birth_date", first), read_scan_date(lines, joined, first)))
    warnings = order.warnings if day_first is None else []
    if day_first is None and order.ambiguous:  # else the country the report comes from
        day_first = locale_day_first(joined)
    paras = paragraphs(lines)
    tables = read_tables(prepare(text, tabs=True) if "\t" in text else lines, day_first)
    prose_lines = [("" if number in tables.consumed else line)
                   for number, line in enumerate(lines)]
    scan_date = read_scan_date(lines, joined, day_first) or tables.scan_date()
    reading = read_measurements(paragraphs(prose_lines), "\n".join(prose_lines), day_first,
                                tables, scan_date)
    history = read_text_history(joined, scan_date=scan_date)
    if source.vendor is None:
        source = source.model_copy(update={"vendor": read_vendor(paras)})
    return ReportDocument(
        source=source,
        patient=_with_table_age(read_patient(joined, scan_date, day_first, history), joined,
                                tables),
        study=Study(
            scan_date=scan_date,
            accession=read_identifier(joined, "accession"),
            reference_database=phrase_value(labelled(joined, "reference_database")),
            excluded_vertebrae=read_excluded_vertebrae(joined),
            printed_category=read_printed_category(paras),
        ),
        measurements=list(reading.measurements.values()),
        frax=read_frax(reported(paras)),
        fracture_history=history.fracture_history,
        therapy=history.therapy,
        risk_factors=read_risk_factors(clauses(paras)),
        priors=[p for p in reading.priors.values() if p.scan_date != scan_date],
        lsc=list(reading.lsc.values()),
        warnings=warnings + history.warnings,
    )
