"""Vendor PDF printouts rendered from report documents (fpdf2; a real text layer and geometry).

Each writer lays a ``ReportDocument`` out the way one vendor family prints it (dxa-formats.md
§2): header boxes, scan-information blocks, results tables with one- and two-level column
headers, trend tables, footers. Options vary the layout within the family (optional columns,
date wordings, units, page breaks) so that a reader is tested against the family, not one page.
Only what a layout prints can be read back; :func:`printed` says what that is.

All values are synthetic. The fake name printed in name fields (``FAKE_NAME``) must never
appear in a reader's output.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from dexa.contract import Measurement, Prior, ReportDocument

FAKE_NAME = "Quixote, Dulcinea"
DateStyle = Literal["long", "us", "us_short", "day_first", "abbrev", "iso"]
Family = Literal["spine", "hip", "forearm", "total_body"]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
HAS_UNICODE_FONT = (_DEJAVU / "DejaVuSans.ttf").exists()
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_FAMILY_OF_REGION: dict[str, Family] = {
    "lumbar_spine": "spine", "vertebra": "spine", "total_body": "total_body",
    "femoral_neck": "hip", "total_hip": "hip", "trochanter": "hip", "intertrochanter": "hip",
    "wards": "hip", "femoral_shaft": "hip", "radius_33": "forearm", "radius_mid": "forearm",
    "radius_ultradistal": "forearm", "radius_total": "forearm", "ulna_33": "forearm",
    "ulna_ultradistal": "forearm", "forearm_total": "forearm",
}


def hologic_device(report: ReportDocument) -> str:
    """The case's device when it is a Hologic model, else a default one."""
    device = report.source.device or ""
    return device if device.startswith(("Horizon", "Discovery", "QDR")) \
        else "Horizon A (S/N 302081M)"


def ge_device(report: ReportDocument) -> str:
    """The case's device when it is a Lunar model (``Lunar iDXA ME+212290``), else a default."""
    device = report.source.device or ""
    return device if device.startswith("Lunar ") and "+" in device else "Lunar iDXA ME+000000"


def format_date(iso: str | None, style: DateStyle) -> str:
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso)
    return {
        "long": f"{_MONTHS[d.month - 1]} {d.day:02d}, {d.year}",
        "us": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "us_short": f"{d.month}/{d.day}/{d.year}",
        "day_first": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "abbrev": f"{d.day:02d}-{_MONTHS[d.month - 1][:3]}-{d.year}",
        "iso": d.isoformat(),
    }[style]


class _Canvas:
    """A letter page in points, y downwards; text placed by its top-left corner."""

    def __init__(self, *, unicode: bool = False) -> None:
        self.pdf = FPDF(unit="pt", format="letter")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.unicode = unicode and HAS_UNICODE_FONT
        self.font = "Helvetica"
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(_DEJAVU / "DejaVuSans.ttf"))
            self.pdf.add_font("DejaVu", "B", str(_DEJAVU / "DejaVuSans-Bold.ttf"))
            self.font = "DejaVu"
        self.minus = "\u2212" if self.unicode else "-"

    def page(self) -> None:
        self.pdf.add_page()

    def text(self, x: float, y: float, s: str, *, size: float = 8, bold: bool = False,
             align: Literal["L", "R", "C"] = "L", w: float = 0) -> float:
        """Write ``s``; with ``align`` R or C, ``x``..``x + w`` is the cell. Returns the right
        edge of the text."""
        if not s:
            return x
        if not self.unicode:
            s = s.replace("\u2212", "-").replace("\u0394", "d").encode("latin-1", "replace") \
                .decode("latin-1")
        self.pdf.set_font(self.font, "B" if bold else "", size)
        width = self.pdf.get_string_width(s)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w or width + 0.2, size * 1.2, s, align=align)
        return x + width if align == "L" else x + w

    def pair(self, x: float, y: float, label: str, value: str, *, size: float = 8,
             tab: float = 0, bold_label: bool = False) -> None:
        """``Label: value``; the value at ``x + tab`` (a tab stop) or right after the label."""
        end = self.text(x, y, label, size=size, bold=bold_label)
        self.text(max(end + size * 0.3, x + tab), y, value, size=size)

    def rect(self, x: float, y: float, w: float, h: float, *,
             fill: tuple[int, int, int] | None = None, line: float = 0.6) -> None:
        self.pdf.set_line_width(line)
        if fill:
            self.pdf.set_fill_color(*fill)
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")

    def paragraph(self, x: float, y: float, w: float, s: str, *, size: float = 5.5) -> None:
        if not self.unicode:
            s = s.replace("\u2212", "-").encode("latin-1", "replace").decode("latin-1")
        self.pdf.set_font(self.font, "", size)
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(w, size * 1.25, s)

    def num(self, value: float | None, digits: int, *, dash: str = "") -> str:
        if value is None:
            return dash
        text = f"{value:.{digits}f}"
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        return text.replace("-", self.minus)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# --- what each layout prints -------------------------------------------------------------------


def family_of(region: str) -> Family:
    return _FAMILY_OF_REGION[region]


def _by_family(items: Iterable[Measurement]) -> dict[Family, list[Measurement]]:
    out: dict[Family, list[Measurement]] = {}
    for m in items:
        out.setdefault(family_of(m.region), []).append(m)
    return out


def _same_site(a: Measurement | Prior, b: Measurement | Prior) -> bool:
    return (a.region, a.side, a.levels) == (b.region, b.side, b.levels)


def _age_at(report: ReportDocument, iso: str) -> float | None:
    birth = report.patient.birth_date
    if not birth:
        return None
    return round((dt.date.fromisoformat(iso) - dt.date.fromisoformat(birth)).days / 365.25, 1)


