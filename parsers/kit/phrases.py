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


_END = ""


def _tokens(phrase: str) -> list[str]:
    """A phrase as regex pieces: one escaped character each, the "any ending" of a ``word*``
    as one piece."""
    out: list[str] = []
    for word_index, word in enumerate(key(phrase.replace("*", " qzqstar ")).replace(
            " qzqstar", "*").split()):
        if word_index:
            out.append(" ")
        out += [re.escape(char) for char in word.rstrip("*")]
        if word.endswith("*"):
            out.append(_ANY_ENDING)
    return out


def _render(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [token + _render(child) for token, child in sorted(
        node.items(), key=lambda item: item[0] == _ANY_ENDING) if token != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # a phrase ends here and longer ones go on: the longer are tried first
        return f"(?:{body})?"
    return body


def trie_pattern(sequences: Iterable[Sequence[str]]) -> str:
    """Sequences of regex pieces as one alternation with their shared beginnings written once
    (``fem(?:oral neck|ur)``): the engine tests one piece where a flat list would test every
    sequence, and at any place the longest sequence is tried first."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for sequence in sequences:
        node = trie
        for token in sequence:
            node = node.setdefault(token, {})
        node[_END] = {}
    return _render(trie) or "(?!)"


def alternation(phrases: Iterable[str]) -> str:
    """Phrases as one regular expression over key text, without word bounds
    (:func:`trie_pattern` of their characters)."""
    return trie_pattern(_tokens(phrase) for phrase in phrases)


@lru_cache(maxsize=1024)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9])(?:{alternation(phrases)})(?![a-z0-9])")


def phrase_matcher(phrases: Iterable[str]) -> re.Pattern[str]:
    """The compiled pattern of a phrase list (cached), to search key text with."""
    return _compiled(phrases if isinstance(phrases, tuple) else tuple(phrases))


@lru_cache(maxsize=64)
def _first_words(phrases: tuple[str, ...]) -> re.Pattern[str]:
    firsts = []
    for phrase in phrases:
        tokens = _tokens(phrase)
        firsts.append(tokens[:tokens.index(" ")] if " " in tokens else tokens)
    return re.compile(rf"(?<![a-z0-9])(?:{trie_pattern(firsts)})(?![a-z0-9])")


def first_word_matcher(phrases: Iterable[str]) -> re.Pattern[str]:
    """The first word of every phrase of the list as a whole word (a ``word*`` with any
    ending), to search lower-case ASCII text with as it is written, not in key form: the key
    of such a text holds a phrase of the list only where the text holds the phrase's first
    word so (a key's words are the text's runs of letters and digits), so no match here
    means no phrase there, without making the key (a prefilter: a match proves nothing)."""
    return _first_words(phrases if isinstance(phrases, tuple) else tuple(phrases))


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
