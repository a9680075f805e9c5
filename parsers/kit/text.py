"""One typography fold for every reader, and the matching key built on it.

Reports reach the readers through PDF fonts, word processors, dictation systems and DICOM
character sets, and each spells the same text with other code points: a minus sign (U+2212)
or an en dash for ``-``, ``²`` in ``g/cm²``, a no-break space between a number and its unit,
the ``ﬁ`` ligature, a curly apostrophe in ``Ward’s``. Readers match ASCII patterns, so they
read text through two functions:

* :func:`fold` -- Unicode NFKC plus explicit folding of the look-alikes NFKC leaves alone
  (every minus and dash to ``-``, every delta to ``Δ``, the micro sign ``µ`` to NFKC's ``μ``,
  curly quotes to ASCII quotes, bullets to spaces, zero-width characters removed, a soft
  hyphen removed inside a word and read as ``-`` elsewhere). Case and accents are kept, so
  folded text can still be quoted (a drug's name as written). The length may change (``ﬃ``
  becomes three letters, a zero-width space none): :func:`fold_with_offsets` returns the same
  text with the original offset of every character, for callers that report spans.
* :func:`key` -- the form phrases are matched on: folded, case-folded, accents dropped,
  ``Δ`` spelled ``delta``, every run of other characters one space, and one space at each
  end, so that a phrase matches as whole words (``" t score "`` in ``key("YA T-Score:")``).

Tabs and line breaks are left to the readers (a tab separates table cells). The bytes of a
text file become text once, by :func:`decode_text`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Byte-order marks of text files, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """The text of a report file: UTF-8/16/32 by its byte-order mark, else UTF-8, else
    cp1252 (Windows; undefined bytes replaced)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")

# Mapped before NFKC: characters NFKC would turn into something worse (an acute accent becomes
# a space and a combining mark, a double prime two primes), and zero-width characters.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_BEFORE_NFKC = str.maketrans({
    "\u00b4": "'",  # acute accent used as an apostrophe
    "\u2033": '"', "\u2036": '"',  # double prime (inches), reversed double prime
    **dict.fromkeys(_ZERO_WIDTH, None),  # gone before NFKC composes what they stood between
})

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u02d7\u2796\ufe58\ufe63\uff0d"
_DELTAS = "\u2206\u03b4\u1e9f"  # increment, small delta, latin small delta (math deltas: NFKC)
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
_BULLETS = "\u2022\u2023\u2043\u2219\u22c5\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25e6\u25b8" \
           "\u25ba\u27a2\u2794\u2713\u2714\uf0b7"
_AFTER_NFKC = str.maketrans({
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_DELTAS, "\u0394"),
    **dict.fromkeys(_SPACES, " "),
    **dict.fromkeys(_BULLETS, " "),
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2044": "/", "\u2215": "/",  # fraction slash (NFKC writes 1/3 as 1⁄3), division slash
    "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
})
_BEFORE_NFKC_RE = re.compile("[" + re.escape("".join(map(chr, _BEFORE_NFKC))) + "]")
_AFTER_NFKC_RE = re.compile("[" + re.escape("".join(map(chr, _AFTER_NFKC))) + "]")
# A soft hyphen inside a word is a hyphenation point; elsewhere a PDF font's hyphen-minus
# (``\xad1.2``, ``L1\xadL4``). A middle dot between digits is left alone (a decimal point in
# some house styles, not ours to guess); elsewhere it is a bullet.
_SOFT_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])\u00ad(?=[^\W\d_])|(\u00ad)")
_MIDDLE_DOT_RE = re.compile(r"(?<!\d)\u00b7|\u00b7(?!\d)")


def _soft_hyphen(match: re.Match[str]) -> str:
    return "-" if match.group(1) else ""