def printed(report: ReportDocument, layout: str, **options: object) -> ReportDocument:
    """The part of ``report`` that ``layout`` (``hologic``, ``ge``, ``norland``, ``prodigy``)
    prints with the writer ``options``: what a reader can get back from the PDF."""
    doc = report.model_copy(deep=True)
    doc.source = doc.source.model_copy(update={"kind": "pdf", "software": None})
    doc.fracture_history = type(doc.fracture_history)()
    doc.therapy = type(doc.therapy)()
    doc.risk_factors = type(doc.risk_factors)()
    doc.study = doc.study.model_copy(update={"accession": None, "study_uid": None,
                                             "excluded_vertebrae": None})
    doc.patient.menopausal_status = None
    doc.warnings = []
    if doc.frax:
        doc.frax.tbs_adjusted = None
    if options.get("imperial"):  # printed in inches and pounds to one decimal
        p = doc.patient
        if p.height_cm is not None:
            p.height_cm = round(round(p.height_cm / 2.54, 1) * 2.54, 1)
        if p.weight_kg is not None:
            p.weight_kg = round(round(p.weight_kg / 0.45359237, 1) * 0.45359237, 1)

    def clear(*names: str) -> None:
        for m in doc.measurements:
            for name in names:
                setattr(m, name, None)

    if layout == "hologic":
        doc.source.vendor, doc.source.software = "Hologic", "APEX 13.6.0.5"
        doc.source.device = hologic_device(report)
        doc.lsc = []
        if options.get("empty_t_column"):
            clear("t_score")
            doc.warnings.append("T_Z_COLUMN_EMPTY")
        if not options.get("pr_am_columns"):
            clear("young_adult_pct", "age_matched_pct")
        if not options.get("trend", True):
            doc.priors = []
    elif layout == "ge":
        doc.source.vendor = "GE Healthcare"
        doc.source.software = "enCORE 12" if options.get("v12_header") else "enCORE 17"
        doc.source.device = ge_device(report)
        if not options.get("ancillary"):
            clear("young_adult_pct", "age_matched_pct", "bmc_g", "area_cm2")
        if not options.get("trend", True):
            doc.priors = []
    elif layout == "norland":
        doc.source.vendor, doc.source.device = "Norland", None
        doc.lsc, doc.frax = [], None
        doc.study.printed_category = doc.study.reference_database = None
        primaries = _norland_primaries(report)
        clear("bmc_g", "area_cm2")
        if not options.get("table", True):
            clear("bmd_g_cm2")
            doc.measurements = [m for m in doc.measurements
                                if any(_same_site(m, p) for p in primaries)
                                and (m.t_score, m.z_score, m.young_adult_pct,
                                     m.age_matched_pct) != (None, None, None, None)]
        doc.priors = [p for p in doc.priors if any(_same_site(p, m) for m in primaries)]
    elif layout == "prodigy":
        doc.source.vendor, doc.source.device = "GE Healthcare", None
        doc.lsc, doc.frax = [], None
        doc.study.printed_category = doc.study.reference_database = None
        doc.patient.height_cm = doc.patient.weight_kg = doc.patient.ethnicity = None
        doc.patient.age_years = _age_at(report, report.study.scan_date) \
            if report.study.scan_date else None
        clear("young_adult_pct", "age_matched_pct", "bmc_g", "area_cm2")
    else:
        raise ValueError(f"unknown layout {layout!r}")
    if layout in TABLE_DIGITS:
        doc.decimals = {f"measurements/{i}/{name}": digits
                        for i, m in enumerate(doc.measurements)
                        for name, digits in TABLE_DIGITS[layout].items()
                        if getattr(m, name) is not None} or None
    return doc


# The decimals the Hologic and GE results tables and the Prodigy narrative table print each
# value with (the readers keep them in the report's ``decimals`` map); Norland prints score
# blocks.
TABLE_DIGITS = {layout: {"bmd_g_cm2": 3, "t_score": 1, "z_score": 1, "young_adult_pct": 0,
                         "age_matched_pct": 0, "bmc_g": 2, "area_cm2": 2}
                for layout in ("hologic", "ge")}
TABLE_DIGITS["prodigy"] = {"bmd_g_cm2": 3, "t_score": 1, "z_score": 1}


# --- shared page parts -------------------------------------------------------------------------


def _sex(report: ReportDocument) -> str:
    return {"F": "Female", "M": "Male"}.get(report.patient.sex or "", "")


def _height(report: ReportDocument, imperial: bool) -> str:
    h = report.patient.height_cm
    if h is None:
        return ""
    return f"{h / 2.54:.1f} in" if imperial else f"{h:.1f} cm"


def _weight(report: ReportDocument, imperial: bool) -> str:
    w = report.patient.weight_kg
    if w is None:
        return ""
    return f"{w / 0.45359237:.1f} lb" if imperial else f"{w:.1f} kg"


def _age(report: ReportDocument) -> str:
    a = report.patient.age_years
    return "" if a is None else f"{a:g}"


def _frax_lines(c: _Canvas, report: ReportDocument, x: float, y: float) -> float:
    frax = report.frax
    if frax is None:
        return y
    c.text(x, y, "FRAX\u00ae 10-year Fracture Risk", size=9, bold=True)
    y += 13
    for label, value in (("Major Osteoporotic Fracture", frax.major_osteoporotic_pct),
                         ("Hip Fracture", frax.hip_pct)):
        c.text(x, y, label, size=8)
        c.text(x + 150, y, f"{c.num(value, 1, dash='-')}%" if value is not None else "-",
               size=8, align="R", w=40)
        y += 11
    notes = []
    if frax.country:
        notes.append(f"Country: {frax.country}.")
    if frax.with_bmd is not None:
        notes.append("Probability computed with BMD." if frax.with_bmd
                     else "Probability computed without BMD.")
    if notes:
        c.text(x, y, " ".join(notes), size=6)
        y += 9
    return y + 4


def _category_line(c: _Canvas, report: ReportDocument, x: float, y: float) -> float:
    if report.study.printed_category:
        c.pair(x, y, "WHO Classification:", report.study.printed_category, size=8)
        return y + 12
    return y


def _chart(c: _Canvas, x: float, y: float, w: float, h: float, ticks: Iterable[str]) -> None:
    """A reference-curve chart: axis tick numbers and zone labels, as on the real pages."""
    c.rect(x, y, w, h, fill=(235, 245, 235))
    labels = list(ticks)
    for i, tick in enumerate(labels):
        c.text(x - 22, y + i * h / max(len(labels) - 1, 1) - 3, tick, size=5.5)
    for i, age in enumerate(("20", "40", "60", "80", "100")):
        c.text(x + i * w / 4 - 4, y + h + 2, age, size=5.5)
    c.text(x + w / 2 - 15, y + h + 10, "Age (years)", size=6)


# --- Hologic APEX --------------------------------------------------------------------------------

