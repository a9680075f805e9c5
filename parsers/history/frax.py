"""FRAX as a report writes it in words: the two 10-year probabilities, whether BMD was used,
TBS adjustment and the country model, each only where stated.

The one FRAX reader of text for every format: the free-text reader's paragraphs, a vendor
printout's FRAX lines, an SR's free-text items. Printed probabilities are FRAX results, never
fractures: the fracture reader leaves them alone through its ``risk`` modifier
(``parsers.history.context``). Phrases are ``parsers/vocabulary/frax.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from dexa.contract import Frax
from parsers.kit.phrases import phrase_matcher, phrase_pattern
from parsers.kit.text import key, sentences
from parsers.kit.vocabulary import load


@cache
def _data() -> dict[str, Any]:
    return load("frax")


@cache
def _matcher(name: str) -> re.Pattern[str]:
    return phrase_matcher(tuple(_data()[name]))


def _has(name: str, keyed: str) -> bool:
    return _matcher(name).search(keyed) is not None


_NUMBER = r"(\d{1,2}(?:\.\d{1,2})?) {0,2}(?:%|percent)"


@cache
def _value_patterns(labels: str, stop: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alts = "|".join(phrase_pattern(p).replace(" ", "[ -]{1,3}") for p in _data()[labels])
    reverse = re.compile(rf"(?<![\d.]){_NUMBER} {{0,2}}(?:\(|for|of|risk of|probability of"
                         rf"|chance of) {{0,2}}(?:an? {{1,2}}|the {{1,2}})?(?:{alts})\b")
    # "risk (10 yr): 15.2 %", "FRAX_MOF_10Y | 19.3 | %": the only digits let through
    horizon = r"10[ -]?(?:years?|yrs?|y)\b"
    forward = re.compile(rf"\b(?:{alts})\b((?:(?!{stop}){horizon}|(?!{stop})[^\d%\n]){{0,60}}?)"
                         rf"(?<![\d.]){_NUMBER}")
    return reverse, forward


def _value(text: str, labels: str, stop: str) -> float | None:
    reverse, forward = _value_patterns(labels, stop)
    for pattern, group in ((reverse, 1), (forward, 2)):
        for m in pattern.finditer(text):
            value = float(m.group(group))
            if 0 <= value <= 100:
                return value
    return None


@cache
def _text_pattern(name: str) -> re.Pattern[str]:
    """A phrase list as a pattern over written text (any case, words apart by up to three
    spaces, underscores or punctuation), for the spans a key-text match cannot give."""
    alts = "|".join(phrase_pattern(p).replace(" ", r"[^a-z0-9%]{1,3}") for p in _data()[name])
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])", re.IGNORECASE)


@cache
def _printed_before() -> re.Pattern[str]:
    """A percentage printed just before a threshold word ("the 20% treatment threshold")."""
    mods = "|".join(phrase_pattern(p).replace(" ", "[ -]{1,3}")
                    for p in _data()["frax_reference_modifiers"])
    return re.compile(rf"{_NUMBER}(?:[ -]{{1,3}}(?:{mods}))*[ -]{{0,3}}$", re.IGNORECASE)


@cache
def _bound() -> re.Pattern[str]:
    """A percentage given as a bound ("is >= 3%", "above 20%", "20% or more"), not a value."""
    words = [phrase_pattern(p).replace(" ", "[ -]{1,3}") for p in _data()["frax_bounds"]]
    before = "|".join([*words, r"[<>\u2264\u2265]=?", "=>"])
    after = "|".join(w for w in words if w.startswith("or"))
    number = r"\d{1,2}(?:\.\d{1,2})? {0,2}(?:%|percent)"
    return re.compile(rf"(?:(?<![a-z0-9])(?:{before}) {{0,2}}{number}"
                      rf"|{number} {{1,2}}(?:{after})(?![a-z0-9]))", re.IGNORECASE)


_TERMINATED = (".", "!", "?")


def _without_references(sentence: str) -> tuple[str, bool]:
    """The sentence with its published thresholds and an earlier scan's FRAX blanked ("US
    treatment thresholds are 10-year hip fracture probability 3% and ...", "above the
    intervention threshold (20%)", "(previously 11%)"): from a threshold, guideline or prior
    word to the end of its bracket, else up to a ``;`` or the sentence end (up to a comma
    when a percentage came before the word and none between the word and the comma), and a
    percentage printed just before the word; and every percentage given as a bound ("treat
    if the probability is >= 3%"). Also whether the blanked clause runs on past the sentence
    (a line without a full stop: a wrapped sentence, a heading over threshold lines)."""
    runs_on = False
    found = [*_text_pattern("frax_reference").finditer(sentence),
             *_text_pattern("frax_prior").finditer(sentence)]
    for m in sorted(found, key=lambda m: m.start()):
        before = sentence[:m.start()]
        printed = _printed_before().search(before)
        start = printed.start() if printed else m.start()
        end = sentence.find(")", m.end()) if before.rfind("(") > before.rfind(")") else -1
        if end < 0:
            end = sentence.find(";", m.end())
        comma = sentence.find(",", m.end(), None if end < 0 else end)
        if comma >= 0 and not re.search(r"\d", sentence[m.end():comma]) and re.search(
                _NUMBER, before[before.rfind(";") + 1:]):
            end = comma  # "MOF 24% is above the threshold, hip 2.9%": a result came first
        if end < 0:
            end = len(sentence)
            runs_on = not sentence.rstrip().endswith(_TERMINATED)
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    return _bound().sub(lambda m: " " * len(m.group()), sentence), runs_on


def speaks_of_frax(text: str) -> bool:
    """Whether a line or sentence speaks of FRAX ("10-year probability", "FRAX", "fracture
    risk"): where a printed number may be a FRAX probability."""
    return _has("frax_context", key(text))


def speaks_of_bmd_use(text: str) -> bool:
    """Whether a line says whether a FRAX used BMD ("(BMD not used)", "Probabilities include
    femoral neck BMD", "BMD used: yes"): a provenance printed apart from its FRAX lines."""
    keyed = key(text)
    return _has("frax_without_bmd", keyed) or _has("frax_with_bmd", keyed) or _has(
        "frax_bmd_label", keyed)


def _answer(text: str) -> bool | None:
    """A yes/no answer by its first word ("Yes - femoral neck BMD", "N")."""
    words = key(text).split()
    if not words:
        return None
    if words[0] in _data()["frax_answers_yes"]:
        return True
    return False if words[0] in _data()["frax_answers_no"] else None


def _stated_use(keyed: str) -> bool | None:
    if _has("frax_without_bmd", keyed):
        return False
    return True if _has("frax_with_bmd", keyed) or _has("frax_with_bmd_near", keyed) else None


def bmd_answer(text: str) -> bool | None:
    """The answer of a "BMD used" field ("Yes - femoral neck BMD", "No (clinical risk factors
    only)", "Calculated without BMD"): its yes/no word, else what it says; blank: None."""
    answer = _answer(text)
    return answer if answer is not None else _stated_use(key(text))


@cache
def _label_pattern() -> re.Pattern[str]:
    alts = _text_pattern("frax_bmd_label").pattern
    return re.compile(rf"{alts}[ \])]{{0,3}}[:|=](.*)$", re.IGNORECASE)


def _sentence_bmd_use(sentence: str) -> bool | None:
    """Whether one FRAX sentence says BMD was used: a "BMD used" field by its answer
    ("FRAX_BMD_USED | Y"; a blank field states nothing), else its wording ("(with BMD)",
    "clinical risk factors only")."""
    field = _label_pattern().search(sentence)
    if field is not None:
        answer = _answer(field.group(1))
        if answer is not None or not key(field.group(1)).strip():
            return answer
    return _stated_use(key(sentence))


_MEASURE = re.compile(r"\d[.,]\d|%")  # a value, not a provenance ("BMD 0.712 g/cm2")


# the longest provenance line after a FRAX ("Calculated without BMD (clinical risk factors and
# BMI only)"), in words
_PROVENANCE_WORDS = 12


# a line break inside a sentence: after a word or comma, before a lower-case word, or before a
# number or the word fracture on a line that holds a percentage ("... treatment is usually
# advised above a" / "10-year hip fracture probability of 3%", "... AND HIP" / "FRACTURE
# 10.8%"); not before a heading ("... decreased from 0.833 to" / "10-year Fracture Risk")
_WRAPPED_LINE_RE = re.compile(r"(?<=[A-Za-z,])[ \t]*\n(?=[a-z]|(?:[0-9]|(?i:fractures?\b))[^\n]*%)")


def frax_sentences(blocks: Iterable[str]) -> list[str]:
    """Sentences that speak of FRAX ("10-year probability", "FRAX", "fracture risk"), with the
    lines that continue one ("Hip fracture: 1.6%" under "FRAX 10-year probability:") and a
    short provenance after one ("(BMD not used)"), and the end of a bracket or the value a line
    break parted from its sentence; a block is a paragraph (a sentence does not continue one
    of another block). Published thresholds are blanked (``_without_references``), with the
    lines that continue them."""
    out: list[str] = []
    labels = phrase_matcher((*_data()["frax_mof"], *_data()["frax_hip"]))
    for block in blocks:
        previous = runs_on = False
        for sentence in sentences(_WRAPPED_LINE_RE.sub(" ", block)):
            if previous and out and (out[-1].count("(") > out[-1].count(")") or (
                    sentence[:1].isdigit() and not out[-1].rstrip().endswith((*_TERMINATED, ":")))):
                # "(FRAX with femoral neck" / "BMD).", "(... risk greater than" / "20%)",
                # "... major osteoporotic fracture" / "7.9%, hip fracture 1.3%."
                out[-1] = _without_references(f"{out[-1]} {sentence}")[0]
                continue
            keyed = key(sentence)
            continues = bool(previous and labels.match(keyed, 1) and "%" in sentence)
            wrapped = runs_on and sentence[:1].islower()
            if runs_on and (continues or wrapped):  # a threshold's own lines
                out.append(" " * len(sentence))
                runs_on = not sentence.rstrip().endswith(_TERMINATED)
                continue
            provenance = previous and not _MEASURE.search(sentence) and len(
                keyed.split()) <= _PROVENANCE_WORDS and speaks_of_bmd_use(sentence)
            previous = _has("frax_context", keyed) or continues or provenance
            runs_on = False
            if previous:
                sentence, runs_on = _without_references(sentence)
                out.append(sentence)
    return out


_CELL_UNIT = re.compile(r"(\d)[ \t]*\|+[ \t]*(%|percent)")


def read_frax(blocks: Iterable[str]) -> Frax | None:
    """FRAX stated in the text blocks (paragraphs outside recommendations), else None."""
    found = frax_sentences(blocks)
    original = "\n".join(found)
    # a key-value row's cells ("FRAX_MOF_10Y | 19.3 | %", "...probability^L||6.7|%")
    text = _CELL_UNIT.sub(r"\1 \2", original.lower().replace("_", " "))
    mof = _value(text, "frax_mof", "hip")
    hip = _value(text, "frax_hip", "major|mof")
    if mof is None and hip is None:
        return None
    keyed = key(text)
    uses = {_sentence_bmd_use(sentence) for sentence in found}
    with_bmd = False if False in uses else (True if True in uses else None)
    country = None
    for phrase, name in _data()["frax_countries"].items():
        if phrase_matcher((phrase,)).search(keyed) and (len(phrase) > 3 or re.search(
                r"(?<![A-Za-z])" + re.escape(phrase.upper()).replace(r"\ ", r"\.?"), original)):
            country = name
            break
    return Frax(major_osteoporotic_pct=mof, hip_pct=hip, with_bmd=with_bmd, country=country,
                tbs_adjusted=True if _has("frax_tbs", keyed) else None)
