"""Spaces the recogniser dropped between words, put back where the words are the readers' own.

On tightly set text the recogniser often returns a line without some of its spaces
(``No otherfragilityfractures.``, ``INDICATIONS64yearsoldpost-menopausalWoman``). The readers
match whole words, so such a line says nothing to them. A glued run of letters is parted only
where it falls apart *entirely* into words of the readers' vocabulary (the phrases of
``parsers/vocabulary/*.json``; ``ocr_words.json`` adds the words of patterns written in code),
with as few words as possible; a run that is itself a word, or that any unknown piece would be
left in (a name, an identifier), is left as read. Digits glued to such words are parted from
them too (``64years``), but a label glued to digits is parted only inside prose (a word, digits,
then more words), from a percentage (``MOF14.1%``) or, for a word in small letters, from a small
whole number ending its clause (``age61.``): ``MRN12345`` or ``DOB27/10/1951`` may be printed so
and stay whole. Nothing but spaces is ever added.
"""

from __future__ import annotations

import re
from functools import cache

from parsers.kit.vocabulary import load

__all__ = ["respaced"]

_VOCABULARIES = ("sites", "fields", "dates", "report_labels", "values", "sections", "findings",
                 "frax", "history", "ocr_words")
_MIN_RUN = 6  # shorter glued runs are mostly abbreviations
_MIN_WORD = 2
_MIN_WORD_BY_DIGITS = 3  # a word parted from digits beside it
_RUNS = re.compile(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+")
# a word of the vocabulary glued to the percentage after it ("MOF14.1%", "Hip0.3%"): an
# identifier holds no percent sign, so the two are parted whatever their length
_LABEL_PERCENT = re.compile(r"([A-Za-z]{2,})(\d+(?:\.\d+)?%)")
# a word of prose (small letters) glued to a small whole number that ends its clause ("age61.",
# "age61"): an identifier is printed with capitals or runs to more digits ("MRN12345678")
_WORD_SMALL_NUMBER = re.compile(r"([a-z]{3,})(\d{1,3}[.,;:]?)")


@cache
def _words() -> frozenset[str]:
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            words.update(w for w in re.findall(r"[a-z]+", value.lower()) if len(w) >= _MIN_WORD)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for name, item in value.items():
                if not str(name).startswith("_"):
                    walk(item)

    for name in _VOCABULARIES:
        walk(load(name))
    return frozenset(words)


def _split(run: str) -> list[str] | None:
    """``run`` as the fewest known words (each at least ``_MIN_WORD`` letters), or None."""
    lower = run.lower()
    words = _words()
    best: list[list[int] | None] = [None] * (len(run) + 1)
    best[0] = []
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 24), end - _MIN_WORD + 1):
            before = best[start]
            if before is not None and lower[start:end] in words and (
                    best[end] is None or len(before) + 1 < len(best[end])):  # type: ignore[arg-type]
                best[end] = [*before, start]
    cuts = best[len(run)]
    if cuts is None:
        return None
    bounds = [*cuts, len(run)]
    return [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _known(run: str) -> bool:
    return run.lower() in _words()


def respaced(token: str) -> str:
    """One recognised token (no spaces) with the spaces it lost put back (see the module)."""
    labelled = _LABEL_PERCENT.fullmatch(token) or _WORD_SMALL_NUMBER.fullmatch(token)
    if labelled and _known(labelled.group(1)):
        return f"{labelled.group(1)} {labelled.group(2)}"
    if len(token) < _MIN_RUN + 2 or not any(ch.isalpha() for ch in token):
        return token
    runs = _RUNS.findall(token)
    words: list[list[str]] = []  # each run's parts
    for run in runs:
        parts = None
        if run.isalpha() and len(run) >= _MIN_RUN and not _known(run):
            parts = _split(run)
        words.append(parts or [run])
    out = ""
    for i, parts in enumerate(words):
        piece = " ".join(parts)
        if i and out and _parted(runs, words, i):
            out += " "
        out += piece
    return out


def _parted(runs: list[str], words: list[list[str]], i: int) -> bool:
    """Whether a space goes between run ``i - 1`` and run ``i`` (a digits/letters seam)."""
    left, right = runs[i - 1], runs[i]
    if left.isdigit() and right.isalpha():
        first = words[i][0]
        return len(first) >= _MIN_WORD_BY_DIGITS and _known(first)
    if left.isalpha() and right.isdigit():
        last = words[i - 1][-1]
        after = runs[i + 1] if i + 1 < len(runs) else ""
        return (len(last) >= _MIN_WORD_BY_DIGITS and _known(last) and after.isalpha()
                and _known(words[i + 1][0]))
    return False
