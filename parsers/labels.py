"""One label -> (region, side, levels) and label -> field normalisation, shared by all readers.

The vocabulary lives in ``parsers/vocabulary/sites.json`` and ``fields.json`` (data,
reviewable, checked by ``parsers.kit.vocabulary``); this module only applies it, matching
phrases on ``parsers.kit.text.key`` text with ``parsers.kit.phrases``. A
label is read in context: ``site_from_labels("DualFemur", "Neck Left")``,
``site_from_labels("Left Forearm", "Radius 33%")``, ``site_from_labels("AP Spine", "L1-L4")``
all name one site. Outer labels (container names, table titles, scan types) give the body-part
family and often the side; the innermost label that names a region decides the region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dexa.contract import Region, Side
from parsers.kit.phrases import find_phrase, first_entry, has_phrase
from parsers.kit.text import fold, key
from parsers.kit.vocabulary import load

_SITES = load("sites")
_FIELDS = load("fields")["fields"]

_LEVEL = r"(?:T12|L[1-5])"
_LEVELS_RE = re.compile(
    rf"(?<![A-Z0-9])({_LEVEL}(?:\s*(?:-|,|/|to|through|&|and)\s*(?:{_LEVEL}|[1-5](?![0-9.])))*)"
    r"(?![A-Z0-9])",
    re.IGNORECASE,
)
_RUN_ON_LEVELS = re.compile(r"(?<![A-Z0-9])((?:L[1-5]){2,})(?![A-Z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    region: Region
    side: Side
    levels: str | None


@lru_cache(maxsize=4096)
def family_of(label: str) -> str | None:
    return first_entry(_SITES["families"], key(label))


@lru_cache(maxsize=4096)
def families_named(label: str) -> frozenset[str]:
    """Every body-part family a label names (``Lumbar spine and hip`` -> spine and hip)."""
    keyed = key(label)
    return frozenset(name for name, phrases in _SITES["families"].items()
                     if has_phrase(phrases, keyed))


@lru_cache(maxsize=4096)
def side_of(label: str) -> Side:
    """The side a label names (``Neck Left``, ``a Right Hip``, ``R.Forearm``), else None."""
    return first_entry(_SITES["sides"], key(label))  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def levels_of(label: str) -> str | None:
    """Spine levels in canonical form: ``L1-L4``, ``L2-L4``, ``L1,L3``, ``L3``, ``L1-L2,L4``."""
    folded = fold(label)
    run_on = _RUN_ON_LEVELS.search(folded)
    if run_on:
        return _levels_from_numbers([int(n) for n in re.findall(r"[1-5]", run_on.group(1))])
    match = _LEVELS_RE.search(folded)
    if not match:
        return None
    raw = match.group(1).upper()
    raw = re.sub(r"\s*(?:TO|THROUGH)\s*", "-", raw)
    raw = re.sub(r"\s*(?:&|AND|/)\s*", ",", raw)
    raw = re.sub(r"\s+", "", raw)
    # "L1-4" -> "L1-L4"
    raw = re.sub(r"(?<=[-,])([1-5])(?![0-9])", r"L\1", raw)
    return raw


def _levels_from_numbers(numbers: list[int]) -> str:
    """Levels written one after another without separators (APEX names a region ``L1L2L3L4``
    or ``L1L4``): consecutive numbers make a range, a gap a comma (``L1-L4``, ``L1,L4``)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"L{run[0]}" if len(run) == 1 else f"L{run[0]}-L{run[-1]}" for run in runs)


_NO_REFERENCE_RE = re.compile(r"([a-z ]+?)(?: region\b|\[|$)")


def stated_unscored(text: str) -> frozenset[str]:
    """The regions a report states to have no reference data, so no scores: the family of the
    label after a ``no_reference`` phrase ("No reference data for Left Forearm [Radius 33%]
    region" -> the forearm's regions)."""
    folded = fold(text).lower()
    regions: set[str] = set()
    for phrase in _SITES["no_reference"]:
        start = folded.find(phrase)
        while start >= 0:
            named = _NO_REFERENCE_RE.match(folded, start + len(phrase) + 1)
            family = family_of(named.group(1)) if named else None
            if family:
                regions |= _family_regions(family)
            start = folded.find(phrase, start + 1)
    return frozenset(regions)


@lru_cache(maxsize=8)
def _family_regions(family: str) -> frozenset[str]:
    return frozenset(entry["region"] for entry in _SITES["regions"] if entry["family"] == family)


def is_unscored(region: str) -> bool:
    """A region printed with a BMD and no T- or Z-score (no reference curve for it)."""
    return region in _SITES["unscored_regions"]


def is_not_a_measurement(label: str) -> bool:
    """``Diff.`` / ``|Diff.|`` rows (left-right differences) are not measurements."""
    return has_phrase(_SITES["not_a_measurement"], key(label))


