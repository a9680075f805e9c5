"""Facts a free-text DXA report states besides its measurements: patient, scanner maker, scan
date, excluded vertebrae, the printed WHO category. Sex, menopausal status, fracture history,
therapy, FRAX and risk factors are the shared history reader's (``parsers.history``).
Each reader takes the prepared text (or its paragraphs) and returns a value of the report
document, ``None``/null when the report is silent."""

from __future__ import annotations

import re

from dexa.contract import Patient
from parsers.history import History, menopause_from_lmp
from parsers.history.context import categories
from parsers.history.findings import AGE_Y_SEX, SEX_Y_AGE
from parsers.kit.dates import DATE_RE, SCAN_ON_RE, age_at, parse_date
from parsers.kit.identifiers import identifier
from parsers.kit.phrases import first_entry
from parsers.kit.text import fold, key
from parsers.kit.units import INCH_CM, POUND_KG
from parsers.kit.vocabulary import load
from parsers.prose.text import (
    DATA,
    DEFINITION_RE,
    Paragraph,
    has,
    labelled,
    labelled_date,
    labelled_row,
    section_of,
    sentences,
)

# --- patient and study facts ---------------------------------------------------------------

_PERSON_WORDS = "|".join(sorted({re.escape(word) for words in load("history")["sex_words"].values()
                                  for word in words if len(word) > 2} | {"patient"}))
_HISTORY_LABELS = "|".join(r"\W{1,3}".join(map(re.escape, p.split()))
                           for p in load("sections")["sections"]["history"])
_AGE_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d)?)[ -]{0,3}(?:years?|yrs?|y)[ ./-]{0,3}(?:old|o)\b"
                     r"|\bage(?: {0,2}/ {0,2}(?:sex|gender)| at (?:the )?(?:exam|examination|scan"
                     r"|study))?[ ]{0,16}[:=][ ]{0,3}"
                     r"(\d{1,3}(?:\.\d{1,2})?)(?!\d|\.\d| {0,2}%)"
                     r"|[,;] {0,2}aged? {1,2}(\d{1,3})\b(?! {0,2}(?:%|years? ago|yrs? ago))"
                     r"|(?:^|(?<=[.:;])) {0,3}age {1,2}(\d{1,3})\b(?! {0,2}(?:%|years? ago|yrs? ago"
                     r"|at\b)|\.\d)"
                     # "female patient, 41 years of age"
                     r"|(?<![\d.])(\d{1,3}) {1,2}years? of age\b"
                     # an age and F/M as one word or two opening a history item: "INDICATION: 85F,"
                     rf"|^ {{0,3}}(?:{_HISTORY_LABELS}) {{0,3}}: {{0,3}}(\d{{2,3}}) ?[FM]"
                     r"(?![/\w]|\.\w)"
                     # a sex word or "patient" before "aged": "Gentleman aged 70", "Woman aged 50"
                     rf"|\b(?:{_PERSON_WORDS}) {{1,2}}aged? {{1,2}}(\d{{1,3}})\b"
                     r"(?! {0,2}(?:%|years? ago|yrs? ago|[-\u2013] {0,2}\d))"
                     # an age in years written short before F/M: "I saw this 75y M"
                     rf"|(?-i:{AGE_Y_SEX})"
                     # sex and age in brackets: "Patient: S. Brennan (F, 55y)"
                     rf"|(?-i:{SEX_Y_AGE.replace('([FM])', '(?:F|M)')})"
                     # a sex-and-age label's value: "Sex/Age: F/67"
                     r"|\b(?:sex|gender) {0,2}/ {0,2}age {0,8}[:=] {0,3}(?:female|male|f|m) {0,2}"
                     r"[/,] {0,2}(\d{1,3})(?: {0,2}(?:y|yrs?|years?)\.?)?\b(?!\.\d)",
                     re.IGNORECASE | re.MULTILINE)
_HEIGHT_RE = re.compile(r"\b(?:height|ht)\b[^\n]{0,40}?(?<![\d.])(\d{2,3}(?:\.\d{1,2})?) {0,2}"
                        r"(cm|centimet[a-z]{0,3}|in|inch|inches|\")(?![a-z])", re.IGNORECASE)
