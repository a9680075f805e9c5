"""A report document from a vendor PDF printout, or from a PDF holding a dictated report.

Order of reading: the text layer (PDFium), tables by their column headers, key-value score
blocks, then header and footer facts. A PDF whose text has no vendor table goes to the
free-text reader (``parsers.prose``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache

from dexa.contract import (
    Frax,
    Lsc,
    Measurement,
    NoMeasurements,
    NotDxa,
    NoTextLayer,
    Patient,
    Prior,
    ReportDocument,
    Source,
    SourceKind,
    Study,
)
from parsers.history import read_frax, read_text_history
from parsers.history.frax import speaks_of_bmd_use
from parsers.hl7 import is_message, read_message
from parsers.kit.dates import (
    DATE_ORDER_ASSUMED,
    age_at,
    date_order,
    locale_day_first,
    order_by_age,
)
from parsers.kit.identifiers import identifier
from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import key
from parsers.kit.vocabulary import load
from parsers.labels import (
    Site,
    family_of,
    levels_of,
    side_of,
    site_from_labels,
    summary_sites,
)
from parsers.pdf import facts
from parsers.pdf.blocks import block_site, find_blocks
from parsers.pdf.geometry import image_coverage, read_text_layer
from parsers.pdf.layout import Line, PageWords, TextLayer, text_layer
from parsers.pdf.tables import Row, Table, find_tables
from parsers.prose import looks_like_dxa, read_prose
from parsers.prose.facts import printed_age, read_scan_date
from parsers.prose.text import labelled_date, paragraphs, prepare, reported

T_Z_COLUMN_EMPTY = "T_Z_COLUMN_EMPTY"
_CONTEXT_LOOKBACK = 250
_TITLE_GAP = 30.0
_EDGE_TOLERANCE = 3.0  # points: runs starting this close start at one block edge
_BLOCK_RUNS = 3
_FRAX_CONTEXT = phrase_matcher(load("frax")["frax_context"])  # no such words: no FRAX
_FRAX_BOX_LINES = 10  # a FRAX box: its title line and the lines under it
# the first word of a FRAX context phrase, anywhere in a line's lower case: a cheap first test
_FRAX_FIRST_WORD = re.compile("|".join(sorted(
    {re.escape(phrase.split()[0]) for phrase in load("frax")["frax_context"]})))
_FEW_CHARS_PER_PAGE = 300  # fewer on a page that is mostly image: a picture of a report
# lines that name a body part without being about the scan ("Hip Fracture 1.6%")
_NOT_CONTEXT = re.compile(r"\b(?:fracture|FRAX|risk)\b", re.IGNORECASE)
_FAMILY_WORD = {"spine": "spine", "hip": "hip", "forearm": "forearm", "total_body": "body"}
_MEASURE_FIELDS = ("bmd_g_cm2", "t_score", "z_score", "young_adult_pct", "age_matched_pct",
                   "bmc_g", "area_cm2")

SiteKey = tuple[str, str | None, str | None]


def _key(site: Site | Measurement | Prior) -> SiteKey:
    return (site.region, site.side, site.levels)


class _Sites:
    """Reads a row's site from its labels within the body part (and side) its page is about.

    ``outer`` lists context lines, nearest first: the body part is the first one named, the
    side the first one named by a line that also names a body part."""

    def __init__(self, outer: list[str]) -> None:
        family = next((f for f in map(family_of, outer) if f), None)
        side = next((side_of(text) for text in outer if family_of(text) and side_of(text)), None)
        self.family = family
        self.outer = " ".join(w for w in (side, _FAMILY_WORD.get(family or "")) if w)

    def of(self, *labels: str) -> Site | None:
        if self.family == "total_body" and labels and key(labels[-1]) == " total ":
            return Site(region="total_body", side=None, levels=None)
        if self.family == "total_body" and labels \
                and family_of(labels[-1]) not in (None, "total_body"):
            return None  # a part of the whole-body scan ("L Spine"), not a scan of that site
        site = _site(self.outer, *labels)
        if site is None and labels and levels_of(labels[-1]):  # L1 under a stray "hip" title
            site = _site(*labels)
        return site


_site = lru_cache(maxsize=4096)(site_from_labels)


def _context(lines: list[Line], table: Table | int) -> list[str]:
    """The lines that say which body part a table (or block) is about, nearest first: the
    title right above it, the nearest line naming a body part above it on its page (else below
    it, else on earlier pages), and the nearest one on its page naming a side as well."""
    first = table.first_line if isinstance(table, Table) else table
    end = table.end_line if isinstance(table, Table) else first + 1
    page = lines[first].page
    above = [lines[i] for i in range(first - 1, max(-1, first - _CONTEXT_LOOKBACK), -1)]
    same_page = [ln for ln in above if ln.page == page] + [
        ln for ln in lines[end:end + _CONTEXT_LOOKBACK] if ln.page == page]
    candidates = same_page + [ln for ln in above if ln.page != page]
    labels = []
    if first and lines[first - 1].page == page \
            and lines[first].top - lines[first - 1].bottom < _TITLE_GAP:
        labels.append(lines[first - 1].text)
    nearest = sided = None  # the first candidate naming a body part, and one also a side
    for line in candidates:  # same page first: past it, no side is looked for
        if nearest is not None and (sided is not None or line.page != page):
            break
        if _NOT_CONTEXT.search(line.text) or not family_of(line.text):
            continue
        nearest = nearest or line.text
        if sided is None and line.page == page and side_of(line.text):
            sided = line.text
    return labels + [text for text in (nearest, sided) if text]


def _trend_site(lines: list[Line], table: Table, sites: _Sites) -> Site | None:
    page = lines[table.anchor_line].page
    for index in range(table.anchor_line - 1, max(-1, table.anchor_line - 12), -1):
        if lines[index].page != page:
            break
        site = sites.of(lines[index].text)
        if site:
            return site
    return None


class _Collector:
    """Measurements (merged per site, first value wins), dated rows and warnings of all
    tables of a document."""

    def __init__(self, day_first: bool | None) -> None:
        self.day_first = day_first
        self.measurements: dict[SiteKey, Measurement] = {}
        self.decimals: dict[tuple[SiteKey, str], int] = {}  # printed decimals of a value
        self.history: list[tuple[str, Site, float | None]] = []
        self.warnings: list[str] = []
        self.scan_dates: list[str] = []  # dates of the current rows of dated tables
        self.age: float | None = None  # the age printed on a current dated row

    def measure(self, site: Site, values: dict[str, float | None],
                decimals: dict[str, int] | None = None) -> None:
        fields = {k: v for k, v in values.items() if k in _MEASURE_FIELDS and v is not None}
        if not fields:
            return
        existing = self.measurements.get(_key(site))
        if existing is None:
            self.measurements[_key(site)] = Measurement(region=site.region, side=site.side,
                                                        levels=site.levels, **fields)
            taken = list(fields)
        else:
            taken = [name for name in fields if getattr(existing, name) is None]
            for name in taken:
                setattr(existing, name, fields[name])
        for name in taken:
            if decimals and name in decimals:
                self.decimals[(_key(site), name)] = decimals[name]

    def decimals_by_path(self) -> dict[str, int] | None:
        """The printed decimals of the measurements, by field path of the report document."""
        index = {key: i for i, key in enumerate(self.measurements)}
        found = {f"measurements/{index[key]}/{name}": n
                 for (key, name), n in self.decimals.items()}
        return found or None

    def dated(self, row: Row, site: Site) -> str | None:
        iso = facts.date_of(row.date, self.day_first)
        if iso:
            self.history.append((iso, site, row.values.get("bmd_g_cm2")))
        return iso

    def table(self, lines: list[Line], table: Table) -> None:
        sites = _Sites(_context(lines, table))
        if table.is_trend:
            site = _trend_site(lines, table, sites)
            if site:
                for row in table.rows:
                    self.dated(row, site)
            return
        dates = [facts.date_of(row.date, self.day_first) for row in table.rows]
        latest = max((d for d in dates if d), default=None)
        if latest:
            self.scan_dates.append(latest)
        read = 0
        above: list[str] = []
        labelled: list[list[str]] = []
        for row, date in zip(table.rows, dates, strict=True):
            # an earlier date's row with no label continues the site above (a FHIR trend)
            labels = row.labels or (above if date and date != latest else [])
            above = labels
            labelled.append(labels)
        # rows whose labels name no site within the body part named around the table (none,
        # several, or a stray one: "Dr J. Spine-Watson" above "Neck Left") are read as a
        # summary table's: "Neck Left", "Total Right" name a part of the hip or the forearm
        found = _spine_total(summary_sites([sites.of(*labels) for labels in labelled],
                                           labelled), labelled, sites.family)
        for row, date, site in zip(table.rows, dates, found, strict=True):
            if site is None:
                continue
            read += 1
            if date and date != latest:
                self.dated(row, site)
            else:
                self.measure(site, row.values, row.decimals)
                if date and row.values.get("age") is not None and self.age is None:
                    self.age = row.values["age"]
        if read and table.empty_score_columns() and T_Z_COLUMN_EMPTY not in self.warnings:
            self.warnings.append(T_Z_COLUMN_EMPTY)


def _spine_total(found: list[Site | None], labelled: list[list[str]],
                 family: str | None) -> list[Site | None]:
    """A spine table's ``Total`` row under its vertebrae (``L1`` ... ``L4``, ``Total``): the
    lumbar spine over the vertebrae listed above it (L1-L4) where they run on without a gap.
    Without vertebrae above, with a vertebra left out (L1, L2, L4: which did the total
    count?) or in another body part's table, it keeps what it had (no levels, or no site).
    The one row of a spine table (``Total`` alone) is the lumbar spine, its levels unsaid."""
    out = list(found)
    for index, labels in enumerate(labelled):
        if family != "spine" or not labels or key(labels[-1]).strip() != "total" or (
                out[index] is not None and (out[index].region, out[index].levels)
                != ("lumbar_spine", None)):
            continue
        above = [site.levels for site in out[:index] if site and site.region == "vertebra"]
        numbers = [int(levels[1:]) for levels in above if levels and levels[1:].isdigit()]
        if len(numbers) > 1 and len(numbers) == len(above) \
                and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            out[index] = Site(region="lumbar_spine", side=None,
                              levels=f"{above[0]}-{above[-1]}")
        elif not above and len(labelled) == 1:  # the table's one row: the spine's total
            out[index] = Site(region="lumbar_spine", side=None, levels=None)
    return out


class _Layout:
    """What a text layer's layout holds whatever the order of its dates: its tables, score
    blocks and FRAX, found once (a document whose dates are all ambiguous is read twice)."""

    def __init__(self, layer: TextLayer) -> None:
        self.lines = layer.lines
        self.text = "\n".join(line.text for line in layer.lines)
        self.tables = find_tables(self.lines)
        self.blocks = find_blocks(self.lines)

    @cached_property
    def frax(self) -> Frax | None:
        frax = _frax(self.lines)
        if frax is not None and frax.country is None:
            frax.country = facts.frax_country(self.text)
        return frax


def _measurements(layout: _Layout, collector: _Collector) -> bool:
    """Read every table and score block; True when the document has any (a vendor layout)."""
    lines = layout.lines
    for table in layout.tables:
        collector.table(lines, table)
    for block in layout.blocks:
        sites = _Sites(_context(lines, block.first_line))
        site = block_site(lines, block, sites.of)
        if site and _key(site) not in collector.measurements:
            collector.measure(site, dict(block.values))
    return bool(layout.tables or layout.blocks)


def _patient(header: facts.HeaderFacts, day_first: bool | None) -> Patient:
    sex, ethnicity = header.get("sex"), header.get("ethnicity")
    if header.get("sex_ethnicity"):
        sex_part, _, ethnic_part = header.values["sex_ethnicity"].partition("/")
        sex, ethnicity = sex or sex_part, ethnicity or ethnic_part
    height, weight = header.get("height"), header.get("weight")
    if header.get("height_weight"):
        h_part, _, w_part = header.values["height_weight"].partition("/")
        height, weight = height or h_part, weight or w_part
    return Patient(
        id=identifier(header.get("patient_id") or ""),
        sex=facts.sex_of(sex),  # type: ignore[arg-type]
        birth_date=facts.date_of(header.get("birth_date"), day_first),
        age_years=facts.age_of(header.get("age")),
        height_cm=facts.height_cm(height),
        weight_kg=facts.weight_kg(weight),
        ethnicity=(ethnicity or "").strip() or None,
    )


def _priors(history: list[tuple[str, Site, float | None]], scan_date: str | None) -> list[Prior]:
    """Dated rows other than the current scan, once per date and site, in document order."""
    priors: dict[tuple[str, SiteKey], Prior] = {}
    for date, site, bmd in history:
        if date != scan_date and (date, _key(site)) not in priors:
            priors[(date, _key(site))] = Prior(scan_date=date, region=site.region,
                                               side=site.side, levels=site.levels, bmd_g_cm2=bmd)
    return list(priors.values())


def _columns_text(lines: list[Line]) -> str:
    """The text of a page's blocks one after the other, so that the lines of a box stay
    together: a line is cut where a run of words starts at a block's left edge (an x where
    at least ``_BLOCK_RUNS`` runs start: a FRAX box and a table printed side by side share
    lines), and the pieces are ordered by their block, then top to bottom. A value at a tab
    stop stays with its label."""
    line_runs = [(line, line.segments()) for line in lines]
    starts = sorted(run[0].x0 for _, runs in line_runs for run in runs)
    def is_edge(x0: float) -> bool:
        return bisect_right(starts, x0 + _EDGE_TOLERANCE) \
            - bisect_right(starts, x0 - _EDGE_TOLERANCE) >= _BLOCK_RUNS
    pieces: list[tuple[int, float, float, str]] = []
    for line, runs in line_runs:
        for index, run in enumerate(runs):
            text = " ".join(w.text for w in run)
            if index and not is_edge(run[0].x0):
                page, x0, top, before = pieces[-1]
                pieces[-1] = (page, x0, top, f"{before} {text}")
            else:
                pieces.append((line.page, run[0].x0, line.top, text))
    edges: list[float] = []
    for x0 in sorted({x0 for _, x0, _, _ in pieces}):
        if not edges or x0 - edges[-1] > _EDGE_TOLERANCE:
            edges.append(x0)
    pieces.sort(key=lambda p: (p[0], bisect_right(edges, p[1] + 1e-6), p[2]))
    return "\n".join(text for _, _, _, text in pieces)


def _has_frax_context(line: str) -> bool:
    return _FRAX_FIRST_WORD.search(line.lower()) is not None \
        and _FRAX_CONTEXT.search(key(line)) is not None


def _frax_text(texts: list[str], context: list[bool] | None = None) -> str:
    """The lines that may hold FRAX: those with a FRAX context word (``10-year``,
    ``probability``, ``FRAX``), the line after each, lines with a percentage and lines that
    say whether BMD was used (``(BMD not used)`` under a FRAX box). The rest of
    a printout (tables, headers) is left out: reading it costs and it holds no FRAX.
    ``context``: whether each line has a FRAX context word, when known."""
    if context is None:
        context = [_has_frax_context(text) for text in texts]
    keep = []
    previous = False
    for text, has_context in zip(texts, context, strict=True):
        if has_context or previous or "%" in text or speaks_of_bmd_use(text):
            keep.append(text)
        previous = has_context
    return "\n".join(keep)


def _frax(lines: list[Line]) -> Frax | None:
    """FRAX as the free-text reader reads it, from the page's lines, with what they miss
    taken from its blocks read one after the other (a FRAX box printed beside a table)."""
    texts = [line.text for line in lines]
    context = [_has_frax_context(text) for text in texts]
    near = [i for i, has_context in enumerate(context) if has_context]
    if not near:  # no FRAX word: no FRAX
        return None
    by_lines = read_frax(reported(paragraphs(prepare(_frax_text(texts, context)))))
    if by_lines is not None and None not in (by_lines.major_osteoporotic_pct, by_lines.hip_pct):
        return by_lines
    window = sorted({j for i in near for j in range(max(0, i - 1), i + _FRAX_BOX_LINES)
                     if j < len(lines)})
    by_blocks = read_frax(reported(paragraphs(prepare(_frax_text(_columns_text(
        [lines[j] for j in window]).split("\n"))))))
    if by_lines is None or by_blocks is None:
        return by_lines or by_blocks
    return by_lines.model_copy(update={name: value for name, value in by_blocks
                                       if getattr(by_lines, name) is None})


def _report_from_tables(layer: TextLayer, source: Source, day_first: bool | None = None,
                        layout: _Layout | None = None) -> ReportDocument | None:
    """The report of a vendor layout; None when the PDF has no results table at all.

    Raises:
        NoMeasurements: results tables whose rows hold no value (dashes only).
    """
    layout = layout or _Layout(layer)
    text = layout.text
    flat = " ".join(text.split())
    forced = day_first is not None
    order = date_order(text)
    day_first = day_first if forced else order.day_first
    collector = _Collector(day_first)
    vendor_layout = _measurements(layout, collector)
    if not collector.measurements:
        if vendor_layout:
            raise NoMeasurements("the DXA results tables of the PDF hold no readable value")
        return None
    header = facts.read_header(layer.lines)
    reference = facts.reference_database(layer.lines, flat)
    vendor = facts.vendor_of(text, reference)
    scan_date = facts.date_of(header.get("scan_date"), day_first) or facts.date_of(
        header.get("analysis"), day_first)
    history_dates = {d for d, _, _ in collector.history}
    if scan_date is None and (collector.scan_dates or history_dates):
        scan_date = max(collector.scan_dates or history_dates)
    if scan_date is None:  # the free-text wordings ("a DXA scan on 20/02/2022"), else "Date:"
        scan_date = read_scan_date([line.text for line in layer.lines], text, day_first) \
            or facts.date_of(header.get("date"), day_first)
    warnings = list(collector.warnings) + ([] if forced else order.warnings)
    patient = _patient(header, day_first)
    if patient.birth_date is None:  # a letter's line: "Re: X, DOB 13/06/1969, NHS No ..."
        patient.birth_date = labelled_date(text, "birth_date", day_first)
    if patient.age_years is None:  # a printed age in a history line: "Reason for study: 59 y/o F"
        patient.age_years = collector.age if collector.age is not None else printed_age(text)
    history = read_text_history(text, scan_date=scan_date)  # indication, history, comments
    patient.sex = patient.sex or history.sex  # type: ignore[assignment]
    patient.menopausal_status = history.menopausal_status  # type: ignore[assignment]
    warnings += history.warnings
    frax = layout.frax.model_copy() if layout.frax else None
    category = header.get("category")
    return ReportDocument(
        source=source.model_copy(update={
            "vendor": vendor, "device": facts.device_of(flat, header),
            "software": facts.software_of(flat, vendor, header)}),
        patient=patient,
        study=Study(scan_date=scan_date, accession=identifier(header.get("accession") or ""),
                    reference_database=reference,
                    printed_category=category.strip() if category else None),
        measurements=list(collector.measurements.values()),
        frax=frax,
        fracture_history=history.fracture_history,
        therapy=history.therapy,
        priors=_priors(collector.history, scan_date),
        lsc=[Lsc(region=r, side=s, levels=lv, g_cm2=g)  # type: ignore[arg-type]
             for r, s, lv, g in facts.lsc_values(flat)],
        warnings=warnings,
        decimals=collector.decimals_by_path(),
    )


def _date_order_from_printed_age(layer: TextLayer, layout: _Layout, source: Source,
                                 month_first: ReportDocument) -> ReportDocument:
    """Every numeric date of the document could be read either way (04/09/2024): when the
    report prints the patient's age at the scan, the order whose birth and scan dates give
    that age, and whose other order does not, decides (``parsers.kit.dates.order_by_age``);
    else the country the report comes from (``locale_day_first``), else month first; both
    with the DATE_ORDER_ASSUMED warning."""
    printed = month_first.patient.age_years
    day_first = _report_from_tables(layer, source, day_first=True, layout=layout)
    if day_first is None:
        return month_first
    readings = {True: day_first, False: month_first}
    order = None if printed is None else order_by_age(
        printed, lambda first: (readings[first].patient.birth_date,
                                readings[first].study.scan_date))
    if order is None:  # the country the report comes from, still an assumption
        if not locale_day_first(layout.text):
            return month_first
        return day_first.model_copy(
            update={"warnings": [*day_first.warnings, DATE_ORDER_ASSUMED]})
    return readings[order].model_copy(update={
        "warnings": [w for w in readings[order].warnings if w != DATE_ORDER_ASSUMED]})


def _with_derived_age(report: ReportDocument) -> ReportDocument:
    """CONTRACT: without a printed age, the age from the birth and scan dates (one decimal);
    derived after the date order is settled, which the printed age alone may decide."""
    patient = report.patient
    age = age_at(patient.birth_date, report.study.scan_date)
    if patient.age_years is None and age is not None and age >= 0:
        patient.age_years = round(age, 1)
    return report


def _read_layer(layer: TextLayer, source: Source,
                mostly_images: Callable[[], bool] | None = None) -> ReportDocument:
    """A vendor layout's report, else the text read as a dictated report (``parsers.prose``).
    ``mostly_images`` tells, for a text layer without a vendor table, whether the pages are
    pictures of a report (then ``NoTextLayer``)."""
    layout = _Layout(layer)
    try:
        report = _report_from_tables(layer, source, layout=layout)
    except NoMeasurements:
        # a results header whose rows the vendor reader cannot read (a dictated report's pipe
        # or markdown table printed to PDF): the text as a dictated report, else the rejection
        text = "\n".join(line.text for line in layer.lines)
        dictated = read_prose(text, source=source) if looks_like_dxa(text) else None
        if dictated is not None and dictated.measurements:
            return dictated
        raise
    if report is not None and DATE_ORDER_ASSUMED in report.warnings:
        report = _date_order_from_printed_age(layer, layout, source, report)
    if report is not None:
        return _with_derived_age(report)
    text = "\n".join(line.text for line in layer.lines)
    if len(text) < _FEW_CHARS_PER_PAGE * layer.pages and mostly_images and mostly_images():
        raise NoTextLayer("the PDF's pages are images; its text layer holds only "
                          f"{len(text)} characters (titles, captions)")
    if is_message(text):  # an HL7 v2 result message printed to a PDF
        return read_message(text, source)
    if not looks_like_dxa(text):
        raise NotDxa("the text is not a bone densitometry (DXA) report")
    report = read_prose(text, source=source)
    if not report.measurements:
        raise NoMeasurements("the DXA report gives no readable BMD, T-score or Z-score")
    return report


def read_pages(pages: Sequence[PageWords], *, path: str, sha256: str,
               kind: SourceKind = "image-ocr") -> ReportDocument:
    """Read a report from positioned words, one ``PageWords`` per page (OCR seam).

    The words of each page (text and box in points, y downwards, see ``parsers.pdf.layout``)
    are read exactly as a PDF text layer is: tables by their headers, score blocks, header and
    footer facts, else the text as a dictated report. ``kind`` goes to ``source.kind``.

    Raises:
        NoTextLayer: no page holds a word.
        NotDxa: the text is not a bone densitometry report.
        NoMeasurements: a DXA report whose BMD, T- and Z-scores cannot be read.
    """
    layer = text_layer(pages)
    if not layer.lines:
        raise NoTextLayer("no word was read on any page")
    return _read_layer(layer, Source(path=path, sha256=sha256, kind=kind))


def read_pdf(data: bytes, *, path: str, sha256: str, kind: SourceKind = "pdf") -> ReportDocument:
    """Read one PDF report: a vendor printout (Hologic APEX, GE Lunar enCORE, Norland, the GE
    Prodigy narrative table) or a dictated report printed to PDF. ``kind`` is recorded in
    ``source.kind`` (``dicom-pdf`` when the PDF came out of a DICOM file).

    Raises:
        Encrypted: the PDF is password-protected.
        Corrupt: the PDF is truncated or damaged.
        NoTextLayer: the pages are images only (a scan), or images with a title line.
        NotDxa: the text is not a bone densitometry report.
        NoMeasurements: a DXA report whose BMD, T- and Z-scores cannot be read.
    """
    layer = read_text_layer(data)
    source = Source(path=path, sha256=sha256, kind=kind)
    return _read_layer(layer, source, lambda: image_coverage(data) > 0.3)