def fold(text: str) -> str:
    """``text`` with every look-alike folded (see the module docstring); ASCII text is
    returned as it is."""
    if text.isascii():
        return text
    # Each step only where it has work (long folded text, such as a whole PDF page, is
    # checked at C speed and left as it is).
    if _BEFORE_NFKC_RE.search(text):
        text = text.translate(_BEFORE_NFKC)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _AFTER_NFKC_RE.search(text):
        text = text.translate(_AFTER_NFKC)
    if "\u00ad" in text:
        text = _SOFT_HYPHEN_RE.sub(_soft_hyphen, text)
    if "\u00b7" in text:
        text = _MIDDLE_DOT_RE.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):  # a removed character joined two that
        text = unicodedata.normalize("NFKC", text)  # compose (Hangul jamo): fold stays stable
    return text


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the span of the original text (a
    character, or a character with its combining marks) it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` was folded from."""
        if start >= end:
            origin = self.starts[start] if start < len(self.starts) else (
                self.ends[-1] if self.ends else 0)
            return origin, origin
        return self.starts[start], self.ends[end - 1]


def _composes(cluster: str, char: str) -> bool:
    """Whether ``char`` belongs to the cluster before it: a combining mark, or a character
    that composes with it (a Hangul vowel or final jamo, a Bengali length mark)."""
    return unicodedata.combining(char) != 0 or len(unicodedata.normalize(
        "NFC", cluster + char)) <= len(unicodedata.normalize("NFC", cluster))


def _clusters(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, characters)`` per base character with what composes with it: NFKC
    composes within such a cluster, never across."""
    out: list[tuple[int, int, str]] = []
    for index, char in enumerate(text):
        if char in _ZERO_WIDTH:  # folded to nothing, before NFKC: not a cluster of its own
            continue
        if out and _composes(out[-1][2], char):
            out[-1] = (out[-1][0], index + 1, out[-1][2] + char)
        else:
            out.append((index, index + 1, char))
    return out


_CONTEXTUAL = frozenset("\u00ad\u00b7")  # folded by their neighbours


def fold_with_offsets(text: str) -> Folded:
    """:func:`fold` with a map back to the original offsets (slower: for callers that report
    spans of the original text, not for bulk matching). Characters are folded one cluster at a
    time, so the text equals ``fold(text)`` except where a soft hyphen inside a word sits
    between two characters NFKC would compose (Hangul jamo): these stay apart."""
    if text.isascii():
        return Folded(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    clusters = _clusters(text)
    alone = [fold(chars) for _, _, chars in clusters]
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    for index, (start, end, chars) in enumerate(clusters):
        piece = alone[index]
        if _CONTEXTUAL.intersection(chars):  # fold with the nearest characters left and right
            before = next((alone[i][-1] for i in range(index - 1, -1, -1) if alone[i]), "")
            after = next((alone[i][0] for i in range(index + 1, len(alone)) if alone[i]), "")
            piece = fold(before + chars + after)
            piece = piece[len(before):len(piece) - len(after)]
        pieces.append(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
    return Folded("".join(pieces), tuple(starts), tuple(ends))


_NOT_WORD_RE = re.compile(r"[^a-z0-9]+")


# Combining marks left by NFKD (accents): dropped, so that "fémur" is "femur", not "fe mur".
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _key_of_non_ascii(text: str) -> str:
    text = fold(text).casefold().replace("\u03b4", " delta ").replace("\u03bc", "u")
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


_key_of_label = lru_cache(maxsize=8192)(_key_of_non_ascii)  # labels recur; documents do not


def key(text: str) -> str:
    """The matching form of ``text``: ``key("YA T-Score (g/cm²)") == " ya t score g cm2 "``."""
    if text.isascii():
        text = text.lower()
    else:
        text = _key_of_label(text) if len(text) <= 200 else _key_of_non_ascii(text)
    return f" {_NOT_WORD_RE.sub(' ', text).strip()} "


_SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\[\"'])|(?<=;)\s*|\n")


def sentences(text: str) -> list[str]:
    """The sentences of a text: cut after ``.``, ``!``, ``?`` before a capital, after ``;``
    and at line ends (the unit the free-text readers and the history facts read)."""
    return [s.strip() for s in _SENTENCE_RE.split(text) if s and s.strip()]
