"""One phrase matcher: phrase lists as whole-word patterns over matching keys.

A phrase list (from :mod:`parsers.kit.vocabulary` or written at the call site) is compiled once
per process into one regular expression over :func:`parsers.kit.text.key` text: whole words
only (``hip`` never matches ``hipster``), a word written ``word*`` matches any ending of it,
and the longest phrase is tried first where several start at the same word (``femoral neck``
before ``femoral``), so that a match's span is the most specific phrase. Lists are ordered data:
:func:`first_entry` returns the first entry of a table with a phrase in the text, which is how
the vocabulary says "the more specific entry first".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TypeVar

from parsers.kit.text import key

K = TypeVar("K")

_ANY_ENDING = "[a-z0-9]{0,20}"


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regular expression over key text, without word bounds: its words (in key
    form) separated by one space; ``word*`` matches any ending of ``word``."""
    words = key(phrase.replace("*", " qzqstar ")).replace(" qzqstar", "*").split()
    return " ".join(re.escape(word[:-1]) + _ANY_ENDING if word.endswith("*")
                    else re.escape(word) for word in words)


def _length(phrase: str) -> int:
    return len(phrase.replace("*", ""))


@lru_cache(maxsize=1024)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(dict.fromkeys(phrases), key=_length, reverse=True)
    alternatives = "|".join(phrase_pattern(p) for p in ordered) or "(?!)"
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def phrase_matcher(phrases: Iterable[str]) -> re.Pattern[str]:
    """The compiled pattern of a phrase list (cached), to search key text with."""
    return _compiled(phrases if isinstance(phrases, tuple) else tuple(phrases))


def find_phrase(phrases: Iterable[str], keyed: str) -> re.Match[str] | None:
    """The leftmost (and there longest) phrase of the list in ``keyed`` (key text)."""
    return phrase_matcher(phrases).search(keyed)


def has_phrase(phrases: Iterable[str], keyed: str) -> bool:
    """Whether ``keyed`` (key text) holds one of the phrases as whole words."""
    return phrase_matcher(phrases).search(keyed) is not None


def first_entry(table: Mapping[K, Sequence[str]] | Iterable[tuple[K, Sequence[str]]],
                keyed: str) -> K | None:
    """The first entry (in the table's order) with a phrase in ``keyed``, else None."""
    items = table.items() if isinstance(table, Mapping) else table
    for name, phrases in items:
        if has_phrase(phrases, keyed):
            return name
    return None