_FEET_RE = re.compile(r"\bheight[^\n\d]{0,20}([4-7]) {0,2}(?:'|ft|feet|foot) {0,2}"
                      r"(\d{1,2}(?:\.\d)?)? {0,2}(?:\"|''|in|inches)?", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"\b(?:weight|wt)\b[^\n]{0,40}?(?<![\d.])(\d{2,3}(?:\.\d{1,2})?) {0,2}"
                        r"(kg|kilo[a-z]{0,6}|lbs?|pounds?)(?![a-z])", re.IGNORECASE)


_NOT_THE_AGE = {"mp", "menopause", "menopausal", "menarche", "onset", "diagnosis", "fracture"}
_AT_AN_AGE = {"at", "since", "from", "until", "by", "before", "after"}  # an event's age


def _age(text: str) -> tuple[float | None, int | None]:
    """``83 years old``, ``68-year-old``, ``Age: 62.6``, ``female, age 87``, ``Age 67`` opening
    a clause (``Clinical information: Age 67. Female.``); not ``MP age: 50`` (menopause),
    ``menopause age 50`` nor ``fracture at age 12``; ``41 years of age``; an age with F/M opening a
    history item (``INDICATION: 85F, ...``, not ``5F catheter``, ``M/F``)."""
    for m in _AGE_RE.finditer(text):
        age = float(next(group for group in m.groups() if group))
        before = key(text[max(0, m.start() - 30):m.start()]).split()
        if m.group(5) and set(before[-3:]) & (_NOT_THE_AGE | _AT_AN_AGE):
            continue  # "menopause at 50 years of age"
        if _of_a_relative(text, m):
            continue  # "Did either of your parents break a hip? Yes - mother, hip, aged 80"
        if (m.group(3) or m.group(4)) and set(_clause_before(text, m.start())[:1]) & _NOT_THE_AGE:
            continue  # "Menopause: Yes, age 53": the age of the event the clause opens with
        if 0 < age < 120 and not (m.group(2) and set(before[-1:]) & _NOT_THE_AGE):
            return age, m.end()
    return None, None


_CLAUSE_END_RE = re.compile(r"[\n.;?!]")


def _clause_before(text: str, at: int) -> list[str]:
    """The key words of the clause of ``text`` before offset ``at``."""
    start = max((m.end() for m in _CLAUSE_END_RE.finditer(text, 0, at)
                 if m.group() != "." or not text[m.start() - 1:m.start()].isdigit()), default=0)
    return key(text[start:at]).split()


def _of_a_relative(text: str, age: re.Match[str]) -> bool:
    """Whether a relative named before the age in its clause reaches it (history.json
    context, family): the age is theirs, not the patient's."""
    start = max((m.end() for m in _CLAUSE_END_RE.finditer(text, 0, age.start())
                 if not text[m.start() - 1:m.start()].isdigit()), default=0)
    keyed = key(text[start:age.end()])
    last = keyed.rstrip().rfind(" ") + 1
    return "family" in categories(keyed, last, len(keyed.rstrip()))


def printed_age(text: str) -> float | None:
    """The age the report prints (``83 years old``, ``Age: 62.6``), else None."""
    return _age(text)[0]


def _height_weight(text: str) -> tuple[float | None, float | None]:
    height = weight = None
    for m in _HEIGHT_RE.finditer(text):
        cm = float(m.group(1)) * (1.0 if m.group(2).lower().startswith("c") else INCH_CM)
        if 50 <= cm <= 250:
            height = round(cm, 1)
            break
    if height is None:
        feet = _FEET_RE.search(text)
        if feet:
            height = round((int(feet.group(1)) * 12 + float(feet.group(2) or 0)) * INCH_CM, 1)
    for m in _WEIGHT_RE.finditer(text):
        kg = float(m.group(1)) * (1.0 if m.group(2).lower().startswith("k") else POUND_KG)
        if 10 <= kg <= 350:
            weight = round(kg, 1)
            break
    return height, weight


