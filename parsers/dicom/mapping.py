"""From an SR content tree to measurements, priors and LSC (and, through ``facts``, the rest).

Every item is read by what it names, never by where it sits. An item's context is the list of
labels on the way down from the root: container names, SNOMED site codes turned into labels,
laterality modifiers (HAS CONCEPT MOD), ``Finding Site`` codes among its siblings, and finally
its own name. The shared table (``parsers.labels``) turns that list into a site and the item's
name into a field; LOINC-coded items carry site, side and field in their code
(``parsers/vocabulary/sr_codes.json``). Items that are not per-site values (FRAX, reference
database, fractures, therapy) go to ``facts``; LSC and precision items, which belong to a site,
are read here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dexa.contract import Lsc, Measurement, Prior
from parsers.dicom.facts import (
    Content,
    is_derived,
    is_dxa_title,
    is_trend,
    item_kind,
    record_fact,
)
from parsers.dicom.tree import Node
from parsers.dicom.values import iso_date, number_and_unit
from parsers.kit.text import key
from parsers.kit.units import convert
from parsers.kit.vocabulary import load
from parsers.labels import Site, field_of, is_not_a_measurement, site_from_labels

CODES = load("sr_codes")
_LOINC: dict[str, tuple[str, str | None, str]] = CODES["loinc"]
_SNOMED_SITES: dict[str, str] = CODES["snomed_sites"]
_SNOMED_SCHEMES = {"SCT", "SRT", "SNM3", "99SDM"}
_PRECISION_TO_LSC = 2.77  # ISCD: LSC at 95 % confidence = 2.77 x precision error
_TREND_WORD = re.compile(r"\btrends?\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _site(labels: tuple[str, ...]) -> Site | None:
    return site_from_labels(*labels)


def _label(node: Node) -> str:
    """A SNOMED site code becomes the label it stands for; anything else is its meaning."""
    concept = node.concept
    if concept.scheme in _SNOMED_SCHEMES and concept.value in _SNOMED_SITES:
        return _SNOMED_SITES[concept.value]
    return concept.meaning


def _laterality(node: Node) -> str | None:
    """'left' / 'right' / 'mean' from a Laterality modifier item, else None."""
    if node.concept.value not in CODES["laterality_concepts"] and \
            key(node.name) != " laterality ":
        return None
    side = CODES["laterality_values"].get(node.code.value)
    return side or (node.code.meaning or node.text)


def _is_finding_site(node: Node) -> bool:
    return node.value_type == "CODE" and (
        node.concept.value in CODES["finding_site_concepts"]
        or key(node.name) in (" finding site ", " target region ", " anatomic site "))


def _site_label(node: Node) -> str:
    code = node.code
    if code.scheme in _SNOMED_SCHEMES and code.value in _SNOMED_SITES:
        return _SNOMED_SITES[code.value]
    return code.meaning


def _modifier_labels(node: Node) -> list[str]:
    """Labels a node's HAS CONCEPT MOD children add to its own (today: laterality)."""
    labels = []
    for child in node.children:
        if child.relationship == "HAS CONCEPT MOD":
            side = _laterality(child)
            if side:
                labels.append(side)
    return labels


def _context(node: Node) -> list[str]:
    """The labels a container contributes: its name, its modifiers and its finding sites."""
    labels = [_label(node), *_modifier_labels(node)]
    for child in node.children:
        if _is_finding_site(child):
            labels += [_site_label(child), *_modifier_labels(child)]
    return labels


def _value_and_unit(node: Node) -> tuple[float | None, str | None]:
    if node.value_type == "NUM":
        return node.number, node.units
    if node.value_type == "TEXT":
        return number_and_unit(node.text)
    return None, None


def _site_code(site: Site) -> str:
    return "/".join(part for part in (site.region, site.side, site.levels) if part)


