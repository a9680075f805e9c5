"""parsers.kit.text: every look-alike folded, the offset map back to the original, the key."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parsers.kit.text import decode_text, fold, fold_with_offsets, key

MINUS_LOOK_ALIKES = ["\u2212", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
                     "\ufe58", "\ufe63", "\uff0d", "\u02d7"]


@pytest.mark.parametrize("minus", MINUS_LOOK_ALIKES)
def test_every_minus_and_dash_is_a_hyphen_minus(minus: str) -> None:
    assert fold(f"T-score {minus}1.2") == "T-score -1.2"
    assert fold(f"L1{minus}L4") == "L1-L4"


@pytest.mark.parametrize("delta", ["\u0394", "\u2206", "\u03b4", "\U0001d6ab", "\U0001d6c5",
                                   "\U0001d6e5", "\U0001d71f", "\U0001d759", "\U0001d793"])
def test_every_delta_is_the_greek_capital(delta: str) -> None:
    assert fold(f"{delta}BMD") == "\u0394BMD"
    assert key(f"{delta}BMD (g/cm2)") == " delta bmd g cm2 "


@pytest.mark.parametrize(("text", "folded"), [
    ("g/cm\u00b2", "g/cm2"),  # superscript two
    ("cm\u00b3", "cm3"),
    ("H\u2082O", "H2O"),  # subscript
    ("\u00b5Gy", "\u03bcGy"),  # the micro sign is NFKC's Greek mu
    ("\u03bcGy", "\u03bcGy"),
    ("0.891\u00a0g/cm2", "0.891 g/cm2"),  # no-break space
    ("0.891\u2009g/cm2", "0.891 g/cm2"),  # thin space
    ("0.891\u202fg/cm2", "0.891 g/cm2"),  # narrow no-break space
    ("0.891\u2007g", "0.891 g"),  # figure space
    ("Total\u3000Hip", "Total Hip"),  # ideographic space
    ("Frac\u200bture", "Fracture"),  # zero-width space
    ("\ufeffL1-L4", "L1-L4"),  # byte-order mark inside text
    ("Neck\u200d", "Neck"), ("Neck\u200c", "Neck"), ("Ne\u2060ck", "Neck"),
    ("\ufb01ndings", "findings"), ("\ufb02oor", "floor"), ("e\ufb00ect", "effect"),
    ("o\ufb03ce", "office"), ("ba\ufb04e", "baffle"),
    ("Ward\u2019s", "Ward's"), ("Ward\u2018s", "Ward's"), ("Ward\u00b4s", "Ward's"),
    ("\u201cnormal\u201d", '"normal"'), ("\u201enormal\u201f", '"normal"'),
    ("5\u20324\u2033", "5'4\""),  # prime and double prime
    ("\uff34\uff0d\uff53\uff43\uff4f\uff52\uff45", "T-score"),  # fullwidth forms
    ("\uff11\uff0e\uff12", "1.2"),
    ("\u2022 Total hip", "  Total hip"), ("\u25aa Neck", "  Neck"), ("\u25e6 L1", "  L1"),
    ("\u00b7 Neck", "  Neck"),  # a middle dot before a word is a bullet
    ("0\u00b7891", "0\u00b7891"),  # between digits it is left alone (not ours to guess)
    ("\u2153 radius", "1/3 radius"),  # vulgar fraction, fraction slash
    ("frac\u00adture", "fracture"),  # soft hyphen inside a word: a hyphenation point
    ("\u00ad1.2", "-1.2"),  # soft hyphen as a PDF font's minus
    ("L1\u00adL4", "L1-L4"),
    ("line\u2028break", "line\nbreak"),
])
def test_look_alikes(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_case_and_accents_are_kept_by_fold() -> None:
    assert fold("F\u00e9mur Neck") == "F\u00e9mur Neck"
    assert fold("Fe\u0301mur") == "F\u00e9mur"  # NFKC composes


def test_ascii_is_returned_as_it_is() -> None:
    text = "Neck Left 0.980 -0.4\t0.7"
    assert fold(text) is text


@pytest.mark.parametrize(("text", "keyed"), [
    ("YA T-Score:", " ya t score "),
    ("BMD (g/cm\u00b2)", " bmd g cm2 "),
    ("F\u00c9MUR  Neck", " femur neck "),
    ("Stra\u00dfe", " strasse "),
    ("Ward\u2019s Triangle", " ward s triangle "),
    ("|Diff.|", " diff "),
    ("\u00b5Gy", " ugy "),
    ("", "  "),
    ("\u2014", "  "),
])
def test_key(text: str, keyed: str) -> None:
    assert key(text) == keyed


def test_offsets_map_folded_spans_to_the_original() -> None:
    text = "\ufb01ndings: T\u2011score \u22122.0 at L1\u2013L4\u200b."
    folded = fold_with_offsets(text)
    assert folded.text == fold(text) == "findings: T-score -2.0 at L1-L4."
    start = folded.text.index("-2.0")
    assert folded.original_span(start, start + 4) == (text.index("\u22122.0"),
                                                      text.index("\u22122.0") + 4)
    assert folded.original_span(0, 2) == (0, 1)  # "fi" came from one ligature
    levels = folded.text.index("L1-L4")
    original = folded.original_span(levels, levels + 5)
    assert text[original[0]:original[1]] == "L1\u2013L4"


def test_offsets_of_ascii_and_of_removed_characters() -> None:
    assert fold_with_offsets("abc").original_span(1, 3) == (1, 3)
    folded = fold_with_offsets("a\u200bb")
    assert folded.text == "ab"
    assert folded.original_span(1, 2) == (2, 3)
    assert folded.original_span(2, 2) == (3, 3)


_LOOK_ALIKES = "".join([*MINUS_LOOK_ALIKES, "\u00ad\u00b7\u00b2\u00b5\u03bc\u00a0\u200b\ufb01",
                        "\u2019\u201c\u2022\u0394\u2206\u03b4e\u0301 aZ09.-/"])


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=st.sampled_from(_LOOK_ALIKES), max_size=40) | st.text(max_size=40))
def test_offsets_fold_agrees_with_fold(text: str) -> None:
    assume(not any("\u1100" <= char <= "\u11ff" for char in text))  # see fold_with_offsets
    folded = fold_with_offsets(text)
    assert folded.text == fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    assert list(folded.starts) == sorted(folded.starts)
    assert all(0 <= start < end <= len(text)
               for start, end in zip(folded.starts, folded.ends, strict=True))


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=60))
def test_fold_is_idempotent_and_key_is_ascii_words(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    keyed = key(text)
    assert keyed.startswith(" ") and keyed.endswith(" ")
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in keyed)
    assert "  " not in keyed.strip()


@pytest.mark.parametrize(("data", "text"), [
    ("T-score \u22122.0".encode("utf-8-sig"), "T-score \u22122.0"),
    ("T-score \u22122.0".encode("utf-16"), "T-score \u22122.0"),  # with its BOM
    (b"\xfe\xff" + "T-score \u22122.0".encode("utf-16-be"), "T-score \u22122.0"),
    ("T-score \u22122.0".encode("utf-32"), "T-score \u22122.0"),
    ("Ward\u2019s 0.7".encode("cp1252"), "Ward\u2019s 0.7"),  # Windows text
    ("F\u00e9mur".encode(), "F\u00e9mur"),
])
def test_decode_text(data: bytes, text: str) -> None:
    assert decode_text(data) == text