def read_identifier(text: str, fact: str) -> str | None:
    """The patient id or accession: the first value after a label of ``fact`` with a colon
    that is an identifier (``parsers.kit.identifiers``), else one in a key-value row without
    a colon (four characters at least and not a year there: ``ACC 2019 ...`` is no
    accession row)."""
    found = next((v for value in labelled(text, fact) if (v := identifier(value))), None)
    return found or next((v for value in labelled_row(text, fact)
                          if (v := identifier(value)) and len(v) >= 4
                          and not _YEAR_RE.fullmatch(v)), None)


_YEAR_RE = re.compile(r"(?:18|19|20|21)\d\d")


def phrase_value(values: list[str]) -> str | None:
    for value in values:
        text = re.split(r" {2,}|[;|]|\. ", value)[0].strip(" ,.")
        if re.search(r"[A-Za-z]", text):
            return text[:80]
    return None


def read_scan_date(lines: list[str], text: str, day_first: bool | None) -> str | None:
    """A labelled scan date (``DATE OF STUDY:``, ``Scan Date:``, ``Measured:``), else the date
    in the report's title (``BONE DENSITOMETRY REPORT 5/16/2025 2:52 PM``), else the date the
    study was "performed on" where the sentence names no earlier study, else a bare ``Date:``
    (a letter's is the day it was written, not the scan's)."""
    if date := labelled_date(text, "scan_date", day_first):
        return date
    for row in _HEADER_SCAN_RE.finditer(text):  # "DOB: 15.09.1947  Scan: 22.08.2025"
        if date := parse_date(row.group(1), day_first=day_first):
            return date
    for line in [line for line in lines if line.strip()][:3]:
        if has("prior_words", key(line)) or section_of(line) not in (None, "exam", "date") \
                or _OTHER_STUDY_RE.search(line):
            continue  # "COMPARISON: DXA 06/15/2021", "Next DXA due 01/02/2027"
        if has(["report", "densitometry", "dxa", "dexa", "bone density"], key(line)):
            date = parse_date(line, day_first=day_first)
            if date:
                return date
    for sentence in sentences(text):
        done = _PERFORMED_ON_RE.search(sentence)
        if done and _THIS_STUDY_RE.search(sentence[:done.start()]) \
                and not has("prior_words", key(sentence)) \
                and (date := parse_date(sentence[done.end():done.end() + 40], day_first=day_first)):
            return date
    for line in lines:  # a scan's block header: "Left Hip - Neck on: 02/15/2025 1:35:32 PM"
        block = SCAN_ON_RE.search(line)
        if block and not has("prior_words", key(line)) \
                and (date := parse_date(block.group(1), day_first=day_first)):
            return date
    return _study_date(text, day_first) or labelled_date(text, "bare_date", day_first) \
        or _hl7_observed(text)


# the study named, then its date: "The DXA of 16/06/2021 showed", "Encounter: DXA 2024-05-13",
# "DXA performed 27/09/2021 - results", "following a DXA scan on 20/02/2022", "scanned
# 14-Nov-2022" (a header line's item), "Examination: BONE DENSITOMETRY (DXA) - 1 April 2021",
# "DXA (April 9, 2021, outside facility):"
_STUDY_DATE_RE = re.compile(
    r"\b(?:(?:dxa|dexa|densitometry|bone density)(?: (?:scanning|scan|study|examination|exam))?"
    r"(?: (?:was|is))?(?: (?:performed|done|carried out|obtained|acquired|undertaken))?"
    r"|scanned)\)?(?: (?:on|of|dated))?(?: [-\u2013] |[ :,(]{0,3})", re.IGNORECASE)
# a sentence about another study than this one: compared with, the last one, one to come
_OTHER_STUDY_RE = re.compile(r"\b(?:compar\w*|last|repeat\w*|next|due|recommend\w*|book\w*"
                             r"|schedul\w*|plan\w*|await\w*)\b", re.IGNORECASE)


