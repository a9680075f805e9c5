"""The numbers of a free-text DXA report: measurements, priors (as printed: a stated change
gives none) and LSC.

A labelled value (``values``) takes the site named before it (or, failing that, after it) in
the same sentence through the shared label table (``parsers.labels``); tables are read by their
header row. ``read_measurements`` walks the paragraphs once; the reader (``reader.read_prose``)
adds the other facts (``facts``) around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from dexa.contract import Lsc, Measurement, Prior
from parsers.kit.dates import parse_date
from parsers.kit.phrases import phrase_pattern
from parsers.kit.text import key
from parsers.kit.vocabulary import load
from parsers.labels import Site, family_of, field_of, is_not_a_measurement, site_from_labels
from parsers.prose.tables import TableReading
from parsers.prose.text import DEFINITION_RE, Paragraph, has, phrases, sentences
from parsers.prose.values import UNIT, Value, continued_scores, plausible, values_in

# --- the site of a value ---------------------------------------------------------------------

_LABELS = load("sites")
_SITE_WORDS = re.compile(
    r"(?<![a-z0-9])(?:[lt]1?[0-9]|" + "|".join(sorted(
        {phrase_pattern(p) for items in _LABELS["families"].values() for p in items}
        | {phrase_pattern(p) for entry in _LABELS["regions"] for p in entry["phrases"]
           if entry["family"] is None}, key=len, reverse=True)) + r")(?![a-z0-9])")


_PART_WORDS = re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(
    {phrase_pattern(p) for entry in _LABELS["regions"] for p in entry["phrases"]
     if entry["family"] is not None}, key=len, reverse=True)) + r")(?![a-z0-9])")


def _names_part(text: str) -> bool:
    """A region word that names a site only under its body part ("neck", "total" under "Right
    hip:")."""
    return _PART_WORDS.search(key(text)) is not None


def names_a_place(text: str) -> bool:
    """Cheap test before the label table: does the text hold any body-part word at all?"""
    return _SITE_WORDS.search(key(text)) is not None


@lru_cache(maxsize=4096)
def _site(*labels: str | None) -> Site | None:
    """The site the labels name; in dictation a spine named without region or levels
    ("SPINE: T-Score -2.7") is the lumbar spine, the only spine a DXA report measures."""
    texts = [label for label in labels if label and label.strip()]
    if not any(names_a_place(text) for text in texts):
        return None
    site = site_from_labels(*texts)
    if site is None and family_of(texts[-1]) == "spine":
        return Site(region="lumbar_spine", side=None, levels=None)
    return site


# "#NOF", "# neck of femur": the UK sign for a fracture before a site names the fractured
# bone, never the site of a value
_FRACTURED_SITE = re.compile(r"#\s{0,2}[A-Za-z]+(?: of [A-Za-z]+)?")


def sites_for(sentence: str, vals: list[Value], context: str | None,
              current: Site | None) -> list[Site | None]:
    """The site of each value: named before it (since the previous value) or between its label
    and number; else the site carried from before; a sentence that names its site only after its
    values ("The lowest T-score is -2.0 at the left femoral neck") gives that site, unless
    that tail speaks of a fracture ("T-score -2.6 after a femoral neck fracture"). A site after
    ``#`` (a fracture: ``#NOF``) is never a value's."""
    out: list[Site | None] = []
    previous_end = 0
    sentence = _FRACTURED_SITE.sub(lambda m: " " * len(m.group(0)), sentence)
    tail = sentence[vals[-1].end:] if vals else ""
    tail_site = _site(context, tail) if vals and not has("fracture_words", key(tail)) else None
    for value in vals:
        label = sentence[previous_end:value.start] + " " + value.inner
        if is_not_a_measurement(label):  # "Neck Diff. 0.064": a left-right difference
            out.append(None)
            previous_end = value.end
            continue
        if _site(label) or (context is not None and _names_part(label)
                            and _site(context, label)):
            current = _site(context, label)  # "Right hip: neck T-score -2.1, total T-score -1.7"
        elif not out and tail_site and _site(sentence[vals[-1].end:]):
            current = tail_site
        out.append(current)
        previous_end = value.end
    return out


# --- the reading -------------------------------------------------------------------------------

@dataclass
class Reading:
    """Everything gathered while walking the paragraphs once."""

    day_first: bool | None
    comparison_date: str | None = None
    scan_date: str | None = None
    # without a scan date: the latest of the dates beside the BMDs of each site that has BMDs
    # under two or more dates (a trend written as text), and the dates seen while walking
    latest_by_site: dict[tuple[str, str | None, str | None], str] = field(default_factory=dict)
    dates_by_site: dict[tuple[str, str | None, str | None], set[str]] = field(
        default_factory=dict)
    measurements: dict[tuple[str, str | None, str | None], Measurement] = field(
        default_factory=dict)
    priors: dict[tuple[str, str, str | None, str | None], Prior] = field(default_factory=dict)
    lsc: dict[tuple[str, str | None, str | None], Lsc] = field(default_factory=dict)


def _key(site: Site) -> tuple[str, str | None, str | None]:
    return (site.region, site.side, site.levels)


def _sentence_kind(sentence: str, section: str | None) -> str:
    """``lsc`` (read by _read_lsc), ``skip`` (recommendations, definitions) or ``text``."""
    if has("lsc_words", key(sentence)):
        return "lsc"
    if section == "recommendations" or DEFINITION_RE.search(sentence):
        return "skip"
    return "text"


_CHANGE_BEFORE = re.compile(r"(?:increase|decrease|change|gain|loss|decline|drop|differen)"
                            r"[a-z]{0,3}(?: in [a-z]{1,12})? {0,3}(?:by|of|=|:)? {0,3}$",
                            re.IGNORECASE)
_PRIOR_AFTER = re.compile(r" {0,3}\)?,? {0,3}(?:\(?(?:prior|previous(?:ly)?|baseline)\b"
                          r"|(?:on|at|in) (?:the|a) (?:prior|previous|baseline))", re.IGNORECASE)


_FROM_BEFORE = re.compile(r"\bfrom(?: (?:a|the)(?: (?:bmd|value|density))? of)? {0,2}$",
                          re.IGNORECASE)


def _after_prior_words(before: str) -> bool:
    """A prior-study phrase before the value that no "now" / "currently" follows: "was 0.950
    g/cm2 on the prior study and is now 0.912 g/cm2" makes 0.912 current."""
    keyed = key(before)
    prior = list(phrases("prior_words").finditer(keyed))
    if not prior:
        return False
    return not phrases("current_words").search(keyed, prior[-1].end())


def _value_kind(sentence: str, value: Value, since: int, section: str | None) -> str:
    """``change`` ("has decreased by 0.012 g/cm2"), ``prior`` (after a prior-study phrase, or
    followed by one: "0.754 g/cm2 on the previous study", or after ``from``: "decreased by 3.2%
    from 0.942 g/cm2"), else ``current``."""
    if _CHANGE_BEFORE.search(sentence[since:value.start]):
        return "change"
    if _FROM_BEFORE.search(sentence[since:value.start]):
        return "prior"  # "has decreased by 3.2% from 0.942 g/cm2": where the change started
    if (_after_prior_words(sentence[:value.start])
            or _PRIOR_AFTER.match(sentence, value.end)
            or (section == "comparison" and parse_date(sentence))):
        return "prior"
    return "current"


def _add_measurement(reading: Reading, site: Site, value: Value) -> None:
    row = reading.measurements.setdefault(
        _key(site), Measurement(region=site.region, side=site.side, levels=site.levels))
    if getattr(row, value.field) is None:
        setattr(row, value.field, value.number)


def _read_values(reading: Reading, paragraph: Paragraph) -> None:
    _read_sentences(reading, paragraph.section, paragraph.text)


_LEAD_LABEL = re.compile(r" {0,4}([A-Za-z][A-Za-z .()/-]{1,30}):")
_FROM_TO = re.compile(rf"\bfrom {{0,2}}(\d\.\d{{2,4}})(?: {{0,2}}{UNIT})?,? {{0,3}}to(?: {{0,2}}"
                      rf"(\d\.\d{{2,4}})(?: {{0,2}}{UNIT})?|\s*$)", re.IGNORECASE)


def _from_to(sentence: str, vals: list[Value]) -> tuple[list[Value], dict[int, str]]:
    """``has decreased from 0.589 to 0.578 g/cm2``: the first number is the prior BMD (it may
    print no unit); the second repeats the current one in a comparison, which is not a
    measurement (``comparison``: read as neither). A sentence that ends at ``to`` (the rest of
    a line lost: a picture's side cut it) still states the prior. Returns the values with the
    first added and the kind of each value of the phrase by its start."""
    match = _FROM_TO.search(sentence)
    if match is None:
        return vals, {}
    before = Value("bmd_g_cm2", float(match.group(1)), match.start(1), match.end(1), "")
    kept = [v for v in vals if not match.start(1) <= v.start < match.end(1)]
    kept = sorted([*kept, before], key=lambda v: v.start)
    kinds = {match.start(1): "prior"}
    if match.group(2) is not None:
        kinds.update({v.start: "comparison" for v in kept
                      if match.start(2) <= v.start < match.end() and v.field == "bmd_g_cm2"})
    return kept, kinds


def _read_sentences(reading: Reading, section: str | None, text: str) -> None:
    context: str | None = None
    current: Site | None = None
    for sentence in sentences(text):
        kind = _sentence_kind(sentence, section)
        vals = (continued_scores(sentence, values_in(sentence), names_a_place)
                if kind == "text" else [])
        vals, kinds = _from_to(sentence, vals) if kind == "text" else (vals, {})
        if not vals:
            if kind != "skip" and len(sentence) < 60 and names_a_place(sentence) and (
                    family_of(sentence) or _site(sentence)):
                context, current = sentence, _site(sentence)  # a header: "LEFT HIP:"
            continue
        lead = _LEAD_LABEL.match(sentence)
        if (lead and lead.end() <= vals[0].start and family_of(lead.group(1))
                and _site(lead.group(1)) is None):
            context = lead.group(1)  # a body part, no site: "Left hip: femoral neck ...; total hip"
        since = 0
        for index, (site, value) in enumerate(zip(sites_for(sentence, vals, context, current),
                                                   vals, strict=True)):
            value_kind = kinds.get(value.start) or _value_kind(sentence, value, since, section)
            beside = _date_beside(reading, sentence, since,
                                  vals[index + 1].start if index + 1 < len(vals) else None,
                                  value, site) if value_kind == "current" else None
            since = value.end
            if beside is not None:  # "2022-03-15 L1-L4 0.950 g/cm2": an earlier scan's value
                if site is not None and value.field == "bmd_g_cm2" and plausible(value, "prior"):
                    _add_prior(reading, site, value, sentence, beside)
                continue
            if site is None or not plausible(value, value_kind):
                continue
            current = site
            if value_kind == "current":
                _add_measurement(reading, site, value)
            elif value_kind == "prior" and value.field == "bmd_g_cm2":
                _add_prior(reading, site, value, sentence)
            # a change ("has decreased by 0.012 g/cm2") is neither a BMD nor a prior: the prior
            # BMD it implies is not printed, and CONTRACT.md sets only what the report states;
            # nor is a comparison's repeat of the current value


_BESIDE = 24  # characters around a value where a date is that value's date
_BIRTH_WORDS = re.compile(r"\b(?:birth|born|dob|d\.o\.b)\b", re.IGNORECASE)


def _date_beside(reading: Reading, sentence: str, since: int, until: int | None,
                 value: Value, site: Site | None) -> str | None:
    """The date printed right beside a value (before it since the previous value, or after it
    up to the next) where that date is earlier than the scan date: the value is that earlier
    scan's (a trend written as text, "L1-L4 BMD on 2022-03-15: 0.950 g/cm2"). Without a scan
    date, earlier than the latest date beside a BMD of the same site, where the site has BMDs
    under two or more dates ("2022-03-15 L1-L4 0.950; 2024-05-05 L1-L4 0.912": the earlier is
    the prior, whatever the scan date). None where no such date is known, no date is beside the
    value, or the date is the latest."""
    site_key = _key(site) if site is not None and value.field == "bmd_g_cm2" else None
    reference = reading.scan_date or (reading.latest_by_site.get(site_key) if site_key else None)
    if reference is None and (reading.scan_date is not None or site_key is None):
        return None
    before = sentence[max(since, value.start - _BESIDE):value.start]
    after = sentence[value.end:min(value.end + _BESIDE, until or len(sentence))]
    for window in (before, after):
        date = parse_date(window, day_first=reading.day_first)
        if date and not _BIRTH_WORDS.search(window) and not phrases("current_words").search(
                key(window)):
            if reference is not None:
                return date if date < reference else None
            if site_key is not None:  # no scan date: remember it (read_measurements)
                reading.dates_by_site.setdefault(site_key, set()).add(date)
            return None
    return None


def _add_prior(reading: Reading, site: Site, value: Value, sentence: str,
               date: str | None = None) -> None:
    date = date or parse_date(sentence, day_first=reading.day_first) or reading.comparison_date
    if date:
        reading.priors.setdefault((date, *_key(site)), Prior(
            scan_date=date, region=site.region, side=site.side, levels=site.levels,
            bmd_g_cm2=value.number))


_LSC_VALUE_RE = re.compile(rf"(?<![\d.])(\d\.\d{{1,4}}) {{0,2}}(?:{UNIT}|%)", re.IGNORECASE)


def _read_lsc(reading: Reading, sentence: str) -> None:
    """``LSC ... Lumbar spine - 0.033 gm/cm2 Total femur - 0.017 gm/cm2``, ``(LSC= 0.028 g/cm2
    for AP Spine L1-L4)`` and ``LSC is 0.031 g/cm2 for the lumbar spine and 0.036 g/cm2 for the
    femoral neck``: a sentence names its sites either before its values or after them, and the
    first value tells which."""
    matches = [m for m in _LSC_VALUE_RE.finditer(sentence) if not m.group(0).endswith("%")]
    if not matches:
        return
    befores = [sentence[matches[i - 1].end() if i else 0:m.start()] for i, m in enumerate(matches)]
    afters = [sentence[m.end():matches[i + 1].start() if i + 1 < len(matches) else None]
              for i, m in enumerate(matches)]
    sites_after = _site(befores[0]) is None and _site(afters[0]) is not None
    for m, before, after in zip(matches, befores, afters, strict=True):
        site = _site(after) if sites_after else (_site(before) or _site(after))
        if site and 0 < float(m.group(1)) < 0.5:
            reading.lsc.setdefault(_key(site), Lsc(region=site.region, side=site.side,
                                                   levels=site.levels, g_cm2=float(m.group(1))))


def _add_table_rows(reading: Reading, tables: TableReading) -> None:
    """Rows of the latest date (or of a table without dates) are measurements, but for a
    trend list's (it repeats the results, perhaps under another label); rows of earlier dates
    are priors."""
    for table in tables.tables:
        current = table.current_date()
        for row in table.rows:
            if row.date is None or row.date == current:
                if table.trend and row.date is not None:
                    continue
                for name, number in row.values.items():
                    _add_measurement(reading, row.site, Value(name, number, 0, 0, ""))
            elif "bmd_g_cm2" in row.values:
                site = row.site
                reading.priors.setdefault((row.date, *_key(site)), Prior(
                    scan_date=row.date, region=site.region, side=site.side, levels=site.levels,
                    bmd_g_cm2=row.values["bmd_g_cm2"]))


def read_measurements(paras: list[Paragraph], text: str, day_first: bool | None,
                      tables: TableReading | None = None,
                      scan_date: str | None = None) -> Reading:
    """Measurements, priors and LSC of the prepared text (``text``: its lines joined, split in
    ``paras``; the lines of ``tables``, read before, are left out of both). A prior without its
    own date takes the comparison study's date; a value with an earlier date beside it than
    ``scan_date`` (without one: than another BMD of its site, see ``_date_beside``) is a prior
    of that date."""
    reading = _walk(Reading(day_first=day_first, scan_date=scan_date), paras, text, tables)
    trends = {site: max(dates) for site, dates in reading.dates_by_site.items()
              if len(dates) > 1}
    if trends:  # no scan date, and a site's BMDs under two or more dates: read again
        reading = _walk(Reading(day_first=day_first, latest_by_site=trends), paras, text, tables)
    return reading


def _walk(reading: Reading, paras: list[Paragraph], text: str,
          tables: TableReading | None) -> Reading:
    day_first = reading.day_first
    if tables:
        _add_table_rows(reading, tables)
    comparison = [p.text for p in paras if p.section == "comparison"]
    reading.comparison_date = parse_date("\n".join(comparison), day_first=day_first) or next(
        (d for d in (parse_date(s, day_first=day_first) for s in sentences(text)
                     if has("prior_words", key(s))) if d), None)
    for paragraph in paras:
        _read_values(reading, paragraph)
        if paragraph.section != "recommendations":
            _read_legend_groups(reading, paragraph.text)
        in_lsc = False
        for sentence in sentences(paragraph.text):
            if has("lsc_words", key(sentence)) or (in_lsc and _continues_lsc(sentence)):
                _read_lsc(reading, sentence)
                in_lsc = True
            else:
                in_lsc = False
    return reading


_NUMBER = r"[-+\u2212]?\d{1,2}(?:\.\d{1,4})?"
# "Results (BMD g/cm2 / T / Z):": the fields of every group of numbers after it, in order
_LEGEND = re.compile(r"\((?P<legend>[A-Za-z][^()\n]{2,60}?)\) {0,2}:")
_SLOT = rf"(?:{_NUMBER}|n/a|N/A|-|\u2013|\u2014)"  # a number, or a field not printed
_GROUP = re.compile(rf"(?P<label>[A-Za-z][A-Za-z0-9 (),-]{{0,30}}?) {{1,3}}"
                    rf"(?P<values>{_NUMBER}(?: {{0,2}}/ {{0,2}}{_SLOT}){{1,3}})"
                    r"(?= {0,2}(?:[;,]|\.(?!\d)|$))")
_GLUED_SIDE = re.compile(r"^([LR])(?=[A-Z]{2,3}$)")  # "RFN", "LTH": side, then the site


def _read_legend_groups(reading: Reading, text: str) -> None:
    """``Results (BMD g/cm2 / T / Z): LS L1-L4 0.985 / -0.6 / 0.0; RFN 0.722 / -1.1 / -0.1``:
    a bracketed legend naming a field for each slash-parted number (each one a field:
    ``parsers.labels.field_of``), then groups of a site and as many numbers. A group with
    another count of numbers, or a label that names no site, is not read."""
    for line in text.split("\n"):
        legend = _LEGEND.search(line)
        if legend is None:
            continue
        names = legend.group("legend")  # "BMD g/cm2 / T / Z": a unit's slash is no border
        parts = re.split(r" +/ +", names) if " / " in names else names.split("/")
        fields = [field_of(part) for part in parts]
        if len(fields) < 2 or None in fields or len(set(fields)) != len(fields):
            continue
        for group in _GROUP.finditer(line, legend.end()):
            printed = group.group("values")
            slots = re.split(r" +/ +", printed) if " / " in printed else printed.split("/")
            numbers = [float(n.replace("\u2212", "-")) if re.fullmatch(_NUMBER, n) else None
                       for n in slots]
            label = _GLUED_SIDE.sub(r"\1 ", group.group("label").strip())
            site = _site(label)
            if site is None or len(numbers) != len(fields):
                continue
            values = [Value(name, number, 0, 0, "")
                      for name, number in zip(fields, numbers, strict=True)
                      if name and number is not None]
            if all(plausible(value, "current") for value in values):
                for value in values:
                    _add_measurement(reading, site, value)


def _continues_lsc(sentence: str) -> bool:
    """A clause after an LSC sentence (past a ``;`` or a line break) that gives more sites'
    LSC: values in g/cm2 under 0.1 only (no BMD is that low) and no score or BMD label."""
    vals = values_in(sentence)
    return bool(vals) and all(v.field == "bmd_g_cm2" and v.number < 0.1 for v in vals) and not (
        re.search(r"\bBMD\b|density", sentence, re.IGNORECASE))