_HOLOGIC_HIP = {"femoral_neck": "Neck", "trochanter": "Troch", "intertrochanter": "Inter",
                "total_hip": "Total", "wards": "Ward's", "femoral_shaft": "Shaft"}
_HOLOGIC_ARM = {"radius_33": ("Radius", "1/3"), "radius_mid": ("Radius", "MID"),
                "radius_ultradistal": ("Radius", "UD"), "radius_total": ("Radius", "Total"),
                "ulna_33": ("Ulna", "1/3"), "ulna_ultradistal": ("Ulna", "UD"),
                "forearm_total": ("Radius + Ulna", "Total")}
_SCAN_TYPE = {"spine": "a Lumbar Spine", "total_body": "a Whole Body"}


def _hologic_rows(items: list[Measurement]) -> list[tuple[str, Measurement | None]]:
    """(label, measurement) rows; a None measurement is a group row, ``|Diff.|`` rows carry
    a made-up difference measurement."""
    family = family_of(items[0].region)
    if family == "spine" or family == "total_body":
        return [(m.levels or "Total", m) for m in items]
    if family == "forearm":
        rows: list[tuple[str, Measurement | None]] = []
        group = None
        for m in items:
            g, label = _HOLOGIC_ARM[m.region]
            if g != group:
                rows.append((g, None))
                group = g
            rows.append((label, m))
        return rows
    sides = {m.side for m in items}
    if len(sides) == 1 and None not in sides and "mean" not in sides:
        return [(_HOLOGIC_HIP[m.region], m) for m in items]
    rows = []
    for region in dict.fromkeys(m.region for m in items):
        rows.append((_HOLOGIC_HIP[region], None))
        group = [m for m in items if m.region == region]
        for m in group:
            rows.append(((m.side or "mean").capitalize(), m))
        left = next((m for m in group if m.side == "left"), None)
        right = next((m for m in group if m.side == "right"), None)
        if left and right and left.bmd_g_cm2 is not None and right.bmd_g_cm2 is not None:
            rows.append(("|Diff.|", Measurement(region=region, bmd_g_cm2=abs(
                left.bmd_g_cm2 - right.bmd_g_cm2), z_score=0.1)))
    return rows


def _hologic_site_title(m: Measurement | Prior) -> str:
    if m.levels:
        return m.levels
    label = _HOLOGIC_HIP.get(m.region) or " ".join(_HOLOGIC_ARM.get(m.region, ("", "")))
    return f"{label} {(m.side or '').capitalize()}".strip()


def _hologic_header(c: _Canvas, r: ReportDocument, style: DateStyle, imperial: bool) -> None:
    c.rect(50, 48, 512, 44, fill=(255, 255, 204), line=1.5)
    for i, (label, value) in enumerate((("Name:", FAKE_NAME), ("Patient ID:", r.patient.id or ""),
                                        ("DOB:", format_date(r.patient.birth_date, style)))):
        c.pair(55, 52 + i * 12, label, value, tab=50)
    middle = (("Sex:", _sex(r)), ("Ethnicity:", r.patient.ethnicity or ""))
    for i, (label, value) in enumerate(middle):
        c.pair(250, 52 + i * 12, label, value, tab=45)
    for i, (label, value) in enumerate((("Height:", _height(r, imperial)),
                                        ("Weight:", _weight(r, imperial)), ("Age:", _age(r)))):
        c.pair(420, 52 + i * 12, label, value, tab=38)
    c.text(50, 98, "Referring Physician: Baker", size=8)


def _hologic_scan_info(c: _Canvas, r: ReportDocument, x: float, y: float, scan_type: str,
                       style: DateStyle, scan_id: str, comment: str = "") -> None:
    date = format_date(r.study.scan_date, style)
    c.text(x, y, "Scan Information:", size=10, bold=True)
    rows = [("Scan Date:", date), ("Scan Type:", scan_type),
            ("Analysis:", f"{date} 12:57 Version 13.6.0.5"), ("", scan_type.split()[-1]),
            ("Operator:", "RS"), ("Model:", hologic_device(r)), ("Comment:", comment)]
    for i, (label, value) in enumerate(rows):
        c.pair(x, y + 14 + i * 10, label, value, tab=48)
    c.pair(x + 170, y + 14, "ID:", scan_id, tab=16)


def _hologic_table(c: _Canvas, rows: list[tuple[str, Measurement | None]], y: float, *,
                   pr_am: bool, empty_t: bool, footer: str,
                   split_after: int | None = None,
                   new_page: Callable[[], None] = lambda: None) -> float:
    """The results table; with ``split_after``, the rows after that many continue at the top
    of a new page (no repeated column header, as when a table runs off the page)."""
    cols: list[tuple[str, str, str, int]] = [("Area", "(cm\u00b2)", "area_cm2", 2),
                                             ("BMC", "(g)", "bmc_g", 2),
                                             ("BMD", "(g/cm\u00b2)", "bmd_g_cm2", 3),
                                             ("T -", "score", "t_score", 1)]
    if pr_am:
        cols.append(("PR", "(%)", "young_adult_pct", 0))
    cols.append(("Z -", "score", "z_score", 1))
    if pr_am:
        cols.append(("AM", "(%)", "age_matched_pct", 0))
    step = 400 / len(cols)
    centers = [150 + step * i for i in range(len(cols))]
    c.text(60, y, "DXA Results Summary:", size=10, bold=True)
    shown = rows if split_after is None else rows[:split_after]
    height = 36 + 11 * len(shown)
    c.rect(58, y + 15, 505, height, fill=(255, 255, 204), line=1.5)
    c.text(64, y + 20, "Region", size=7, bold=True)
    for (top, bottom, _, _), x in zip(cols, centers, strict=True):
        c.text(x - 25, y + 20, top, size=7, bold=True, align="C", w=50)
        c.text(x - 25, y + 28, bottom, size=7, bold=True, align="C", w=50)
    row_y = y + 42
    for index, (label, m) in enumerate(rows):
        if index == split_after:
            new_page()
            y, height, row_y = 100, 11 * (len(rows) - index), 110
        c.text(64, row_y, label, size=8, bold=m is None)
        if m is not None:
            for (_, _, name, digits), x in zip(cols, centers, strict=True):
                value = getattr(m, name)
                if name == "t_score" and empty_t:
                    value = None
                c.text(x - 30, row_y, c.num(value, digits), size=8, align="R", w=45)
        row_y += 11
    c.text(58, y + 18 + height, footer, size=6)
    return y + 30 + height