def _region_in(text: str, family: str | None) -> Region | None:
    return first_entry(((entry["region"], entry["phrases"]) for entry in _SITES["regions"]
                        if entry["family"] in (None, family)), text)


def _names_no_region(text: str) -> bool:
    """The label names a site the document has no region for (``MID ULNA``, ``Both 33%``),
    unless a longer region phrase contains it (``Radius + Ulna Total``)."""
    absent = find_phrase(_SITES["no_region"], text)
    if absent is None:
        return False
    named = (find_phrase(entry["phrases"], text) for entry in _SITES["regions"]
             if entry["family"] is None)
    return len(absent.group(0)) > max((len(found.group(0)) for found in named if found),
                                      default=0)


def site_from_labels(*labels: str | None) -> Site | None:
    """Combine labels from outermost to innermost into one site, or None when no region is
    named (or the innermost label is a left-right difference row)."""
    present = [label for label in labels if label]
    if not present or is_not_a_measurement(present[-1]):
        return None
    family: str | None = None
    side: Side = None
    region: Region | None = None
    levels: str | None = None
    for label in present:
        family = family_of(label) or family
        side = side_of(label) or side
    if len(present) > 1 and family != "total_body" \
            and any(family_of(label) == "total_body" for label in present[:-1]):
        return None  # a part of a whole-body scan ("L Spine", "Arms"): no scan of that site
    for label in reversed(present):
        text = key(label)
        found_levels = levels_of(label)
        if found_levels and (family in (None, "spine") or "," in found_levels or "-" in found_levels
                             or family_of(label) == "spine"):
            levels = found_levels
            region = "lumbar_spine" if ("-" in levels or "," in levels) else "vertebra"
            break
        if _names_no_region(text):
            return None  # a site without a region of its own (mid ulna): not the radius's
        region = _region_in(text, family)
        if region:
            break
    if region is None:
        return None
    if region in ("lumbar_spine", "vertebra", "total_body"):
        side = None
    return Site(region=region, side=side, levels=levels)


@lru_cache(maxsize=4096)
def field_of(label: str) -> str | None:
    """Which measurement field a column or item label names (``YA T-score`` -> ``t_score``,
    ``YA (%)`` -> ``young_adult_pct``, ``BMD (g/cm²)`` -> ``bmd_g_cm2``)."""
    text = key(label)
    percent = "%" in fold(label) or " pct " in text or " percent " in text
    return first_entry(((entry["field"], entry["phrases"]) for entry in _FIELDS
                        if entry["percent"] == percent), text)


# --- summary tables: rows named by a part word ------------------------------------------------

PART_FAMILIES = ("hip", "forearm")  # body parts whose regions have part words of their own
FAMILY_OF_REGION: dict[str, str] = {
    **dict.fromkeys(("femoral_neck", "total_hip", "intertrochanter", "trochanter", "wards",
                     "femoral_shaft"), "hip"),
    **dict.fromkeys(("radius_33", "radius_mid", "radius_ultradistal", "radius_total", "ulna_33",
                     "ulna_ultradistal", "forearm_total"), "forearm")}


def _part_sites(labels: tuple[str, ...]) -> dict[str, Site]:
    """The site a row's labels name as a part of each body part that has one (``Neck Left``:
    the hip's only; ``Total Left``: the hip's or the forearm's)."""
    return {family: site for family in PART_FAMILIES
            if (site := site_from_labels(family, *labels)) is not None}


def _family_of(site: Site | None) -> str | None:
    return FAMILY_OF_REGION.get(site.region) if site is not None else None


def summary_sites(sites: list[Site | None], labels: list[list[str]]) -> list[Site | None]:
    """The sites of a summary table's rows (a table of every site scanned, under no body-part
    title): a row whose labels name no site of their own but a part word (``Neck Left``,
    ``Total Right``, ``1/3 left``) is the part of whichever body part alone has that part;
    where both have it (``Total``), of the body part of the row above, else, for a row that
    names its side (hip and forearm rows do; a spine's ``Total`` does not), of the row below
    (vendors list one scan's regions together: ``Total Right`` then ``Neck Right``). Nothing
    telling which, the row has no site (never a guess)."""
    out = list(sites)
    for index, site in enumerate(out):
        if site is not None or not labels[index]:
            continue
        found = _part_sites(tuple(labels[index]))
        if len(found) == 1:
            out[index] = next(iter(found.values()))
        elif found and index:
            out[index] = found.get(_family_of(out[index - 1]) or "")
    for index in range(len(out) - 2, -1, -1):
        if out[index] is None and labels[index] and side_of(" ".join(labels[index])):
            found = _part_sites(tuple(labels[index]))
            out[index] = found.get(_family_of(out[index + 1]) or "")
    return out
