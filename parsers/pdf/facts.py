"""Header and footer facts of a printout: patient, study, device, reference database, LSC,
the printed WHO category (FRAX sentences are read by ``parsers.prose``'s FRAX reader).

Header boxes print ``Label: value`` pairs, several per line (columns of a box side by side) and
sometimes without a colon (``DOB 10/02/1974`` in a two-cell row). Only labels from ``KEYS``
are read (vocabulary: ``parsers/vocabulary/report_labels.json``, the facts shared with the
free-text reader plus the printout's own labels); a name field (``Name:``, ``Patient:``) is a
key too, so that its value is consumed and never read as anything else, but it is never
output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.history.findings import blank_choices
from parsers.kit.dates import NUMERIC_DATE, SCAN_ON_RE, SCAN_TYPE, parse_date
from parsers.kit.identifiers import NUMBER_MARK, NUMBERED, label_words, numbered
from parsers.kit.phrases import phrase_matcher, trie_pattern
from parsers.kit.text import key
from parsers.kit.units import INCH_CM, POUND_KG
from parsers.kit.vocabulary import load
from parsers.labels import site_from_labels
from parsers.pdf.geometry import Line, Word
from parsers.pdf.values import first_number

_LABELS = load("report_labels")
_SHARED_FACTS = ("patient_id", "birth_date", "scan_date", "accession", "sex", "ethnicity")
# label (lower case) -> fact; None: a label read only so that its value is skipped. Labels
# that count only at the start of a line ("^date") are free-text labels.
KEYS: dict[str, str | None] = {
    **{label: fact for fact in _SHARED_FACTS for label in _LABELS[fact]
       if not label.startswith("^")},
    **_LABELS["printout"],
}


def _pieces(label: str) -> list[str]:
    """A vocabulary label as regex pieces for :func:`trie_pattern` (spaces and slashes loose,
    its letters may be points apart: ``D.O.B.:``; a label that needs a number mark ends in
    one)."""
    pieces = [r"\s*/\s*" if part == " / " else r"[\s.]+" if part == " " else re.escape(part)
              for part in re.findall(r" / | |[^ ]", label_words(label))]
    return [*pieces, rf"\.?\s*{NUMBER_MARK}"] if numbered(label) else pieces


# a label may be abbreviated with a point and end in a number mark ("Acc. No.:", "Accession #:");
# labels of one fact may be printed together ("Patient ID / MRN:")
_ONE_KEY = rf"(?:{trie_pattern(_pieces(label) for label in KEYS)})\.?(?:\s*{NUMBER_MARK})?"
_KEYS = rf"{_ONE_KEY}(?:\s*/\s*{_ONE_KEY})*"
_KEY_RE = re.compile(rf"(?<![\w/])({_KEYS})\s*:", re.IGNORECASE)
_BARE_KEY_RE = re.compile(rf"^({_KEYS})$", re.IGNORECASE)
_MARKS = ("#", "no", "nr", "number")


def _entry(printed: str) -> str | None:
    """The ``KEYS`` entry of one printed label (``Acc. No.`` -> ``acc``), else None."""
    words = re.findall(r"[a-z0-9]+|#", printed.lower())
    joined = " ".join(words)
    if joined in KEYS:
        return joined
    if words and words[-1] in _MARKS:
        base = " ".join(words[:-1])
        return next((entry for entry in (f"{base}{NUMBERED}", base) if entry in KEYS), None)
    return None


def label_of(printed: str) -> str:
    """The ``KEYS`` entry of a printed label; labels printed together (``Patient ID / MRN``)
    give the first one's entry when all name the same fact, else ``""`` (an unknown label: its
    value is consumed and not read)."""
    whole = " / ".join(" ".join(part.lower().split()) for part in re.split(r"\s*/\s*", printed))
    if whole in KEYS:
        return whole
    entries = [_entry(part) for part in re.split(r"\s*/\s*", printed)]
    if None in entries or len({KEYS[entry] for entry in entries if entry}) != 1:
        return ""
    return entries[0] or ""


# An image caption that is a scan type and its date, nothing else: "a Right Hip 12/04/2019"
# (Hologic; "a" marks the analysed scan). The caption must be a run of its own: a date after a
# site inside a sentence or a table row ("prior Left Hip 03/02/2017 0.812") is not one.
_SCAN_CAPTION_RE = re.compile(rf"(?:a\s+)?(?:(?:Left|Right|L\.?|R\.?)\s*)?{SCAN_TYPE}\s+"
                              rf"({NUMERIC_DATE})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
                              r"(?:\s*[AP]M)?)?", re.IGNORECASE)
_REF_DB_RE = re.compile(r"^Densitometry:\s*(.*\S)")
_SOURCE_RE = re.compile(r"T-score vs\.[^.]*\.\s*Source:\s*(.+?)\.(?:\s|$)")
_LSC_RE = re.compile(r"LSC\s*=\s*(\d+(?:\.\d+)?)\s*g/cm(?:²|2)\s+for\s+([^);]+)")
_GE_DEVICE_RE = re.compile(r"\b(Lunar\s+(?:iDXA|Prodigy(?:\s+(?:Advance|Primo|Pro))?|DPX[\w-]*))"
                           r"\b.{0,60}?\b([A-Z]{1,4}\+\d{2,})")
_GE_VERSION_RE = re.compile(r"(?:AM|PM)\)?\s*\(?\s*(\d{1,2}(?:\.\d+)?)\s*\[SP\s*\d*\]")
_APEX_VERSION_RE = re.compile(r"\bVersion\s+(\d+(?:\.\d+)+)")
_VENDORS = load("findings")["vendors"]  # maker -> names and models


@dataclass
class HeaderFacts:
    values: dict[str, str] = field(default_factory=dict)

    def get(self, fact: str) -> str | None:
        return self.values.get(fact)


def _pairs(segment: str) -> list[tuple[str, str]]:
    matches = list(_KEY_RE.finditer(segment))
    if not matches:
        return []
    pairs = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(segment)
        pairs.append((label_of(match.group(1)), segment[match.end():end].strip()))
    return pairs


_OVERLAP = 1.0  # points two words must share to be printed over each other


def _label_first(run: list[Word]) -> list[Word]:
    """The words of a cell with each label whole before its value.

    A label too long for its column runs under the value printed at the column's start
    (``Patient ID / MRN:`` over ``0008966440``): left to right, the value's word falls inside the
    label. Read back from the colon that ends a label, a word printed over the label's words is
    its value, and moves after the colon."""
    words = list(run)
    if all(a.x1 - b.x0 <= _OVERLAP for a, b in zip(words, words[1:], strict=False)):
        return words  # left to right, no word over the next: none is over any other either
    start = 0
    for end in range(len(words)):
        if not words[end].text.endswith(":"):
            continue
        label, inside = [words[end]], []  # from the colon back: a word over the label is not
        for word in reversed(words[start:end]):  # part of it
            over = any(min(word.x1, o.x1) - max(word.x0, o.x0) > _OVERLAP for o in label)
            (inside if over else label).append(word)
        words[start:end + 1] = label[::-1] + inside[::-1]
        start = end + 1
    return words


def _segment_text(run: list[Word]) -> str:
    """A run's text with each label before its value (:func:`_label_first`, which moves
    words only where a word ends in a colon: the other runs are joined as they are)."""
    text = " ".join([w.text for w in run])
    return " ".join([w.text for w in _label_first(run)]) if ":" in text else text


def read_header(lines: list[Line]) -> HeaderFacts:
    """The first value of every known label in the document."""
    facts = HeaderFacts()
    for line in lines:
        segments = [_segment_text(run) for run in line.segments()]
        pairs: list[tuple[str, str]] = []
        consumed = -1  # index of a segment read as the value of the bare label before it
        for index, text in enumerate(segments):
            if index == consumed:
                continue
            # a bare label ends in a colon or is printed in capitals (tested first: cheaper)
            bare = _BARE_KEY_RE.match(text.rstrip(":")) \
                if text.endswith(":") or text.isupper() else None
            if bare:
                value = segments[index + 1] if index + 1 < len(segments) else ""
                if _KEY_RE.match(value) or (_BARE_KEY_RE.match(value) and value.isupper()):
                    value = ""
                else:
                    consumed = index + 1
                pairs.append((label_of(bare.group(1)), value))
                continue
            if ":" in text:
                pairs += _pairs(text)
        has_scan_date = any(KEYS.get(label) == "scan_date" for label, _ in pairs)
        for label, value in pairs:
            fact = KEYS.get(label)
            if fact is None or not value or fact in facts.values:
                continue
            if fact == "patient_id" and label == "id" and has_scan_date:
                continue  # Hologic "Scan Date: …  ID: A1204190D" names the scan, not the patient
            facts.values[fact] = value
        if "scan_date" not in facts.values:
            match = SCAN_ON_RE.search(line.text)
            if match:
                facts.values["scan_date"] = match.group(1)
        if "scan_date" not in facts.values:
            facts.values.update(_caption_date(segments))
    return facts


def _caption_date(segments: list[str]) -> dict[str, str]:
    """``{"scan_date": DATE}`` from a run that is a scan's image caption and nothing else."""
    for text in segments:
        match = _SCAN_CAPTION_RE.fullmatch(text.strip())
        if match:
            return {"scan_date": match.group(1)}
    return {}