def _trend_table(c: _Canvas, report: ReportDocument, site: Measurement, x: float, y: float,
                 *, title: str, date_header: str, style: DateStyle) -> float:
    """A trend table: the current scan first, then each prior of the site, newest first."""
    priors = sorted((p for p in report.priors if _same_site(p, site)),
                    key=lambda p: p.scan_date or "", reverse=True)
    if not priors:
        return y
    c.text(x + 60, y, title, size=7.5, bold=True)
    heads = [("", "", date_header), ("", "Age", "(years)"), ("", "BMD", "(g/cm\u00b2)"),
             ("Change vs", "Previous", "(g/cm\u00b2)"), ("", "Change vs", "Previous (%)")]
    xs = [x, x + 95, x + 140, x + 190, x + 240]
    for i, (a, b, cc) in enumerate(heads):
        align: Literal["L", "C"] = "L" if i == 0 else "C"
        for j, part in enumerate((a, b, cc)):
            c.text(xs[i] - (0 if i == 0 else 22), y + 11 + j * 8, part, size=6.5, bold=True,
                   align=align, w=0 if i == 0 else 44)
    rows: list[tuple[str | None, float | None]] = [(report.study.scan_date, site.bmd_g_cm2)]
    rows += [(p.scan_date, p.bmd_g_cm2) for p in priors]
    row_y = y + 40
    for i, (date, bmd) in enumerate(rows):
        previous = rows[i + 1][1] if i + 1 < len(rows) else None
        change = None if bmd is None or previous is None else bmd - previous
        pct = None if change is None or not previous else 100 * change / previous
        age = _age_at(report, date) if date else None
        cells = [c.num(age, 1, dash="-"), c.num(bmd, 3, dash="-"),
                 c.num(change, 3, dash="-"), c.num(pct, 1, dash="-")]
        c.text(x + 2, row_y, format_date(date, style), size=7)
        for cx, cell in zip(xs[1:], cells, strict=True):
            c.text(cx - 22, row_y, cell, size=7, align="C", w=44)
        row_y += 10
    return row_y + 10


def hologic_pdf(report: ReportDocument, *, pr_am_columns: bool = False,
                empty_t_column: bool = False, date_style: DateStyle = "long",
                imperial: bool = False, unicode_minus: bool = False, cover_page: bool = False,
                trend: bool = True, split_after: int | None = None, comment: str = "",
                history: Sequence[str] = ()) -> bytes:
    """Hologic APEX "DXA Results Summary" pages, one per scanned body part (§2.1).
    ``cover_page``: the tables start on page 2; ``split_after``: each results table runs
    over to the next page after that many rows; ``comment``: the scan information's
    ``Comment:`` value; ``history``: lines printed at the foot of the first page (an
    operator's indication and history lines)."""
    c = _Canvas(unicode=unicode_minus)
    if cover_page:
        c.page()
        _hologic_header(c, report, date_style, imperial)
        c.text(60, 140, "Bone Densitometry Report", size=14, bold=True)
        c.paragraph(60, 170, 480, "Results of each scan follow on the next pages.", size=9)
    for n, (family, items) in enumerate(_by_family(report.measurements).items()):
        c.page()
        _hologic_header(c, report, date_style, imperial)
        c.rect(60, 120, 170, 220, fill=(60, 60, 60))
        c.text(60, 342, "Image not for diagnostic use", size=5.5)
        c.text(60, 349, "k = 1.130, d0 = 48.6", size=5.5)
        c.text(60, 356, "116 x 135", size=5.5)
        side = {m.side for m in items} - {None, "mean"}
        if family == "hip":
            scan_type = f"a {side.pop().capitalize()} Hip" if len(side) == 1 else "a Dual Hip"
        elif family == "forearm":
            scan_type = f"a {(side.pop() if side else 'left')[0].upper()}.Forearm"
        else:
            scan_type = _SCAN_TYPE[family]
        _hologic_scan_info(c, report, 300, 122, scan_type, date_style, f"A12041{n:02d}D",
                           comment)
        if report.study.reference_database:
            ref = report.study.reference_database
            c.paragraph(300, 215, 260, f"T-score vs. White Female. Source: {ref}. "
                        f"Z-score vs. White Female. Source: {ref}.", size=6)
        footer = "Total BMD CV 1.0%" + (", ACF = 1.029, BCF = 0.984" if family == "forearm" else "")
        def new_page() -> None:
            c.page()
            _hologic_header(c, report, date_style, imperial)

        y = _hologic_table(c, _hologic_rows(items), 372, pr_am=pr_am_columns,
                           empty_t=empty_t_column, footer=footer, split_after=split_after,
                           new_page=new_page)
        if trend:
            for m in items:
                y = _trend_table(c, report, m, 60, y, title=f"Trend: {_hologic_site_title(m)}",
                                 date_header="Scan Date", style=date_style)
        if n == 0:
            y = _category_line(c, report, 60, y)
            _frax_lines(c, report, 60, y)
            for i, line in enumerate(history):
                c.text(60, 700 + i * 10, line, size=7)
        c.text(500, 760, "HOLOGIC", size=10, bold=True)
    return c.output()


# --- GE Lunar enCORE ---------------------------------------------------------------------------

_GE_HIP = {"femoral_neck": "Neck", "total_hip": "Total", "trochanter": "Troch",
           "wards": "Wards", "femoral_shaft": "Shaft", "intertrochanter": "Inter"}
_GE_ARM = {"radius_33": "Radius 33%", "radius_ultradistal": "Radius UD",
           "radius_total": "Radius Total", "radius_mid": "Radius Mid", "ulna_33": "Ulna 33%",
           "ulna_ultradistal": "Ulna UD", "forearm_total": "Total Forearm"}


def _ge_title(family: Family, items: list[Measurement]) -> str:
    sides = {m.side for m in items} - {None}
    if family == "spine":
        return "AP Spine"
    if family == "total_body":
        return "Total Body"
    if family == "hip":
        return "DualFemur" if sides - {"left"} and sides - {"right"} else \
            f"{sides.pop().capitalize()} Femur"
    return f"{(sides.pop() if sides else 'left').capitalize()} Forearm"


