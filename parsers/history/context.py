"""Which context modifies a mention: the ConText algorithm (Harkema et al., J Biomed Inform
2009; the algorithm medspaCy's ``ConTextComponent`` implements) over key text.

A modifier is a phrase of ``parsers/vocabulary/history.json`` ``context`` with a category
(``negated``, ``family``, ``hypothetical``, ``uncertain``, ``past``, ``risk``, ``generic``, and
the two that only shape scopes: ``pseudo``, a phrase that contains a modifier without being one,
"no change", and ``terminate``, "but", "except") and a direction: ``forward`` (it modifies
what follows: "no hip fracture"), ``backward`` (what precedes: "hip fracture denied") or
``both``. Its scope runs from the modifier in its direction for at most ``max_words`` words and
stops at a terminating phrase; the caller has already cut the text at sentence and clause
punctuation (``parsers.history.statements``), which ends every scope.

Why not medspaCy itself: it needs spaCy (a model-free ``spacy.blank`` pipeline still imports
spaCy, thinc, numpy and their compiled extensions, ~1.5 s and ~100 MB a process) where the
readers need only this one step over text they have already keyed; the measured figures are in
the README (``benchmarks/bench_history.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import key
from parsers.kit.vocabulary import load

_DEFAULT_WORDS = 8


@dataclass(frozen=True)
class Rule:
    category: str
    direction: str  # forward, backward, both (terminate and pseudo have none)
    max_words: int


@dataclass(frozen=True)
class Modifier:
    rule: Rule
    start: int
    end: int


@cache
def _rules() -> tuple[dict[str, Rule], re.Pattern[str]]:
    by_phrase: dict[str, Rule] = {}
    for entry in load("history")["context"]:
        rule = Rule(entry["category"], entry.get("direction", "forward"),
                    entry.get("max_words", _DEFAULT_WORDS))
        for phrase in entry["phrases"]:
            by_phrase[key(phrase).strip()] = rule
    return by_phrase, phrase_matcher(tuple(by_phrase))


def find_modifiers(keyed: str) -> list[Modifier]:
    """The modifier phrases of key text, leftmost and longest first (a ``pseudo`` phrase
    hides the modifier it contains)."""
    by_phrase, pattern = _rules()
    return [Modifier(by_phrase[m.group(0)], m.start(), m.end()) for m in pattern.finditer(keyed)
            if m.group(0) in by_phrase]


def _words_after(keyed: str, position: int, count: int) -> int:
    spaces = [m.start() for m in re.finditer(" ", keyed[position:])][1:count + 1]
    return position + spaces[-1] if len(spaces) == count else len(keyed)


def _words_before(keyed: str, position: int, count: int) -> int:
    spaces = [m.start() for m in re.finditer(" ", keyed[:position])]
    return spaces[-count - 1] if len(spaces) > count else 0


def categories(keyed: str, start: int, end: int,
               modifiers: list[Modifier] | None = None) -> frozenset[str]:
    """The categories of the modifiers whose scope covers the mention ``keyed[start:end]``."""
    found = find_modifiers(keyed) if modifiers is None else modifiers
    stops = [m for m in found if m.rule.category == "terminate"]
    out = set()
    for modifier in found:
        rule = modifier.rule
        if rule.category in ("terminate", "pseudo"):
            continue
        if modifier.start < end and start < modifier.end:  # "in postmenopausal women"
            out.add(rule.category)
            continue
        if rule.direction in ("forward", "both") and modifier.end <= start:
            limit = min([s.start for s in stops if s.start >= modifier.end]
                        + [_words_after(keyed, modifier.end, rule.max_words)])
            if start < limit:
                out.add(rule.category)
        if rule.direction in ("backward", "both") and modifier.start >= end:
            limit = max([s.end for s in stops if s.end <= modifier.start]
                        + [_words_before(keyed, modifier.start, rule.max_words)])
            if end > limit:
                out.add(rule.category)
    return frozenset(out)
