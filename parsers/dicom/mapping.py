"""From an SR content tree to measurements, priors and LSC (and, through ``facts``, the rest).

Every item is read by what it names, never by where it sits. An item's context is the list of
labels on the way down from the root: container names, SNOMED site codes turned into labels,
laterality modifiers (HAS CONCEPT MOD), ``Finding Site`` codes among its siblings, and finally
its own name. The shared table (``parsers.labels``) turns that list into a site and the item's
name into a field; LOINC-coded items carry site, side and field in their code
(``parsers.loinc``, shared with the FHIR and HL7 v2 readers). Items that are not per-site
values (FRAX, reference database, fractures, therapy) go to ``facts``; LSC and precision
items, which belong to a site, are read here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dexa.contract import Lsc, Measurement, Prior
from parsers.dicom.facts import (
    Content,
    frax_item_kind,
    is_current_scan,
    is_derived,
    is_dxa_title,
    is_frax_container,
    is_history_container,
    is_prior_scan,
    is_prior_value,
    is_reference_value,
    is_region_item,
    is_scan_date,
    is_trend,
    item_kind,
    record_fact,
    record_frax_note,
    record_history_text,
)
from parsers.dicom.tree import Node
from parsers.dicom.values import iso_date, number_and_unit
from parsers.kit.dates import DateOrder, date_order, has_ambiguous_dates, parse_date
from parsers.kit.phrases import has_phrase
from parsers.kit.text import fold, key
from parsers.kit.units import convert
from parsers.kit.vocabulary import load
from parsers.labels import (
    Site,
    family_of,
    field_of,
    is_not_a_measurement,
    levels_of,
    site_from_labels,
)
from parsers.loinc import LOINC, loinc_site

CODES = load("sr_codes")
_SNOMED_SITES: dict[str, str] = CODES["snomed_sites"]
_FINDING_SITE_CONCEPTS = frozenset(CODES["finding_site_concepts"])
_SNOMED_SCHEMES = {"SCT", "SRT", "SNM3", "99SDM"}
_PRECISION_TO_LSC = 2.77  # ISCD: LSC at 95 % confidence = 2.77 x precision error
_LEVEL_WORDS = re.compile(r"(?i)\b(?:T12|L[1-5]|[1-5]|to|through|and)\b|(?:L[1-5])+|[,\-/&\s]")
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
    """A CODE or TEXT item naming the site of its group's values (a Finding Site code, a
    ``Region`` text), not itself a value."""
    return node.value_type in ("CODE", "TEXT") and \
        _names_a_site(node.value_type, node.concept.value, node.name)


@lru_cache(maxsize=4096)
def _names_a_site(value_type: str, code_value: str, name: str) -> bool:
    if value_type == "CODE":
        return code_value in _FINDING_SITE_CONCEPTS or is_region_item(name)
    return is_region_item(name) and field_of(name) is None


@lru_cache(maxsize=1024)
def _is_bone_range_item(name: str) -> bool:
    return has_phrase(CODES["apex_bone_range_items"], key(name))


def _site_label(node: Node) -> str:
    """A finding site's label; a whole body part measured by DXA is read as its usual region
    (``Hip`` -> ``Total Hip``); a finer label beside it (``Neck``) still decides."""
    if node.value_type == "TEXT":
        return node.text or ""
    code = node.code
    if code.scheme in _SNOMED_SCHEMES:
        found = CODES["finding_site_regions"].get(code.value) or _SNOMED_SITES.get(code.value)
        if found:
            return found
    return code.meaning


def _modifier_labels(node: Node) -> list[str]:
    """Labels a node's HAS CONCEPT MOD children add to its own: a laterality, and a modifier
    whose value names spine levels (``Vertebral levels = L1-L4``)."""
    labels = []
    for child in node.children:
        if child.relationship == "HAS CONCEPT MOD":
            side = _laterality(child)
            if side:
                labels.append(side)
            elif child.value_type in ("TEXT", "CODE") and _only_levels(child.text):
                labels.append(child.text)  # type: ignore[arg-type]
    return labels


@lru_cache(maxsize=1024)
def _only_levels(written: str | None) -> bool:
    """A value that is spine levels and nothing else (``L1-L4``, ``L2 to L4``), not a phrase
    that happens to hold one (``NHANES L1 cohort``)."""
    if not written or not levels_of(written):
        return False
    return _LEVEL_WORDS.sub(" ", fold(written)).strip(" ,-/&.") == ""


def _context(node: Node) -> list[str]:
    """The labels a container contributes: its name, its finding sites, a laterality item among
    its children (APEX: ``LEFT HIP`` holds ``Laterality = Left``) and its modifiers, the more
    specific last (levels qualify the finding site ``Lumbar spine``)."""
    labels = [_label(node)]
    for child in node.children:
        if _is_finding_site(child):
            labels += [_site_label(child), *_modifier_labels(child)]
        elif child.relationship != "HAS CONCEPT MOD" and child.value_type == "CODE":
            side = _laterality(child)
            if side:
                labels.append(side)
    return labels + _modifier_labels(node)


def _value_and_unit(node: Node) -> tuple[float | None, str | None]:
    if node.value_type == "NUM":
        return node.number, node.units
    if node.value_type == "TEXT":
        return number_and_unit(node.text)
    return None, None


def _bone_range_labels(node: Node, labels: list[str]) -> list[str]:
    """The region an APEX ``BONERANGE`` item names (§1.2: a positional mask), as a label: in a
    spine, the levels (``1..4`` -> ``L1L4``); in a hip or forearm, its table's region name.
    Nothing where the body part is unknown (a hip mask and a spine mask look alike)."""
    for child in node.children:
        if child.value_type != "TEXT" or not child.text or not _is_bone_range_item(child.name):
            continue
        family = next((found for found in map(family_of, reversed(labels)) if found), None)
        mask = child.text.strip().upper()
        if family == "spine" and len(mask) == 4 and set(mask) <= set("1234.") and mask != "....":
            return ["".join(f"L{digit}" for digit in mask if digit != ".")]
        region = CODES["apex_bone_ranges"].get(family or "", {}).get(mask)
        return [region] if region else []
    return []


@lru_cache(maxsize=4096)
def _name_date(name: str) -> str | None:
    """The date a concept name carries (``12-Mar-2019``, ``BMD 2020-01-02``); names recur.
    None for a numeric date whose order the name alone does not decide (``03/12/2019``)."""
    return iso_date(name)


@lru_cache(maxsize=1024)
def _order_open(written: str) -> bool:
    return has_ambiguous_dates(written)


@lru_cache(maxsize=4096)
def _container_role(label: str, name: str) -> str:
    """What a container holds, from its name: ``skip`` (a left-right difference, changes
    between scans), ``trend`` (one container per earlier scan), ``prior`` (one earlier scan),
    ``dated`` (named by a date: an earlier scan unless it is this one's), else ``plain``."""
    if is_not_a_measurement(label) or is_derived(name):
        return "skip"
    if is_trend(name):
        return "trend"
    if is_prior_scan(name) or is_prior_value(name):
        return "prior"
    dated = (_name_date(name) or _order_open(name)) and not is_current_scan(name)
    return "dated" if dated else "plain"


@lru_cache(maxsize=4096)
def _value_role(name: str) -> tuple[str | None, str]:
    """The field an item's name names and whose value it is: ``current`` (the patient's, this
    scan), ``earlier`` (an earlier scan's: ``Previous BMD``, ``BMD 2020-01-02``) or ``other``
    (no field, a change between scans, a reference population's mean). One lookup a name."""
    field_name = field_of(name)
    if field_name is None or is_derived(name) or (
            field_name == "bmd_g_cm2" and is_reference_value(name)):
        return field_name, "other"
    if is_prior_value(name) or _order_open(name) or _name_date(name):
        return field_name, "earlier"
    return field_name, "current"


def _document_text(root: Node) -> str:
    """Every name and text of the tree, for the document's date order."""
    parts, stack = [], [root]
    while stack:
        node = stack.pop()
        parts.append(node.name)
        if node.value_type in ("TEXT", "DATE", "DATETIME") and node.text:
            parts.append(node.text)
        stack.extend(node.children)
    return "\n".join(parts)


def _site_code(site: Site) -> str:
    return "/".join(part for part in (site.region, site.side, site.levels) if part)


class _Mapper:
    def __init__(self, root: Node, scan_date: str | None) -> None:
        self.root = root
        self.scan_date = scan_date
        self._order: DateOrder | None = None
        self.content = Content()
        self._rows: list[tuple[Site, dict[str, float]]] = []
        self._open: dict[tuple[int, Site], int] = {}

    def warn(self, code: str) -> None:
        self.content.warn(code)

    def date(self, written: str | None) -> str | None:
        """The date a name or text value states. A numeric date that could be day or month
        first (``03/12/2019``) is read in the order the document's other dates decide (a day
        above 12, the same day written unambiguously); when nothing decides, no date."""
        if not written:
            return None
        when = _name_date(written)
        if when is not None or not _order_open(written):
            return when
        if self._order is None:
            self._order = date_order(_document_text(self.root))
        if self._order.day_first is None:
            return None  # the caller's PRIOR_NOT_PLACED says a dated value was left out
        return parse_date(written, day_first=self._order.day_first)

    def scan_date_of(self, node: Node) -> str | None:
        """The date of an earlier scan's container: its name (GE: ``12-Mar-2019``), else a
        DATE item or a date-named item among its children."""
        when = self.date(node.name)
        if when:
            return when
        for child in node.children:
            if child.value_type in ("DATE", "DATETIME") or (
                    child.value_type == "TEXT" and is_scan_date(child.name)):
                when = self.date(child.text)
                if when:
                    return when
        return None

    # --- tree -----------------------------------------------------------------------------
    def container(self, node: Node, labels: list[str], *, root: bool = False) -> None:
        own = labels + _context(node)
        frax = not root and is_frax_container(node.name) and not any(
            child.value_type == "CONTAINER" for child in node.children)  # flat, not a wrapper
        own += _bone_range_labels(node, own)
        if _site((*labels, _label(node), *_modifier_labels(node))) is not None:
            self.content.looks_dxa = True  # a container named for a DXA site (not a dose SR's
            # "Target Region" code, which names the site of an X-ray)
        for child in node.children:
            if child.relationship == "HAS CONCEPT MOD" or _is_finding_site(child):
                continue
            if child.value_type == "CONTAINER":
                role = _container_role(_label(child), child.name)
                if role == "skip":
                    continue  # left-right "Diff." or change-over-time values: no measurement
                if role == "trend":
                    self.trend(child, own)
                elif role == "prior":
                    self.prior_scan(child, own, self.scan_date_of(child))
                elif role == "dated" and (when := self.date(child.name)) != self.scan_date:
                    self.prior_scan(child, own, when)  # a container named by an earlier date
                else:
                    self.container(child, own)
            else:
                self.item(child, own, id(node), frax=frax)

    def item(self, node: Node, labels: list[str], group: int, *, frax: bool = False) -> None:
        """One value item; in a FRAX container (``frax``) only FRAX results and facts are read:
        a BMD there is FRAX's input, the measurement is read where the report states it."""
        loinc = LOINC.get(node.concept.value) if node.concept.scheme == "LN" else None
        if loinc:
            field_name = loinc[2]
            site = loinc_site(loinc, (*labels, *_modifier_labels(node)))
        else:
            kind = item_kind(node.name)
            if frax and kind in (None, "fracture_hip") and _value_and_unit(node)[0] is not None:
                kind = frax_item_kind(node.name) or kind
            if frax and kind is None and record_frax_note(self.content, node):
                return  # "Calculated with femoral neck BMD"
            if kind in ("lsc", "precision"):
                if self.lsc(kind, node, labels):
                    return
            elif record_fact(self.content, kind, node) if kind else (
                    not frax and record_history_text(
                        self.content, node, in_history=any(map(is_history_container, labels)))):
                return  # a FRAX, history or reference item; free-text history
            field_name, role = _value_role(node.name)
            if role == "other":
                return  # a change between scans, a reference population's mean: not the patient's
            if role == "earlier":
                self.prior_item(node, labels, field_name)  # type: ignore[arg-type]
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
        elif not frax:
            self.put(group, site, field_name, converted)

    def prior_item(self, node: Node, labels: list[str], field_name: str) -> None:
        """An earlier scan's value among the current ones (``Previous BMD``, ``BMD 12-Mar-2019``):
        a prior when it is a BMD whose name carries its date, else left out with a warning."""
        if field_name != "bmd_g_cm2":
            return
        when = self.date(node.name)
        bmd = self.prior_bmd(node, labels)
        if bmd is None:
            return
        site, value = bmd
        if site is None or when is None:
            self.warn("PRIOR_NOT_PLACED")
            return
        self.content.priors.append(Prior(scan_date=when, region=site.region, side=site.side,
                                         levels=site.levels, bmd_g_cm2=value))

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
        for scan in node.children:
            if scan.value_type == "CONTAINER" and not is_derived(scan.name):
                self.prior_scan(scan, [*labels, *context], self.scan_date_of(scan))

    def prior_scan(self, node: Node, labels: list[str], when: str | None) -> None:
        """The BMD values of one earlier scan (a trend entry or a ``Prior study`` container),
        each at the site its labels name. They are priors, never current measurements; a scan
        without a readable date gives none (a prior must be placed in time)."""
        dated = _order_open(node.name) or self.date(node.name)
        own = labels if dated else labels + _context(node)
        for child in node.children:
            if child.relationship == "HAS CONCEPT MOD" or _is_finding_site(child):
                continue
            if child.value_type == "CONTAINER":
                if not (is_not_a_measurement(_label(child)) or is_derived(child.name)):
                    self.prior_scan(child, own, when)
                continue
            bmd = self.prior_bmd(child, own)
            if bmd is None:
                continue
            site, value = bmd
            if site is None or when is None:
                self.warn("PRIOR_NOT_PLACED")
                continue
            self.content.looks_dxa = True
            self.content.priors.append(Prior(scan_date=when, region=site.region, side=site.side,
                                             levels=site.levels, bmd_g_cm2=value))

    def prior_bmd(self, node: Node, labels: list[str]) -> tuple[Site | None, float] | None:
        """An earlier scan's BMD item: its site and its value in g/cm², else None."""
        if node.value_type not in ("NUM", "TEXT"):
            return None
        loinc = LOINC.get(node.concept.value) if node.concept.scheme == "LN" else None
        if loinc:
            if loinc[2] != "bmd_g_cm2":
                return None
            site = loinc_site(loinc, (*labels, *_modifier_labels(node)))
        elif field_of(node.name) == "bmd_g_cm2" and not (
                is_derived(node.name) or is_reference_value(node.name)):
            site = _site((*labels, *_modifier_labels(node), node.name))
        else:
            return None
        value, unit = _value_and_unit(node)
        bmd = convert("bmd_g_cm2", value, unit) if value is not None else None
        return None if bmd is None else (site, bmd)

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


def map_tree(root: Node, scan_date: str | None = None) -> Content:
    """What the tree states; ``scan_date`` (the header's) tells the current scan's containers
    from earlier scans' when a container is named by its date."""
    mapper = _Mapper(root, scan_date)
    if is_dxa_title(root.name) or (root.concept.scheme == "LN" and root.concept.value
                                   in CODES["dxa_documents"]["LN"]):
        mapper.content.looks_dxa = True
    mapper.container(root, [], root=True)
    return mapper.finish()