def _ge_label(m: Measurement | Prior, dual: bool) -> str:
    if m.levels:
        return m.levels
    if m.region in _GE_ARM:
        return _GE_ARM[m.region]
    if m.region == "total_body":
        return "Total"
    label = _GE_HIP[m.region]
    return f"{label} {m.side.capitalize()}" if dual and m.side else label


def _ge_rows(items: list[Measurement], dual: bool) -> list[tuple[str, Measurement]]:
    """Rows in the report's order; on a dual femur page a ``Diff.`` row follows the last row
    of each region that has both sides."""
    rows = []
    for index, m in enumerate(items):
        rows.append((_ge_label(m, dual), m))
        if not dual or any(later.region == m.region for later in items[index + 1:]):
            continue
        group = [x for x in items if x.region == m.region]
        left = next((x for x in group if x.side == "left"), None)
        right = next((x for x in group if x.side == "right"), None)
        if left and right and left.bmd_g_cm2 is not None and right.bmd_g_cm2 is not None:
            diff = Measurement(region=m.region, bmd_g_cm2=abs(left.bmd_g_cm2 - right.bmd_g_cm2),
                               t_score=0.1, z_score=0.1)
            rows.append((f"{_GE_HIP[m.region]} Diff.", diff))
    return rows


def _ge_header(c: _Canvas, r: ReportDocument, style: DateStyle, imperial: bool,
               v12: bool, indications: str = "") -> None:
    c.rect(50, 46, 512, 62, fill=(255, 255, 230), line=0.8)
    measured = f"{format_date(r.study.scan_date, style)} 9:03:41 AM ({12 if v12 else 17} [SP1])"
    if v12:
        left = [("Patient:", FAKE_NAME), ("Birth Date:", format_date(r.patient.birth_date, style)),
                ("Height / Weight:", f"{_height(r, imperial)} / {_weight(r, imperial)}"),
                ("Sex / Ethnic:", f"{_sex(r)} / {r.patient.ethnicity or ''}")]
        right = [("Facility ID:", "SYNTH"), ("Referring Physician:", ""),
                 ("Patient ID:", r.patient.id or ""), ("Age:", _age(r)), ("Measured:", measured),
                 ("Analyzed:", measured)]
    else:
        left = [("Patient:", FAKE_NAME), ("Birth Date:", format_date(r.patient.birth_date, style)),
                ("Height:", _height(r, imperial)), ("Weight:", _weight(r, imperial)),
                ("Sex:", _sex(r)), ("Ethnicity:", r.patient.ethnicity or "")]
        right = [("Referring Physician:", "(not specified)"), ("Patient ID:", r.patient.id or ""),
                 ("Age:", _age(r)), ("Measured:", measured), ("Analyzed:", measured)]
        right += [("Indications:", indications)] if indications else []
    for i, (label, value) in enumerate(left):
        c.pair(54, 49 + i * 9.5, label, value, size=7, bold_label=True)
    for i, (label, value) in enumerate(right):
        c.pair(330, 49 + i * 9.5, label, value, size=7, bold_label=True)


def _ge_densitometry(c: _Canvas, r: ReportDocument, rows: list[tuple[str, Measurement]],
                     y: float, missing: str) -> float:
    c.rect(296, y, 266, 34 + 10 * len(rows))
    c.text(296, y + 2, f"Densitometry: {r.study.reference_database or ''}".strip(), size=7,
           bold=True, align="C", w=266)
    xs = (400, 455, 510)
    for x, top, bottom in zip(xs, ("BMD", "YA", "AM"), ("(g/cm\u00b2)", "T-score", "Z-score"),
                              strict=True):
        c.text(x - 25, y + 12, top, size=7, bold=True, align="C", w=50)
        c.text(x - 25, y + 21, bottom, size=7, bold=True, align="C", w=50)
    c.text(300, y + 21, "Region", size=7, bold=True)
    row_y = y + 33
    for label, m in rows:
        c.text(300, row_y, label, size=7)
        for x, value, digits in zip(xs, (m.bmd_g_cm2, m.t_score, m.z_score), (3, 1, 1),
                                    strict=True):
            c.text(x - 25, row_y, c.num(value, digits, dash=missing), size=7, align="R", w=40)
        row_y += 10
    return row_y + 12


def _ge_ancillary(c: _Canvas, title: str, rows: list[tuple[str, Measurement]], y: float,
                  v12: bool) -> float:
    fields = [("bmd_g_cm2", 3), ("young_adult_pct", 0), ("t_score", 1), ("age_matched_pct", 0),
              ("z_score", 1), ("bmc_g", 2), ("area_cm2", 2)]
    xs = [190 + 55 * i for i in range(len(fields))]
    if v12:
        c.text(56, y, f"ANCILLARY RESULTS [{title}]", size=10, bold=True)
        head_y = y + 24
        for x, mark in ((xs[0], "1"), (xs[1] + 27, "2"), (xs[3] + 27, "3")):
            c.text(x + 12, head_y - 7, mark, size=5)
        tops = ["BMD", "", "", "", "", "BMC", "Area"]
        c.text(xs[1] - 20, head_y, "Young-Adult", size=7, bold=True, align="C", w=95)
        c.text(xs[3] - 20, head_y, "Age-Matched", size=7, bold=True, align="C", w=95)
        bottoms = ["(g/cm\u00b2)", "(%)", "T-Score", "(%)", "Z-Score", "(g)", "(cm\u00b2)"]
    else:
        c.text(56, y, f"ANCILLARY RESULTS: {title}", size=10, bold=True)
        head_y = y + 16
        tops = ["BMD", "YA", "YA", "AM", "AM", "BMC", "Area"]
        bottoms = ["(g/cm\u00b2)", "(%)", "T-score", "(%)", "Z-score", "(g)", "(cm\u00b2)"]
    for x, top, bottom in zip(xs, tops, bottoms, strict=True):
        c.text(x - 25, head_y, top, size=7, bold=True, align="C", w=50)
        c.text(x - 25, head_y + 9, bottom, size=7, bold=True, align="C", w=50)
    c.text(60, head_y + 9, "Region", size=7, bold=True)
    row_y = head_y + 22
    for label, m in rows:
        c.text(64, row_y, label, size=7)
        for x, (name, digits) in zip(xs, fields, strict=True):
            c.text(x - 25, row_y, c.num(getattr(m, name), digits, dash="-"), size=7, align="R",
                   w=42)
        row_y += 10
    return row_y + 12


