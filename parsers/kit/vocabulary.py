"""The one loader of reader vocabulary: ``parsers/vocabulary/<name>.json``, checked at load time.

Every file has a schema declared here (:data:`SCHEMAS`): which keys an entry may have and what
each holds. Like medspaCy's ``ConTextRule.from_dict`` with its ``_ALLOWED_KEYS``, a file with an
unknown key, a missing key or a value of the wrong shape raises :class:`VocabularyError` naming
the file, the entry and the key, so that a typo in a phrase list fails the first test run
instead of silently matching nothing. Phrases must be written in matching form
(:func:`parsers.kit.text.key`: lower case words separated by single spaces), since they are
matched on keys; a phrase list may allow a trailing ``*`` on a word ("any ending") and a
leading ``^`` ("at the start of a line") where its reader understands them.

A top-level ``_comment`` is allowed in every file and dropped on load.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, get_args

from dexa.contract import Region, Side
from parsers.kit.text import key

Path = str


class VocabularyError(ValueError):
    """A vocabulary file does not follow its schema."""


class Spec:
    """One node of a schema: ``check`` raises VocabularyError at ``path`` on a bad value."""

    def check(self, value: Any, path: Path) -> None:
        raise NotImplementedError

    def __or__(self, other: Spec) -> Spec:
        return AnyOf(self, other)


def _fail(path: Path, message: str) -> VocabularyError:
    return VocabularyError(f"{path}: {message}")


@dataclass(frozen=True)
class AnyOf(Spec):
    options: tuple[Spec, ...]

    def __init__(self, *options: Spec) -> None:
        object.__setattr__(self, "options", options)

    def check(self, value: Any, path: Path) -> None:
        errors = []
        for option in self.options:
            try:
                option.check(value, path)
                return
            except VocabularyError as exc:
                errors.append(str(exc).removeprefix(f"{path}: "))
        raise _fail(path, " or ".join(errors))


@dataclass(frozen=True)
class Type(Spec):
    kind: type | tuple[type, ...]
    name: str

    def check(self, value: Any, path: Path) -> None:
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            raise _fail(path, f"{value!r} is not {self.name}")


STR = Type(str, "a string")
BOOL = Type(bool, "true or false")
INT = Type(int, "an integer")
NULL = Type(type(None), "null")


@dataclass(frozen=True)
class OneOf(Spec):
    values: frozenset[Any]

    def check(self, value: Any, path: Path) -> None:
        if value not in self.values:
            allowed = ", ".join(sorted(map(str, self.values)))
            raise _fail(path, f"{value!r} is not one of {allowed}")


@dataclass(frozen=True)
class Phrase(Spec):
    """A phrase in matching form; ``wildcard``: a word may end in ``*``; ``anchor``: the
    phrase may start with ``^``; ``numbered``: it may end in `` #`` (a label that counts only
    with a number mark, ``parsers.kit.identifiers``)."""

    wildcard: bool = False
    anchor: bool = False
    numbered: bool = False

    def check(self, value: Any, path: Path) -> None:
        STR.check(value, path)
        bare = value[1:] if self.anchor and value.startswith("^") else value
        if self.numbered and bare.endswith(" #"):
            bare = bare[:-2]
        words = bare.split(" ")
        if self.wildcard:
            words = [w[:-1] if w.endswith("*") else w for w in words]
        if not bare or key(" ".join(words)) != f" {' '.join(words)} ":
            raise _fail(path, f"{value!r} is not in matching form (lower-case words and "
                              f"digits, single spaces: {key(value).strip()!r})")


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    min_items: int = 1

    def check(self, value: Any, path: Path) -> None:
        if not isinstance(value, list):
            raise _fail(path, f"expected a list, found {type(value).__name__}")
        if len(value) < self.min_items:
            raise _fail(path, f"expected at least {self.min_items} entries")
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]")


@dataclass(frozen=True)
class TupleOf(Spec):
    items: tuple[Spec, ...]

    def __init__(self, *items: Spec) -> None:
        object.__setattr__(self, "items", items)

    def check(self, value: Any, path: Path) -> None:
        if not isinstance(value, list) or len(value) != len(self.items):
            raise _fail(path, f"expected a list of {len(self.items)} values")
        for index, (item, spec) in enumerate(zip(value, self.items, strict=True)):
            spec.check(item, f"{path}[{index}]")


@dataclass(frozen=True)
class MapOf(Spec):
    """An object whose keys (checked by ``keys``) all hold the same kind of value."""

    value: Spec
    keys: Spec = STR

    def check(self, value: Any, path: Path) -> None:
        if not isinstance(value, dict) or not value:
            raise _fail(path, "expected a non-empty object")
        for name, item in value.items():
            self.keys.check(name, f"{path} key {name!r}")
            self.value.check(item, f"{path}.{name}")


@dataclass(frozen=True)
class Record(Spec):
    """An object with named keys: all ``required`` ones, any of ``optional``, nothing else."""

    required: Mapping[str, Spec]
    optional: Mapping[str, Spec] | None = None

    def check(self, value: Any, path: Path) -> None:
        if not isinstance(value, dict):
            raise _fail(path, f"expected an object, found {type(value).__name__}")
        optional = self.optional or {}
        allowed = {**self.required, **optional}
        unknown = [name for name in value if name not in allowed]
        if unknown:
            raise _fail(path, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
        missing = [name for name in self.required if name not in value]
        if missing:
            raise _fail(path, f"missing key {missing[0]!r}")
        for name, item in value.items():
            allowed[name].check(item, f"{path}.{name}")


PHRASES = ListOf(Phrase())
WILD_PHRASES = ListOf(Phrase(wildcard=True))
LABELS = ListOf(Phrase(anchor=True, numbered=True))
REGION = OneOf(frozenset(get_args(Region)))
SIDE = OneOf(frozenset(get_args(get_args(Side)[0])))  # Side is Literal[...] | None
MEASURE_FIELD = OneOf(frozenset({"bmd_g_cm2", "t_score", "z_score", "young_adult_pct",
                                 "age_matched_pct", "bmc_g", "area_cm2"}))
CODES = ListOf(STR)

SCHEMAS: dict[str, Record] = {
    # site labels -> body-part family, region, side (parsers.labels)
    "sites": Record({
        "families": MapOf(PHRASES, keys=OneOf(frozenset({"spine", "hip", "forearm",
                                                         "total_body"}))),
        "regions": ListOf(Record({"region": REGION, "family": STR | NULL, "phrases": PHRASES})),
        "sides": MapOf(PHRASES, keys=SIDE),
        "not_a_measurement": PHRASES,
        "no_region": PHRASES,
        "unscored_regions": ListOf(REGION),
        "no_reference": PHRASES,
    }),
    # column and item labels -> measurement field (parsers.labels.field_of)
    "fields": Record({
        "fields": ListOf(Record({"field": MEASURE_FIELD, "percent": BOOL, "phrases": PHRASES})),
    }),
    # month names of printed dates (parsers.kit.dates)
    "dates": Record({
        "months": ListOf(Record({"month": OneOf(frozenset(range(1, 13))), "names": PHRASES})),
        "day_first_places": PHRASES, "month_first_places": PHRASES,
    }),
    # labels of stated facts in text and printout headers (parsers.prose, parsers.pdf)
    "report_labels": Record({
        "patient_id": LABELS, "birth_date": LABELS, "scan_date": LABELS, "bare_date": LABELS,
        "accession": LABELS,
        "sex": LABELS, "ethnicity": LABELS, "reference_database": LABELS, "lmp": LABELS,
        "printout": MapOf(STR | NULL),  # labels as printed: "sex / ethnic"
    }),
    # words of a value cell that holds no value (parsers.kit.numbers, parsers.pdf)
    "values": Record({"empty_words": PHRASES, "printout_no_value_words": PHRASES}),
    # section headers of free-text reports (parsers.prose.text)
    "sections": Record({"sections": MapOf(PHRASES)}),
    # words the OCR layer may part a glued run into, beyond every file's phrases (parsers.scanned)
    "ocr_words": Record({"words": PHRASES}),
    # findings words of free-text reports (parsers.prose)
    "findings": Record({
        "dxa_evidence": ListOf(PHRASES),
        "vendors": MapOf(WILD_PHRASES),
        "categories": PHRASES,
        "prior_words": PHRASES,
        "current_words": PHRASES,
        "lsc_words": PHRASES,
        "table_date_columns": PHRASES,
        "table_change_columns": PHRASES,
        "table_other_columns": PHRASES,
        "table_site_columns": PHRASES,
    }),
    # FRAX wordings of free-text reports (parsers.history.frax)
    "frax": Record({
        "frax_context": PHRASES, "frax_mof": PHRASES, "frax_hip": PHRASES,
        "frax_without_bmd": PHRASES, "frax_with_bmd": PHRASES, "frax_with_bmd_near": PHRASES,
        "frax_bmd_label": PHRASES, "frax_answers_yes": PHRASES, "frax_answers_no": PHRASES,
        "frax_reference": WILD_PHRASES, "frax_prior": PHRASES,
        "frax_reference_modifiers": PHRASES, "frax_bounds": PHRASES, "frax_tbs": PHRASES,
        "frax_countries": MapOf(STR, keys=Phrase()),
    }),
    # clinical-history wordings of every reader (parsers.history)
    "history": Record({
        "sex_words": MapOf(PHRASES, keys=OneOf(frozenset({"F", "M"}))),
        "menopause": MapOf(PHRASES, keys=OneOf(frozenset({"pre", "peri", "post"}))),
        "fracture_words": WILD_PHRASES,
        "hip_fracture_surgery": WILD_PHRASES,
        "surgery_not_for_fracture": PHRASES,
        "fracture_exclusions": MapOf(WILD_PHRASES),
        "fracture_sites": MapOf(WILD_PHRASES, keys=OneOf(frozenset({"hip", "vertebral",
                                                                    "other_fragility"}))),
        "drugs": WILD_PHRASES, "hormone_drugs": WILD_PHRASES, "drug_holiday": PHRASES,
        "drug_not_history": WILD_PHRASES, "untreated_phrases": WILD_PHRASES,
        "drug_switch_to": PHRASES, "drug_switch_from": PHRASES, "last_dose": PHRASES,
        "current_clause_openers": PHRASES, "sole_fracture": WILD_PHRASES,
        "fracture_anaphora": MapOf(STR, keys=Phrase()),  # a written form, "{site}" in it
        "nothing_since": PHRASES,
        "row_status": MapOf(PHRASES, keys=OneOf(frozenset({"stopped", "current",
                                                                 "unknown"}))),
        "supplements": WILD_PHRASES, "supplements_only": PHRASES,
        "not_taken_openers": PHRASES,
        "bone_purposes": WILD_PHRASES,
        "not_done_yet": PHRASES,
        "smoker_no": WILD_PHRASES, "smoker_yes": WILD_PHRASES,
        "glucocorticoid_words": WILD_PHRASES, "negations": PHRASES,
        "fracture_not_mentions": PHRASES, "fragility_qualifiers": PHRASES,
        "fracture_name_words": PHRASES,
        "drug_not_mentions": PHRASES, "not_history_labels": PHRASES,
        "history_section_labels": PHRASES, "correction_labels": PHRASES,
        "correction_after": PHRASES,
        "untreated_parts": MapOf(WILD_PHRASES, keys=OneOf(frozenset(
            {"negators", "qualifiers", "kinds", "treatments"}))),
        "hip_bone_words": PHRASES, "not_fracture_operations": PHRASES,
        "sentence_openers": ListOf(STR),  # as written: "s/p" (parsers.history.statements)
        "question_openers": ListOf(STR),  # a question's first word, lower case
        "answers": MapOf(PHRASES, keys=OneOf(frozenset({"yes", "no", "unknown"}))),
        "menopause_answers": MapOf(PHRASES, keys=OneOf(frozenset({"pre", "peri", "post"}))),
        "amenorrhoea": PHRASES, "menopause_status_labels": PHRASES,
        "menopause_age_labels": PHRASES, "menopause_years_labels": PHRASES,
        "period_ended": PHRASES, "menstrual_labels": PHRASES,
        "amenorrhoea_causes": WILD_PHRASES,
        "menstrual_answers": MapOf(PHRASES, keys=OneOf(frozenset({"pre", "peri", "post"}))),
        # ConText modifiers (parsers.history.context)
        "context": ListOf(Record(
            {"category": OneOf(frozenset({
                "negated", "family", "hypothetical", "uncertain", "unknown", "risk", "generic",
                "past", "stopped", "not_taken", "current", "pseudo", "terminate"})),
             "phrases": PHRASES},
            {"direction": OneOf(frozenset({"forward", "backward", "both"})),
             "max_words": INT})),
    }),
    # DICOM SR codes (dxa-formats.md §1.1, §1.5) (parsers.dicom)
    "sr_codes": Record({
        "loinc": MapOf(TupleOf(STR, SIDE | NULL, MEASURE_FIELD)),
        "dxa_documents": MapOf(CODES),
        "snomed_sites": MapOf(STR),
        "finding_site_regions": MapOf(STR),
        "apex_bone_range_items": PHRASES,
        "apex_bone_ranges": MapOf(MapOf(STR), keys=OneOf(frozenset({"hip", "forearm"}))),
        "laterality_concepts": CODES,
        "laterality_values": MapOf(SIDE),
        "finding_site_concepts": CODES,
        "yes_codes": CODES,
        "no_codes": CODES,
    }),
    # names of DICOM SR items that are not per-site measurements (parsers.dicom.facts)
    "sr_items": Record({
        **{kind: PHRASES for kind in (
            "family", "frax_hip", "frax_mof", "frax_country", "frax_with_bmd", "frax_containers",
            "lsc", "precision",
            "reference_database", "menopausal_status", "fracture_hip", "fracture_vertebral",
            "fracture_other", "therapy", "trend", "prior_scan", "scan_date", "prior_value",
            "history_containers", "current_scan", "reference_value", "region_items", "derived",
            "dxa_titles", "yes", "no", "history_text")},
    }),
}


def check(name: str, data: Any) -> dict[str, Any]:
    """``data`` (a parsed file) checked against the schema of ``name``, without its comment.

    Raises:
        VocabularyError: the data does not follow the schema; the message names the file,
            the entry and the key.
    """
    if name not in SCHEMAS:
        raise VocabularyError(f"{name}.json: no schema is declared for this file")
    if not isinstance(data, dict):
        raise VocabularyError(f"{name}.json: expected an object at the top")
    data = {k: v for k, v in data.items() if k != "_comment"}
    SCHEMAS[name].check(data, f"{name}.json")
    return data


@cache
def load(name: str) -> dict[str, Any]:
    """The vocabulary file ``parsers/vocabulary/<name>.json``, checked (read once a process),
    with its lists as tuples.

    Raises:
        VocabularyError: the file breaks its schema (or is not valid JSON).
    """
    text = resources.files("parsers.vocabulary").joinpath(f"{name}.json").read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VocabularyError(f"{name}.json: not valid JSON ({exc})") from exc
    return _frozen(check(name, data))


def _frozen(value: Any) -> Any:
    """Lists as tuples, so that the shared vocabulary cannot be changed by a caller (and phrase
    lists are ready to be cache keys); objects stay dicts, in file order."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {name: _frozen(item) for name, item in value.items()}
    return value
