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


@cache
def _value_patterns(labels: str, stop: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alts = "|".join(phrase_pattern(p).replace(" ", "[ -]{1,3}") for p in _data()[labels])
    number = r"(\d{1,2}(?:\.\d{1,2})?) {0,2}(?:%|percent)"
    reverse = re.compile(rf"(?<![\d.]){number} {{0,2}}(?:\(|for|of|risk of|probability of"
                         rf"|chance of) {{0,2}}(?:an? {{1,2}}|the {{1,2}})?(?:{alts})\b")
    horizon = r"10[ -]?(?:years?|yrs?)\b"  # "risk (10 yr): 15.2 %": the only digits let through
    forward = re.compile(rf"\b(?:{alts})\b((?:(?!{stop}){horizon}|(?!{stop})[^\d%\n]){{0,60}}?)"
                         rf"(?<![\d.]){number}")
    return reverse, forward


def _value(text: str, labels: str, stop: str) -> float | None:
    reverse, forward = _value_patterns(labels, stop)
    for pattern, group in ((reverse, 1), (forward, 2)):
        for m in pattern.finditer(text):
            value = float(m.group(group))
            if 0 <= value <= 100:
                return value
    return None


def speaks_of_frax(text: str) -> bool:
    """Whether a line or sentence speaks of FRAX ("10-year probability", "FRAX", "fracture
    risk"): where a printed number may be a FRAX probability."""
    return _has("frax_context", key(text))


def frax_sentences(blocks: Iterable[str]) -> list[str]:
    """Sentences that speak of FRAX ("10-year probability", "FRAX", "fracture risk"), with the
    lines that continue one ("Hip fracture: 1.6%" under "FRAX 10-year probability:"); a
    block is a paragraph (a sentence does not continue one of another block)."""
    out: list[str] = []
    labels = phrase_matcher((*_data()["frax_mof"], *_data()["frax_hip"]))
    for block in blocks:
        previous = False
        for sentence in sentences(block):
            keyed = key(sentence)
            previous = _has("frax_context", keyed) or bool(
                previous and labels.match(keyed, 1) and "%" in sentence)
            if previous:
                out.append(sentence)
    return out


def read_frax(blocks: Iterable[str]) -> Frax | None:
    """FRAX stated in the text blocks (paragraphs outside recommendations), else None."""
    original = "\n".join(frax_sentences(blocks))
    text = original.lower()
    mof = _value(text, "frax_mof", "hip")
    hip = _value(text, "frax_hip", "major|mof")
    if mof is None and hip is None:
        return None
    keyed = key(text)
    with_bmd = False if _has("frax_without_bmd", keyed) else (
        True if _has("frax_with_bmd", keyed) else None)
    country = None
    for phrase, name in _data()["frax_countries"].items():
        if phrase_matcher((phrase,)).search(keyed) and (len(phrase) > 3 or re.search(
                r"(?<![A-Za-z])" + re.escape(phrase.upper()).replace(r"\ ", r"\.?"), original)):
            country = name
            break
    return Frax(major_osteoporotic_pct=mof, hip_pct=hip, with_bmd=with_bmd, country=country,
                tbs_adjusted=True if _has("frax_tbs", keyed) else None)