def _ge_footer(c: _Canvas, r: ReportDocument, title: str, page: int, pages: int,
               v12: bool, lsc_sites: list[tuple[str, float]], style: DateStyle) -> None:
    lsc = "".join(f"(LSC= {g:.3f} g/cm\u00b2 for {label}); " for label, g in lsc_sites)
    text = ("(*) Indicates significant change based on 95% confidence interval. " + lsc +
            f"Statistically 68% of repeat scans fall within 1SD (\u00b1 0.010 g/cm\u00b2 for "
            f"{title}); USA (Combined NHANES (ages 20-30) / Lunar (ages 20-40)) {title}, "
            "Female Reference Population (v113); Matched for Age, Sex, Weight (females 25-100 "
            "kg), Ethnic; World Health Organization - Definition of Osteoporosis and Osteopenia "
            "for Caucasian Women: Normal = T-score at or above -1.0 SD; Osteopenia = T-score "
            "between -1.0 and -2.5 SD; Osteoporosis = T-score at or below -2.5 SD; (WHO "
            "definitions only apply when a young healthy Caucasian Women reference database is "
            f"used to determine T-scores.) Date created: {format_date(r.study.scan_date, style)} "
            f"9:03:41 AM {12 if v12 else 17} [SP 4]; Filename: synth01.msx; {title}; "
            "Scan Mode: Standard; 146.0 \u00b5Gy")
    missing = [m for m in r.measurements if m.bmd_g_cm2 is not None and m.t_score is None
               and m.z_score is None and _ge_title(family_of(m.region), [m]) in (title, )]
    for i, m in enumerate(missing):
        c.text(56, 670 - 8 * i, f"USA (Combined NHANES/Lunar) Reference Chart: No reference data "
               f"for {title} [{_ge_label(m, False)}] region.", size=5.5)
    c.paragraph(56, 690, 500, text, size=5.5)
    model, _, serial = ge_device(r).rpartition(" ")
    c.text(56, 748, "GE Healthcare", size=7)
    c.text(280, 748, f"Page: {page} of {pages}", size=7)
    c.text(500, 744, model, size=7, align="R", w=60)
    c.text(500, 752, serial, size=7, align="R", w=60)


def ge_pdf(report: ReportDocument, *, ancillary: bool = False, trend: bool = True,
           v12_header: bool = False, date_style: DateStyle = "us", imperial: bool = False,
           unicode_minus: bool = False, missing: str = "-", indications: str = "",
           comments: Sequence[str] = ()) -> bytes:
    """GE Lunar enCORE pages (§2.2): per scanned body part a densitometry page (table, trend
    tables, LSC footer) and, with ``ancillary``, an ANCILLARY RESULTS page (YA/AM %, BMC,
    area; ``v12_header``: the two-level v12 header). ``missing`` is printed in a score cell
    without a value (``-``, ``n/a``). ``indications``: a header row of the v16 header;
    ``comments``: lines under the first page's ``COMMENTS:``."""
    c = _Canvas(unicode=unicode_minus)
    groups = _by_family(report.measurements)
    pages = len(groups) * (2 if ancillary else 1)
    page = 0
    for n, (family, items) in enumerate(groups.items(), start=1):
        title = _ge_title(family, items)
        dual = title == "DualFemur"
        rows = _ge_rows(items, dual)
        lsc_sites = [(f"{title} {_ge_label(lsc, dual)}", lsc.g_cm2) for lsc in report.lsc
                     if family_of(lsc.region) == family]
        c.page()
        page += 1
        _ge_header(c, report, date_style, imperial, v12_header, indications)
        c.text(70, 118, f"{title} Bone Density", size=7, bold=True)
        c.rect(60, 128, 170, 180, fill=(150, 150, 150))
        c.text(300, 118, f"{title}: {_ge_label(items[0], dual)} (BMD)", size=7, bold=True)
        _chart(c, 320, 135, 130, 110, ("1.435", "1.315", "1.195", "1.075", "0.955", "0.835"))
        y = _ge_densitometry(c, report, rows, 330, missing)
        if trend:
            for m in items:
                y = _trend_table(c, report, m, 300, y,
                                 title=f"Densitometry Trend: {_ge_label(m, dual)}",
                                 date_header="Measured Date", style=date_style)
        c.text(60, 320, "COMMENTS:", size=7)
        if n == 1:
            for i, line in enumerate(comments):
                c.text(60, 332 + i * 10, line, size=7)
            _frax_lines(c, report, 60, _category_line(c, report, 60, 332 + 10 * len(comments)))
        _ge_footer(c, report, title, page, pages, v12_header, lsc_sites, date_style)
        if ancillary:
            c.page()
            page += 1
            _ge_header(c, report, date_style, imperial, v12_header)
            _ge_ancillary(c, title, rows, 125, v12_header)
            _ge_footer(c, report, title, page, pages, v12_header, [], date_style)
    return c.output()


# --- Norland Illuminatus ------------------------------------------------------------------------

_NORLAND_SCAN = {"spine": "AP Spine", "hip": "Hip", "forearm": "Forearm",
                 "total_body": "Whole Body"}


def _norland_primaries(report: ReportDocument) -> list[Measurement]:
    return [items[0] for items in _by_family(report.measurements).values()]


def _norland_label(m: Measurement | Prior) -> str:
    if m.levels:
        return m.levels.replace("-", " - ")
    side = (m.side or "").capitalize()
    name = {"femoral_neck": "Neck", "total_hip": "Total Hip", "trochanter": "Troch",
            "intertrochanter": "Inter", "wards": "Ward's", "femoral_shaft": "Shaft",
            "total_body": "Total Body", **_GE_ARM}[m.region]
    return f"{side} {name}".strip()


