"""Tables in a free-text report (pipe, tab, fixed-width or single-spaced text), read by the
meaning of their header and row labels rather than by one layout.

A header is a line whose cells name at least two of BMD, T-score and Z-score, or a scan date
and the BMD (a trend list: ``Date  BMD``, ``Date  Value``); each header cell
is given a role: a measurement field (``parsers.labels.field_of``), ``date`` (the column of the
scan dates: ``Measured``, ``Scan Date``), ``age`` (the age at each scan), ``label``, or ``other``
(a change or difference: ``ΔBMD``, never a BMD): the header words are vocabulary
(``findings.json``).

Each following row is split into cells (by pipe, tab, or the header's character columns where
a fixed-width row leaves cells blank) and read by role:

- label cells name the site (with the table's title line, e.g. ``AP Spine``); a row with labels
  and no value is a group label for the rows below it (``Neck`` then ``Left``/``Right``/
  ``Mean``); a row with values and no label continues the site of the row above (the earlier
  dates of a trend);
- in a table with a date column, the rows of the latest date are the current scan and the
  rows of earlier dates are priors (their BMD only): a prior never becomes a measurement;
- a second column naming a field already taken (``?BMD`` where a PDF font lost the delta) is
  a change column.

Reading stops at the first line that is neither a row nor a title. ``read_tables`` returns the
rows and the line numbers it consumed, so that the sentence reader does not read them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.kit.dates import DATE_RE, parse_date
from parsers.kit.phrases import has_phrase
from parsers.kit.text import key
from parsers.labels import (
    Site,
    families_named,
    family_of,
    field_of,
    is_not_a_measurement,
    side_of,
    site_from_labels,
    summary_sites,
)
from parsers.prose.text import DATA
from parsers.prose.values import cell_number

VALUE_FIELDS = ("bmd_g_cm2", "t_score", "z_score", "young_adult_pct", "age_matched_pct", "bmc_g",
                "area_cm2")
_SCORES = ("bmd_g_cm2", "t_score", "z_score")
_MAX_HEADER = 240
_MAX_COLUMN_NAME = 24


@dataclass(frozen=True)
class Column:
    role: str  # a measurement field read here, "date", "age", "label" or "other"
    start: int  # the header cell's span in its line (fixed-width tables)
    end: int


@dataclass
class TableRow:
    """One row with values: its site, its date (None where the table has no dates) and
    its values by field."""

    site: Site
    date: str | None
    values: dict[str, float]
    age: float | None = None  # the Age column: the patient's age at that scan


@dataclass
class _Row:
    labels: list[str]
    date: str | None
    values: dict[str, float]
    age: float | None = None


@dataclass
class Table:
    rows: list[TableRow] = field(default_factory=list)
    trend: bool = False  # dates and BMD, no score: its latest row repeats the results
    # rows with values as read (their site, if their labels name one, and their labels),
    # before a summary table's part words are placed
    read: list[tuple[Site | None, list[str], _Row]] = field(default_factory=list)

    def place(self) -> None:
        """The rows with a site: rows whose labels name none under the table's title (no
        title, or another body part's) read as a summary table's (``Neck Left``, ``Total
        Right``: a part of the hip or the forearm, ``parsers.labels.summary_sites``)."""
        sites = summary_sites([site for site, _, _ in self.read],
                              [labels for _, labels, _ in self.read])
        self.rows = [TableRow(site, row.date, row.values, row.age)
                     for site, (_, _, row) in zip(sites, self.read, strict=True) if site]

    def current_date(self) -> str | None:
        dates = [row.date for row in self.rows if row.date]
        return max(dates) if dates else None

    def current_age(self) -> float | None:
        current = self.current_date()
        return next((row.age for row in self.rows
                     if row.age is not None and row.date == current), None)


@dataclass
class TableReading:
    tables: list[Table] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # line numbers read as header or row

    def scan_date(self) -> str | None:
        """The date of the current rows of a results table with dates (the FHIR narrative's
        ``Measured`` column), else None; a trend list's latest date may be a prior's."""
        dates = [table.current_date() for table in self.tables if not table.trend]
        return max((d for d in dates if d), default=None)

    def age(self) -> float | None:
        """The age printed on a results table's current rows (the FHIR narrative's ``Age``)."""
        return next((age for table in self.tables if not table.trend
                     if (age := table.current_age()) is not None), None)


# --- cells -------------------------------------------------------------------------------------

_GAP_CELL = re.compile(r"\S+(?: \S+)*")  # cells of a fixed-width line: text between 2+ spaces


_SPACED_SEMICOLON = re.compile(r" ; ")
_EMPTY_CELLS = frozenset({"", "-", "\u2013", "\u2014", "*", "n/a", "N/A"})


def cells_of(line: str) -> tuple[list[tuple[int, int, str]], bool]:
    """The cells of a line with their spans, and whether the separators keep blank cells
    (pipes, tabs, spaced semicolons: ``0.770 ;  -2.5``) rather than collapse them (runs of
    spaces). Between separators, a run of two or more spaces parts cells too: a table may use
    both (``Region      BMD (g/cm2) |  T-score``, its label and BMD columns spaced apart)."""
    separator = ("|" if "|" in line else "\t" if "\t" in line
                 else ";" if _SPACED_SEMICOLON.search(line) else None)
    if separator is None:
        return [(m.start(), m.end(), m.group(0)) for m in _GAP_CELL.finditer(line)], False
    out: list[tuple[int, int, str]] = []
    body_end = len(line.rstrip(" "))
    start = len(line) - len(line.lstrip(" "))  # leading tabs are blank cells
    if separator == "|" and line[start:start + 1] == "|":
        start += 1
    if separator == "|" and line[:body_end].endswith("|"):
        body_end -= 1
    position = start
    for part in line[start:body_end].split(separator):
        pieces = ([(m.start(), m.end()) for m in _GAP_CELL.finditer(part)]
                  if separator != "\t" else [])
        if len(pieces) == 1:  # single spaces (a PDF's text): "Left neck of femur 0.775 |"
            pieces = _label_and_value(part) or pieces
        if len(pieces) > 1:
            out.extend((position + a, position + b, part[a:b]) for a, b in pieces)
        else:
            out.append((position, position + len(part), part.strip()))
        position += len(part) + 1
    return out, True


_LABEL_VALUE = re.compile(r"\s*([A-Za-z][^|;\t]*?[A-Za-z0-9)]) ([-+\u2212]?\d{1,3}\.\d{1,4})\s*$")
_SITE_FIELD = re.compile(r"\s*([A-Za-z]+) ([A-Za-z][^|;\t]*?)\s*$")


def _label_and_value(part: str) -> list[tuple[int, int]] | None:
    """The two cells of one separated part whose spaces were collapsed (a table's text taken
    from a PDF): a row's label and its number (``Left neck of femur 0.775``), a header's site
    column and a field (``Region BMD (g/cm2)``). None for any other part."""
    if (m := _LABEL_VALUE.match(part)) or (
            (m := _SITE_FIELD.match(part))
            and has_phrase(DATA["table_site_columns"], key(m.group(1)))
            and field_of(m.group(2)) is not None):
        return [m.span(1), m.span(2)]
    return None


# --- header ------------------------------------------------------------------------------------

def _role(cell: str, taken: set[str]) -> str:
    keyed = key(cell)
    if has_phrase(DATA["table_change_columns"], keyed):
        return "other"
    if has_phrase(DATA["table_date_columns"], keyed):
        return "date"
    found = field_of(cell)
    if found in taken:  # "?BMD (g/cm2)" after "BMD": a change column whose delta was lost
        return "other"
    if found:
        return found if found in VALUE_FIELDS else "other"
    if re.fullmatch(r" age(?: (?:years|yrs|y))? ", keyed):
        return "age"
    if "%" in cell or has_phrase(DATA["table_other_columns"], keyed):
        return "other"
    return "value" if keyed.strip() == "value" else "label"


def _prose_words(words: list[tuple[int, int, str]]) -> int:
    """The lower-case words of a single-spaced line that name no column: a header names its
    columns only (``Region BMD T-score Z-score``); a sentence about the scores has words
    between them (``Findings are reported as T-Score and Z-Score.``) and is no header."""
    return sum(1 for _, _, text in words if re.fullmatch(r"[a-z]{2,}", text)
               and not field_of(text) and _role(text, set()) == "label")


def _one_score(cells: list[tuple[int, int, str]], roles: list[str]) -> bool:
    """A table of one score (a referral form's ``Region  T-score``): its first column names
    the sites (``table_site_columns``), and one other column the T- or Z-score."""
    return (len(cells) >= 2 and roles[0] == "label"
            and has_phrase(DATA["table_site_columns"], key(cells[0][2]))
            and sum(role in ("t_score", "z_score") for role in roles) == 1
            and "bmd_g_cm2" not in roles)


def read_header(line: str) -> list[Column] | None:
    """The columns of a table header line, or None when the line is not one (it must name two
    of BMD, T- and Z-score and hold no number)."""
    if (len(line) > _MAX_HEADER
            or not re.search(r"score|bmd|density|\bT\b|\bvalue\b", line, re.IGNORECASE)
            or re.search(r"\d\.\d|[:=] {0,3}[-+]?\d", line)):
        return None
    cells, _ = cells_of(line)
    if DATE_RE.search(line) and (len(cells) < 2 or not all(
            has_phrase(DATA["table_change_columns"], key(text))
            for _, _, text in cells if DATE_RE.search(text))):
        return None  # a date only in a change column's name: "Change vs 01/12/2023"
    if len(cells) < 2:  # single spaces: "Region BMD T-score Z-score" (one label column first)
        words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", line)]
        if len(words) < 3 or "%" in line or _prose_words(words[1:]) >= 2:
            return None
        cells = [words[0]] + [w for w in words[1:] if field_of(w[2])]
    if any(cell_number(text) is not None for _, _, text in cells):
        return None
    taken: set[str] = set()
    columns = []
    for start, end, text in cells:
        role = _role(text, taken) if text else "label"
        taken.add(role)
        columns.append(Column(role, start, end))
    roles = [c.role for c in columns]
    if "date" in roles and "bmd_g_cm2" not in roles and "value" in roles:  # "Date  Value"
        columns = [Column("bmd_g_cm2" if c.role == "value" else c.role, c.start, c.end)
                   for c in columns]
        roles = [c.role for c in columns]
    trend = "date" in roles and "bmd_g_cm2" in roles  # a dated list of one site's BMD
    if sum(role in _SCORES for role in roles) < 2 and not trend and not _one_score(
            cells, roles):
        return None
    return [Column("label" if c.role == "value" else c.role, c.start, c.end) for c in columns]


# --- rows --------------------------------------------------------------------------------------

def _by_overlap(cells: list[tuple[int, int, str]], columns: list[Column]) -> list[str] | None:
    """Cells of a fixed-width row placed under the header column they overlap most (blank
    cells collapse in such a row, so position is all that tells which column a cell is)."""
    out = [""] * len(columns)
    bounds = [(c.start, columns[i + 1].start if i + 1 < len(columns) else 10**6)
              for i, c in enumerate(columns)]
    for start, end, text in cells:
        overlaps = [min(end, hi) - max(start, lo) for lo, hi in bounds]
        best = max(range(len(columns)), key=lambda i: overlaps[i])
        if overlaps[best] <= 0 or out[best]:
            return None
        out[best] = text
    return out


def _by_trailing_numbers(line: str, columns: list[Column]) -> list[str] | None:
    """A single-spaced row (``Neck Left 0.980 -0.4 0.7``): the trailing numbers against the
    value columns in order, the words before them the label."""
    tokens = line.split()
    count = len(columns) - 1
    if not 0 < count < len(tokens) or not all(
            cell_number(t) is not None or t == "-" for t in tokens[-count:]):
        return None
    return [" ".join(tokens[:-count]), *tokens[-count:]]


def row_cells(line: str, columns: list[Column]) -> list[str] | None:
    """The text under each column of a row, or None when the line does not fit the table."""
    cells, keeps_blanks = cells_of(line)
    if keeps_blanks:
        texts = [text for _, _, text in cells]
        if len(texts) < len(columns):
            texts += [""] * (len(columns) - len(texts))
        if len(texts) > len(columns) and all(text in _EMPTY_CELLS
                                             for text in texts[len(columns):]):
            texts = texts[:len(columns)]  # blank cells under a header line wrapped at its end
        return texts if len(texts) == len(columns) else None
    if len(cells) == len(columns):
        return [text for _, _, text in cells]
    placed = _by_overlap(cells, columns) if len(cells) > 1 else None
    return placed or _by_trailing_numbers(line, columns)


def _read_row(texts: list[str], columns: list[Column], day_first: bool | None) -> _Row:
    labels: list[str] = []
    date: str | None = None
    age: float | None = None
    values: dict[str, float] = {}
    for text, column in zip(texts, columns, strict=True):
        if not text or text in ("-", "*"):
            continue
        if DATE_RE.fullmatch(text.strip()) and (found := parse_date(text, day_first=day_first)):
            date = found
            continue
        number = cell_number(text)
        if column.role in VALUE_FIELDS and number is not None:
            values[column.role] = number
        elif column.role == "age" and number is not None and 0 < number < 130:
            age = number
        elif column.role == "label" and number is None:
            labels.append(text)
    return _Row(labels, date, values, age)


def _plausible(values: dict[str, float]) -> dict[str, float]:
    out = {}
    for name, number in values.items():
        if name == "bmd_g_cm2" and not 0.1 <= number <= 3.0:
            continue
        if name in ("t_score", "z_score") and not -10.0 <= number <= 10.0:
            continue
        out[name] = number
    return out


def _continues_header(line: str) -> bool:
    """A line of column names only, none a site's or a number (``dBMD(%)``): under a header,
    the end of that header wrapped onto a line of its own."""
    cells = cells_of(line)[0]
    return bool(cells) and not re.search(r"\d\.\d|:", line) and all(
        text and len(text) <= _MAX_COLUMN_NAME and _role(text, set()) != "label"
        for _, _, text in cells)


def _group_label(line: str, title: str | None) -> bool:
    """A line of one short cell naming a region under the table's title: ``Neck``."""
    text = line.strip()
    return (len(text) < 30 and len(cells_of(line)[0]) == 1 and not re.search(r"\d\.\d", text)
            and site_from_labels(title, text) is not None)


def _row_site(title: str | None, group: list[str], labels: list[str]) -> Site | None:
    """The site of a row: its labels under its group and the table's title. A row whose own
    labels name no site takes the title's region only where they do not contradict it: a
    side (``Left FN`` under a spine title, the abbreviation unknown) is no part of a sideless
    spine or whole body, so such a row has no site rather than the title's."""
    site = site_from_labels(title, *group, *labels) or site_from_labels(title, *labels)
    if (site is not None and site.side is None and labels and side_of(labels[-1])
            and site_from_labels(*group, *labels) is None):
        return None
    return site


def _title(line: str) -> bool:
    """A short line naming one body part above a table: ``DualFemur Bone Density``. A line
    naming two (``Lumbar spine and hip scanned on a GE Lunar iDXA``) lists what was scanned:
    it is no title, or each row would take its first body part."""
    return (len(line.strip()) < 60 and family_of(line) is not None
            and not re.search(r"\d\.\d", line) and len(families_named(line)) == 1)


# a ruled line of a text table, drawn with dashes, equals signs, underscores or box lines
_RULE = "-=_~\u2013\u2014\u2500\u2501\u2550"
_RULE_RE = re.compile(rf"[\s|+:]*[{_RULE}]{{3,}}[{_RULE}\s|+:]*")


def read_tables(lines: list[str], day_first: bool | None) -> TableReading:
    """Every table of the prepared lines (tabs kept): its rows with site, date and values."""
    reading = TableReading()
    columns: list[Column] | None = None
    title: str | None = None
    group: list[str] = []
    previous: list[str] = []
    table = Table()
    for number, line in enumerate(lines):
        if _RULE_RE.fullmatch(line):
            continue  # "------" under a header or between rows: the table goes on
        header = read_header(line)
        if header:
            trend = not any(c.role in ("t_score", "z_score") for c in header)
            columns, group, previous = header, [], []
            table = Table(trend=trend)
            reading.tables.append(table)
            reading.consumed.add(number)
            continue
        texts = row_cells(line, columns) if columns and line.strip() else None
        if texts is None and columns and number - 1 in reading.consumed and not table.read \
                and _continues_header(line):
            reading.consumed.add(number)  # "dBMD(%)": the end of a header wrapped
            continue
        if texts is None and _title(line):
            title, group, previous = line, [], []
            continue
        if columns and texts is None and _group_label(line, title):
            group, previous = [line.strip()], []  # "Neck", then "Left", "Right", "Mean"
            reading.consumed.add(number)
            continue
        if columns and texts is not None:
            row = _read_row(texts, columns, day_first)
            if row.values or row.date or row.labels:
                reading.consumed.add(number)
                if not row.values and not row.date:
                    group, previous = row.labels, []  # "Neck", then "Left", "Right", "Mean"
                    continue
                labels = row.labels or previous
                previous = labels
                if labels and is_not_a_measurement(labels[-1]):
                    continue
                site = _row_site(title, group, labels)
                values = _plausible(row.values)
                if values:
                    table.read.append((site, [*group, *labels],
                                       _Row(labels, row.date, values, row.age)))
                continue
        if line.strip():
            columns = None
    for table in reading.tables:
        table.place()
    return reading