class _Mapper:
    def __init__(self) -> None:
        self.content = Content()
        self._rows: list[tuple[Site, dict[str, float]]] = []
        self._open: dict[tuple[int, Site], int] = {}

    def warn(self, code: str) -> None:
        self.content.warn(code)

    # --- tree -----------------------------------------------------------------------------
    def container(self, node: Node, labels: list[str]) -> None:
        own = labels + _context(node)
        if _site((*labels, _label(node), *_modifier_labels(node))) is not None:
            self.content.looks_dxa = True  # a container named for a DXA site (not a dose SR's
            # "Target Region" code, which names the site of an X-ray)
        for child in node.children:
            if child.relationship == "HAS CONCEPT MOD" or _is_finding_site(child):
                continue
            if child.value_type == "CONTAINER":
                if is_not_a_measurement(_label(child)) or is_derived(child.name):
                    continue  # left-right "Diff." or change-over-time values: no measurement
                if is_trend(child.name):
                    self.trend(child, own)
                else:
                    self.container(child, own)
            else:
                self.item(child, own, id(node))

    def item(self, node: Node, labels: list[str], group: int) -> None:
        loinc = _LOINC.get(node.concept.value) if node.concept.scheme == "LN" else None
        if loinc:
            site_label, side, field_name = loinc
            site = _site((*labels, site_label, *([side] if side else [])))
        else:
            kind = item_kind(node.name)
            if kind in ("lsc", "precision"):
                if self.lsc(kind, node, labels):
                    return
            elif kind and record_fact(self.content, kind, node):
                return
            field_name = field_of(node.name)
            if field_name is None:
                return
            site = _site((*labels, *_modifier_labels(node), node.name))
        value, unit = _value_and_unit(node)
        if value is None or field_name is None:
            return
        converted = convert(field_name, value, unit)
        if converted is None:
            self.warn(f"UNIT_NOT_UNDERSTOOD:{field_name}")
        elif site is None:
            self.warn(f"VALUE_WITHOUT_SITE:{field_name}")
        else:
            self.put(group, site, field_name, converted)

    def put(self, group: int, site: Site, field_name: str, value: float) -> None:
        """Add one value to the row of its site in this container; a value the row already
        holds starts a second row (e.g. male- and female-reference T-scores), with a warning."""
        index = self._open.get((group, site))
        if index is None or field_name in self._rows[index][1]:
            if any(existing == site for existing, _ in self._rows):
                self.warn(f"DUPLICATE_SITE:{_site_code(site)}")
            self._rows.append((site, {}))
            index = len(self._rows) - 1
            self._open[(group, site)] = index
        self._rows[index][1][field_name] = value

    def trend(self, node: Node, labels: list[str]) -> None:
        """``Trend <site>`` containers hold one container per earlier scan, named by its date
        (GE: ``12-Mar-2019``) or holding a DATE item, with the BMD of that scan."""
        context = _context(node)
        context[0] = _TREND_WORD.sub(" ", context[0]).strip()
        site = _site((*labels, *context))
        for scan in node.children:
            if scan.value_type != "CONTAINER":
                continue
            when = iso_date(scan.name) or next(
                (iso_date(c.text) for c in scan.children if c.value_type in ("DATE", "DATETIME")),
                None)
            bmd = None
            for child in scan.children:
                if child.value_type in ("NUM", "TEXT") and field_of(child.name) == "bmd_g_cm2":
                    value, unit = _value_and_unit(child)
                    bmd = convert("bmd_g_cm2", value, unit) if value is not None else None
                    break
            if bmd is None:
                continue
            if site is None or when is None:
                self.warn("PRIOR_NOT_PLACED")
                continue
            self.content.looks_dxa = True
            self.content.priors.append(Prior(scan_date=when, region=site.region, side=site.side,
                                             levels=site.levels, bmd_g_cm2=bmd))

    # --- facts ----------------------------------------------------------------------------
    def lsc(self, kind: str, node: Node, labels: list[str]) -> bool:
        """An LSC (or precision) item of the site it sits in; False when it holds no number."""
        value, unit = _value_and_unit(node)
        if value is None:
            return False
        site = _site((*labels, *_modifier_labels(node), node.name))
        g_cm2 = convert("bmd_g_cm2", value, unit)
        if g_cm2 is None:
            self.warn("LSC_NOT_IN_G_CM2")
            return True
        if site is None:
            self.warn("LSC_WITHOUT_SITE")
            return True
        if kind == "precision":
            self.warn("LSC_FROM_PRECISION")
            g_cm2 = round(g_cm2 * _PRECISION_TO_LSC, 4)
        self.content.lsc.append(Lsc(region=site.region, side=site.side, levels=site.levels,
                                    g_cm2=g_cm2))
        return True

    def finish(self) -> Content:
        self.content.measurements = [
            Measurement(region=site.region, side=site.side, levels=site.levels, **values)
            for site, values in self._rows]
        if self._rows:
            self.content.looks_dxa = True
        return self.content


def map_tree(root: Node) -> Content:
    mapper = _Mapper()
    if is_dxa_title(root.name) or (root.concept.scheme == "LN" and root.concept.value
                                   in CODES["dxa_documents"]["LN"]):
        mapper.content.looks_dxa = True
    mapper.container(root, [])
    return mapper.finish()