def sex_of(text: str | None) -> str | None:
    """F or M as the header's sex cell states it; a blank form's choices ("M / F") state none."""
    if not text or blank_choices(text):
        return None
    first = text.strip()[:1].upper()
    return first if first in ("F", "M") and text.strip().split()[0].lower() in (
        "f", "m", "female", "male", "f.", "m.") else None


# an age cell opens with its number ("67", "67 years", "58.3 y"); a number later in the value
# is a sentence's ("NOGG intervention threshold for age: MOF 16.4%, hip 4.7%")
_AGE_VALUE_RE = re.compile(r"\s*(\d{1,3}(?:\.\d{1,2})?)(?![\d.,%/])(?!\s*%)")


def age_of(text: str | None) -> float | None:
    """The age an age cell prints: the number that opens it (0 to 130), else None."""
    match = _AGE_VALUE_RE.match(text or "")
    age = float(match.group(1)) if match else None
    return age if age is not None and 0 <= age <= 130 else None


def height_cm(text: str | None) -> float | None:
    value = first_number(text or "")
    if value is None or text is None:
        return None
    if re.search(r"\d\s*(?:in\b|inch|\")", text):
        value *= INCH_CM
    elif re.search(r"\d\s*m\b", text) and value < 3:
        value *= 100
    return round(value, 1) if 30 <= value <= 250 else None