def _study_date(text: str, day_first: bool | None) -> str | None:
    """The date that follows the study's name in a sentence about this study (not an
    earlier, compared or future one): ``The DXA of 16/06/2021 showed``."""
    for sentence in sentences(text):
        if has("prior_words", key(sentence)) or _OTHER_STUDY_RE.search(sentence):
            continue
        for lead in _STUDY_DATE_RE.finditer(sentence):
            rest = fold(sentence[lead.end():lead.end() + 40])
            if DATE_RE.match(rest) and (date := parse_date(rest, day_first=day_first)):
                return date
    return None


# a bare "Scan:" label in a header row: at a line's start or after a gap of two spaces or a
# pipe, so that "Previous scan: 2021" (a prior study) is not the scan's date
_HEADER_SCAN_RE = re.compile(r"(?:^|  |\|) {0,8}scan {0,2}[:=] {0,5}([^\n|]{4,30})",
                             re.IGNORECASE | re.MULTILINE)
# "DXA of the lumbar spine and both hips was performed on 2024-06-12"
_PERFORMED_ON_RE = re.compile(r"\b(?:performed|obtained|acquired|done|carried out) on\b",
                              re.IGNORECASE)
_THIS_STUDY_RE = re.compile(r"\b(?:dxa|dexa|densitometry|absorptiometry|bone (?:mineral )?density"
                            r"|(?:this|the) (?:study|exam|examination|scan))\b", re.IGNORECASE)


def read_patient(text: str, scan_date: str | None, day_first: bool | None,
                 history: History) -> Patient:
    """Patient facts; sex and menopausal status come from the shared history reader
    (``parsers.history``), the age is the printed one, else derived from the birth and scan
    dates (CONTRACT)."""
    age = printed_age(text)
    height, weight = _height_weight(text)
    pid_birth, pid_sex = _hl7_patient(text)
    birth = labelled_date(text, "birth_date", day_first) or pid_birth
    if age is None and (derived := age_at(birth, scan_date)) is not None and derived >= 0:
        age = round(derived, 1)
    menopause = history.menopausal_status or menopause_from_lmp(labelled(text, "lmp"), scan_date,
                                                                 day_first)
    return Patient(
        id=read_identifier(text, "patient_id"),
        sex=history.sex or pid_sex,  # type: ignore[arg-type]
        birth_date=birth, age_years=age, menopausal_status=menopause,  # type: ignore[arg-type]
        height_cm=height, weight_kg=weight,
        ethnicity=phrase_value(labelled(text, "ethnicity")),
    )


# an HL7 v2 message's patient segment: "PID|1||MRN^^^HOSP^MR||NAME^GIVEN||19470121|M"
_PID_RE = re.compile(r"^PID\|([^\n]*)", re.MULTILINE)
_PID_BIRTH, _PID_SEX = 6, 7  # PID-7 date of birth, PID-8 administrative sex (after "PID|")


_OBR_RE = re.compile(r"^OBR\|([^\n]*)", re.MULTILINE)
_OBR_OBSERVED = 6  # OBR-7, the observation (the scan's) date and time


def _hl7_observed(text: str) -> str | None:
    """The date of an HL7 message's observation request (OBR-7: ``202412241113``)."""
    request = _OBR_RE.search(text)
    fields = request.group(1).split("|") if request else []
    observed = fields[_OBR_OBSERVED].strip()[:8] if len(fields) > _OBR_OBSERVED else ""
    return parse_date(observed) if re.fullmatch(r"\d{8}", observed) else None


def _hl7_patient(text: str) -> tuple[str | None, str | None]:
    """The birth date (PID-7, ``YYYYMMDD``) and sex (PID-8: ``F`` or ``M``; ``U``, ``O`` or
    empty state neither) of an HL7 message's patient segment, else None."""
    segment = _PID_RE.search(text)
    if segment is None:
        return None, None
    fields = segment.group(1).split("|")
    born = fields[_PID_BIRTH].strip()[:8] if len(fields) > _PID_BIRTH else ""
    sex = fields[_PID_SEX].strip().upper() if len(fields) > _PID_SEX else ""
    return (parse_date(born) if re.fullmatch(r"\d{8}", born) else None,
            sex if sex in ("F", "M") else None)