def norland_pdf(report: ReportDocument, *, date_style: DateStyle = "us", imperial: bool = False,
                table: bool = True, column_pitch: float = 70.0) -> bytes:
    """Norland Illuminatus pages (§2.3): the key-value score block beside a Date/Value trend
    list, and the results table (two-decimal scores) whose two-line headers are
    ``column_pitch`` points apart (close together, the lower halves ``Score Ref. (%) Score``
    name no column apart)."""
    c = _Canvas()
    scan_date = format_date(report.study.scan_date, date_style)
    for family, items in _by_family(report.measurements).items():
        c.page()
        c.pdf.set_draw_color(40, 120, 170)
        c.pdf.line(60, 45, 560, 45)
        head = [[("Name:", FAKE_NAME), ("ID:", report.patient.id or ""),
                 ("DOB:", format_date(report.patient.birth_date, date_style))],
                [("Sex:", _sex(report)), ("Ethnic:", report.patient.ethnicity or ""),
                 ("Age:", _age(report))],
                [("Height:", _height(report, imperial)), ("Weight:", _weight(report, imperial))]]
        for x, column in zip((62, 300, 430), head, strict=True):
            for i, (label, value) in enumerate(column):
                c.pair(x, 52 + i * 12, label, value, size=7, tab=40, bold_label=True)
        c.pdf.line(60, 92, 560, 92)
        c.rect(110, 110, 110, 190, fill=(200, 80, 60))
        c.text(110, 305, "Bone image not for diagnosis.", size=6.5)
        primary = items[0]
        side = (primary.side or "").capitalize()
        scan = f"{side} {_NORLAND_SCAN[family]}".strip()
        c.text(250, 100, f"{scan} on: {scan_date} 1:51:17 PM", size=6.5)
        c.rect(245, 110, 315, 200)
        c.text(262, 118, f"{_norland_label(primary)}   Norland 4/00   C", size=7)
        c.rect(262, 128, 120, 60, fill=(40, 160, 60))
        for i, tick in enumerate(("1.41", "1.21", "1.01", "0.81", "0.61")):
            c.text(250, 128 + i * 12, tick, size=5)
        c.text(300, 192, "Low Risk   Medium Risk   High Risk", size=5)
        block = [("Young Ref. (%)", c.num(primary.young_adult_pct, 1)),
                 ("T-Score", c.num(primary.t_score, 2)),
                 ("Age Match (%)", c.num(primary.age_matched_pct, 1)),
                 ("Z-Score", c.num(primary.z_score, 2))]
        c.text(400, 208, "Date", size=7, bold=True)
        c.text(455, 208, "Value", size=7, bold=True)
        priors = sorted((p for p in report.priors if _same_site(p, primary)),
                        key=lambda p: p.scan_date or "", reverse=True)
        for i in range(max(len(block), len(priors))):
            y = 220 + i * 11
            if i < len(block):
                c.text(262, y, block[i][0], size=7)
                c.text(325, y, block[i][1], size=7, align="R", w=30)
            if i < len(priors):
                c.text(400, y, format_date(priors[i].scan_date, date_style), size=7)
                c.text(450, y, c.num(priors[i].bmd_g_cm2, 3), size=7, align="R", w=30)
        if table:
            cols = [("BMD (g/cm\u00b2)", "", "bmd_g_cm2", 4), ("T-", "Score", "t_score", 2),
                    ("Young", "Ref. (%)", "young_adult_pct", 1), ("Z-", "Score", "z_score", 2),
                    ("Age", "Match (%)", "age_matched_pct", 1), ("ST Change", "(%)", "", 1)]
            c.rect(60, 320, 500, 30 + 11 * len(items))
            xs = [150 + column_pitch * i for i in range(len(cols))]
            c.text(66, 334, "Region", size=7)
            for x, (top, bottom, _, _) in zip(xs, cols, strict=True):
                if bottom:
                    c.text(x - 15, 326, top, size=7, align="C", w=30)
                    c.text(x - 15, 334, bottom, size=7, align="C", w=30)
                else:
                    c.text(x - 15, 334, top, size=7, align="C", w=30)
            for i, m in enumerate(items):
                y = 348 + i * 11
                c.text(66, y, _norland_label(m), size=7)
                for x, (_, _, name, digits) in zip(xs, cols, strict=True):
                    value = getattr(m, name) if name else 0.0
                    c.text(x - 15, y, c.num(value, digits, dash="-"), size=7, align="R", w=30)
        y = 360 + 11 * len(items) if table else 330
        c.text(200, y, "STD CVs for L2-L4 BMD: 1.0 BMC: 1.5 See Guide for other CVs.", size=6)
        c.text(170, y + 8, "1.5 mm X 1.5 mm, 130 mm/s, 12.00 cm, Rev. 3.9.4/2.1.0 "
               f"Calib. {scan_date} 8:07:52 S/N 3840", size=6)
        c.text(280, 740, "NORLAND", size=11, bold=True)
    return c.output()


# --- HL7 FHIR / GE Prodigy narrative ----------------------------------------------------------

_PRODIGY_SCAN = {"spine": "AP Spine", "total_body": "Total Body"}


def _prodigy_cells(m: Measurement | Prior) -> tuple[str, str]:
    family = family_of(m.region)
    side = (m.side or "").capitalize()
    if family == "spine":
        return "AP Spine", m.levels or ""
    if family == "total_body":
        return "Total Body", "Total"
    if family == "hip":
        return f"{side} Femur".strip(), _GE_HIP[m.region]
    return f"{side} Forearm".strip(), _GE_ARM[m.region]