def weight_kg(text: str | None) -> float | None:
    value = first_number(text or "")
    if value is None or text is None:
        return None
    if re.search(r"\d\s*(?:lbs?\b|pounds?)", text, re.IGNORECASE):
        value *= POUND_KG
    return round(value, 1) if 1 <= value <= 400 else None


def date_of(text: str | None, day_first: bool | None) -> str | None:
    return parse_date(text, day_first=day_first) if text else None


def vendor_of(text: str, reference: str | None = None) -> str | None:
    """The vendor named most often (a reference database named after another vendor, e.g.
    ``NHANES III / Hologic`` on a GE page, does not count)."""
    if reference:
        text = text.replace(reference, " ")
    keyed = key(text)
    counts = [(len(phrase_matcher(names).findall(keyed)), vendor)
              for vendor, names in _VENDORS.items()]
    best = max(counts)
    return best[1] if best[0] else None


def device_of(text: str, header: HeaderFacts) -> str | None:
    match = _GE_DEVICE_RE.search(text)
    if match:
        return f"{' '.join(match.group(1).split())} {match.group(2)}"
    model = header.get("model")
    return model.strip() or None if model else None


def software_of(text: str, vendor: str | None, header: HeaderFacts) -> str | None:
    if vendor == "GE Healthcare":
        match = _GE_VERSION_RE.search(text)
        return f"enCORE {match.group(1)}" if match else None
    if vendor == "Hologic":
        match = _APEX_VERSION_RE.search(header.get("analysis") or text)
        return f"APEX {match.group(1)}" if match else None
    return None


def reference_database(lines: list[Line], flat: str) -> str | None:
    """GE's table title ``Densitometry: USA (Combined NHANES/Lunar)`` (a segment of its own:
    text printed beside it on the same line is not part of it), else Hologic's
    ``T-score vs. White Female. Source: 2012 BMDCS/NHANES White Female.``"""
    for line in lines:
        if "Densitometry:" in line.text:
            for run in line.segments():
                match = _REF_DB_RE.match(" ".join(w.text for w in run))
                if match:
                    return match.group(1).rstrip(".")
    match = _SOURCE_RE.search(flat)
    return " ".join(match.group(1).split()).rstrip(".") if match else None


def lsc_values(text: str) -> list[tuple[str, str | None, str | None, float]]:
    """``(region, side, levels, g/cm²)`` of every ``LSC= 0.028 g/cm² for AP Spine L1-L4``."""
    out = []
    for match in _LSC_RE.finditer(text):
        site = site_from_labels(" ".join(match.group(2).split()))
        if site:
            out.append((site.region, site.side, site.levels, float(match.group(1))))
    return out


_COUNTRY_RE = re.compile(r"\bCountry:\s*([A-Za-z][A-Za-z ()-]{0,40}?)\s*[.;,\n]")


def frax_country(text: str) -> str | None:
    """The FRAX model's country where a FRAX box labels it (``Country: US.``)."""
    match = _COUNTRY_RE.search(text)
    return match.group(1).strip() if match else None