def read_vendor(paras: list[Paragraph]) -> str | None:
    """The scanner's maker where the technique or exam section names it ("using a Hologic
    densitometer", "Lunar Prodigy ... GE Healthcare"); a reference database is not a scanner."""
    normed = key(" ".join(s for p in paras if p.section in ("technique", "exam")
                           for s in sentences(p.text) if "reference" not in s.lower()))
    return first_entry(DATA["vendors"], normed)


# --- excluded vertebrae, category ----------------------------------------------------------

_LEVEL = r"(?:L[1-5]|T1[0-2])"
_LEVEL_LIST = rf"{_LEVEL}(?:(?: {{0,2}}(?:,|and|&|-|to|through) {{0,2}}| {{1,2}}){_LEVEL}){{0,5}}"
_EXCLUDED_RE = re.compile(
    rf"(?<![A-Za-z0-9])({_LEVEL_LIST}) {{0,3}}(?:(?:has|have|was|were|is|are) {{1,3}})?"
    rf"(?:been {{1,3}})?(?:exclu[a-z]{{0,6}}|omitted|removed|not (?:included|used))"
    rf"|(?:exclu[a-z]{{0,6}}|omitted|removed)(?: {{1,3}}(?:of|the|vertebrae?|vertebral|bodies"
    rf"|body|levels?|from|analysis|:)){{0,3}} {{1,3}}({_LEVEL_LIST})(?![A-Za-z0-9])",
    re.IGNORECASE)
_ORDER = ["T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5"]


def _expand(level_list: str) -> list[str]:
    out: list[str] = []
    tokens = re.findall(r"[LT]\d{1,2}|-|to|through", level_list.upper())
    for i, token in enumerate(tokens):
        if token in ("-", "TO", "THROUGH") and 0 < i < len(tokens) - 1 and out:
            start, stop = _ORDER.index(out[-1]), _ORDER.index(tokens[i + 1])
            out += _ORDER[start + 1:stop]
        elif token in _ORDER:
            out.append(token)
    return list(dict.fromkeys(out))


def read_excluded_vertebrae(text: str) -> list[str] | None:
    found: list[str] = []
    for sentence in sentences(text):
        if not re.search(r"exclu|omitted|removed|not included|not used", sentence, re.I):
            continue
        if re.match(r"\s*no\b", sentence, re.IGNORECASE):
            continue
        for m in _EXCLUDED_RE.finditer(sentence):
            found += _expand(m.group(1) or m.group(2))
    return list(dict.fromkeys(found)) or None


_CATEGORY = "|".join(sorted((re.escape(c) for c in DATA["categories"]), key=len, reverse=True))
_CATEGORY_LABEL_RE = re.compile(
    r"^(?:who )?(?:bone mineral density|bone density|diagnostic category|who classification"
    rf"|who category|classification|diagnosis|category)[ ]{{0,3}}:[ ]{{0,3}}({_CATEGORY})\b",
    re.IGNORECASE)
_CATEGORY_PHRASE_RE = re.compile(
    r"\b(?:consistent with|compatible with|in keeping with|meets (?:the )?criteria for"
    rf"|diagnostic of|indicative of|diagnosis of)(?: an?)? ({_CATEGORY})\b", re.IGNORECASE)
_CATEGORY_START_RE = re.compile(rf"^(?:\d[.)] {{0,2}})?({_CATEGORY})\b(?! range)", re.IGNORECASE)


def read_printed_category(paras: list[Paragraph]) -> str | None:
    ordered = ([p for p in paras if p.section == "impression"]
               + [p for p in paras if p.section != "impression"])
    for paragraph in ordered:
        for sentence in sentences(paragraph.text):
            if DEFINITION_RE.search(sentence):
                continue
            m = (_CATEGORY_LABEL_RE.search(sentence) or _CATEGORY_PHRASE_RE.search(sentence)
                 or (_CATEGORY_START_RE.search(sentence) if paragraph.section == "impression"
                     else None))
            if m:
                return m.group(1)
    return None