def prodigy_narrative_pdf(report: ReportDocument, *, date_style: DateStyle = "day_first",
                          unicode: bool = True, trend_under_site: bool = False,
                          lost_delta: bool = False) -> bytes:
    """The narrative DXA report of the HL7 FHIR example (§2.4): key rows, then a
    ``Scan Type | Region | Measured | Age | BMD | T-Score | Z-Score | ΔBMD`` table with the unit
    inside the BMD cell and day-first dates, then the assessment prose. ``trend_under_site``:
    each site's earlier scans follow its row with blank Scan Type and Region cells;
    ``lost_delta``: the Δ of the change columns is printed as "?" (a font without the glyph)."""
    c = _Canvas(unicode=unicode)
    c.page()
    c.text(60, 50, "BONE DENSITOMETRY REPORT", size=12, bold=True)
    keys = [("NAME", FAKE_NAME), ("PATIENT ID", report.patient.id or ""),
            ("DOB", format_date(report.patient.birth_date, date_style)),
            ("SEX", _sex(report)), ("REFERRING DR", "Dr A. Example"),
            ("INDICATIONS", "Screening"),
            ("PROCEDURE", "Dual energy x-ray absorptiometry (DEXA)")]
    for i, (key, value) in enumerate(keys):
        c.text(60, 75 + i * 12, key, size=8, bold=True)
        c.text(170, 75 + i * 12, value, size=8)
    delta = "?" if lost_delta else "\u0394"
    heads = ["Scan Type", "Region", "Measured", "Age", "BMD", "T-Score", "Z-Score",
             f"{delta}BMD(g/cm2)", f"{delta}BMD(%)"]
    xs = [60, 125, 175, 232, 262, 330, 370, 412, 478]
    y = 175
    for x, head in zip(xs, heads, strict=True):
        c.text(x, y, head, size=7, bold=True)
    c.pdf.line(58, y + 10, 540, y + 10)
    newest_first = sorted(report.priors, key=lambda p: p.scan_date or "", reverse=True)
    rows: list[Measurement | Prior] = list(report.measurements) + newest_first
    if trend_under_site:
        rows = [row for m in report.measurements
                for row in [m, *(p for p in newest_first if _same_site(p, m))]]
    y += 14
    for m in rows:
        date = report.study.scan_date if isinstance(m, Measurement) else m.scan_date
        prior = None
        if isinstance(m, Measurement):
            prior = next((p for p in sorted(report.priors, key=lambda p: p.scan_date or "",
                                            reverse=True) if _same_site(p, m)), None)
        change = (None if prior is None or prior.bmd_g_cm2 is None or m.bmd_g_cm2 is None
                  else m.bmd_g_cm2 - prior.bmd_g_cm2)
        scan_type, region = _prodigy_cells(m)
        if trend_under_site and isinstance(m, Prior):
            scan_type, region = "", ""
        t = getattr(m, "t_score", None)
        z = getattr(m, "z_score", None)
        bmd = "-" if m.bmd_g_cm2 is None else f"{m.bmd_g_cm2:.3f} g/cm\u00b2"
        age = _age_at(report, date) if date else None
        cells = [scan_type, region, format_date(date, date_style), c.num(age, 1, dash="-"), bmd,
                 c.num(t, 1, dash="-"), c.num(z, 1, dash="-"), c.num(change, 3, dash="-"),
                 c.num(None if change is None or not prior or not prior.bmd_g_cm2
                       else 100 * change / prior.bmd_g_cm2, 1, dash="-")]
        for x, cell in zip(xs, cells, strict=True):
            c.text(x, y, cell, size=7)
        y += 11
    c.pdf.line(58, y + 2, 540, y + 2)
    text = ("Assessment: The Spine L1-L4 BMD is normal. The Left Femur Neck BMD is in the "
            "osteopenic range. Relative fracture risk is about 2.\n\nCOMMENT: Osteopenia on "
            "measured BMD. The estimated 10-year probability of fracture based on present age, "
            "gender and measured BMD is less than 10%. This absolute fracture risk remains low. "
            "A follow-up assessment may be considered in 2 to 3 years to monitor the trend in "
            "BMD.\n\nNormal: T-score equal to -1.0 s.d. or higher / Osteopenia: T-score between "
            "-1.0 and -2.5 s.d. / Osteoporosis: T-score equal to -2.5 s.d. or lower / "
            "Severe/Established osteoporosis: Osteoporosis with one or more fragility fracture."
            "\n\nGE LUNAR PRODIGY DENSITOMETER")
    c.paragraph(60, y + 16, 480, text, size=8)
    return c.output()


# --- rejections and other documents ---------------------------------------------------------------


def text_pdf(text: str, *, size: float = 10) -> bytes:
    """Plain text on pages (a dictated report printed to PDF, a letter)."""
    c = _Canvas(unicode=True)
    c.page()
    c.paragraph(60, 60, 490, text, size=size)
    return c.output()


def lines_pdf(lines: Sequence[str], *, font: Literal["Courier", "Helvetica", "DejaVu"] = "Courier",
              size: float = 8.5) -> bytes:
    """A printout written line by line, each line one string whose columns are aligned with
    spaces (a report script sent to a PDF printer). In ``Courier`` the columns stand where the
    spaces put them; in a proportional font (``Helvetica``, ``DejaVu``) digits, letters and
    spaces differ in width, so each row's values drift off their headers by its own amount."""
    c = _Canvas(unicode=font == "DejaVu")
    if font == "Courier":
        c.font = "Courier"
    c.page()
    y = 40.0
    for line in lines:
        if y > 750:
            c.page()
            y = 40.0
        c.text(40, y, line, size=size)
        y += size + 3.5
    return c.output()


def encrypted_pdf() -> bytes:
    """A password-protected PDF (user password required to open)."""
    c = _Canvas()
    c.page()
    c.text(60, 60, "DXA Results Summary:", size=10)
    c.pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    return c.output()


def image_only_pdf(*, title: str | None = None) -> bytes:
    """A scanned report: pages carry only an image, no text layer; with ``title``, a slide
    whose only text is its title (the report itself is a screenshot)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.rectangle((20, 20 + 22 * i, 380, 32 + 22 * i), fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    c = _Canvas()
    c.page()
    if title:
        c.text(60, 30, title, size=18)
    c.pdf.image(io.BytesIO(buffer.getvalue()), x=60, y=60, w=480)
    return c.output()


def non_report_pdf() -> bytes:
    """An invoice: text, dates and a numeric table, but nothing of a DXA report."""
    c = _Canvas()
    c.page()
    c.text(60, 50, "INVOICE", size=16, bold=True)
    c.pair(60, 80, "Invoice No:", "2024-0042")
    c.pair(60, 92, "Date:", "03/14/2024")
    for x, head in zip((60, 150, 400, 480), ("Date", "Description", "Quantity", "Amount"),
                       strict=True):
        c.text(x, 130, head, size=8, bold=True)
    for i, (date, desc, qty, amount) in enumerate((("03/01/2024", "Consulting", "3", "450.00"),
                                                   ("03/08/2024", "Travel", "1", "120.50"))):
        for x, cell in zip((60, 150, 400, 480), (date, desc, qty, amount), strict=True):
            c.text(x, 145 + i * 11, cell, size=8)
    c.text(60, 200, "Total due: 570.50 USD. Payment within 30 days.", size=8)
    return c.output()
