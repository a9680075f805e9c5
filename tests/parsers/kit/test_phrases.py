"""parsers.kit.phrases: whole words on keys, wildcards, longest match first, ordered tables."""

from __future__ import annotations

from parsers.kit.phrases import (
    find_phrase,
    first_entry,
    first_word_matcher,
    has_phrase,
    phrase_matcher,
    phrase_pattern,
)
from parsers.kit.text import key


def test_whole_words_only() -> None:
    assert has_phrase(("hip",), key("Left Hip:"))
    assert not has_phrase(("hip",), key("hipster"))
    assert not has_phrase(("neck",), key("necklace"))
    assert has_phrase(("t score",), key("YA T-Score"))
    assert not has_phrase(("t score",), key("T12 score"))


def test_wildcard_matches_any_ending_of_its_word() -> None:
    assert has_phrase(("fracture*",), key("Fractured wrist"))
    assert has_phrase(("fracture*",), key("fracture"))
    assert not has_phrase(("fracture",), key("Fractured wrist"))
    assert has_phrase(("compression deformit*",), key("compression deformities"))
    assert phrase_pattern("deformit*") == "deformit[a-z0-9]{0,20}"


def test_longest_phrase_first_at_the_same_place() -> None:
    match = find_phrase(("femoral", "femoral neck"), key("left femoral neck"))
    assert match.group(0) == "femoral neck"
    match = find_phrase(("hormone replacement", "hormone replacement therapy"),
                        key("on hormone replacement therapy"))
    assert match.group(0) == "hormone replacement therapy"


def test_leftmost_match_wins_over_list_order() -> None:
    assert find_phrase(("neck", "total"), key("Total Neck")).group(0) == "total"


def test_look_alike_typography_matches() -> None:
    assert has_phrase(("ward s triangle",), key("Ward\u2019s Triangle"))
    assert has_phrase(("fem neck",), key("FEM\u00a0NECK"))
    assert has_phrase(("delta bmd",), key("\u2206BMD"))


def test_first_entry_follows_the_table_order() -> None:
    table = {"peri": ("perimenopausal",), "post": ("postmenopausal", "menopausal")}
    assert first_entry(table, key("She is perimenopausal")) == "peri"
    assert first_entry(table, key("menopausal since 2010")) == "post"
    assert first_entry(table, key("no mention")) is None
    assert first_entry([("a", ("x",)), ("b", ("x",))], key("x")) == "a"


def test_compiled_once() -> None:
    assert phrase_matcher(("hip", "neck")) is phrase_matcher(["hip", "neck"])


def test_an_empty_list_matches_nothing() -> None:
    assert not has_phrase((), key("anything"))


def test_first_words_found_in_written_text_wherever_the_key_holds_a_phrase() -> None:
    """The prefilter reads the text as written (lower case): it finds the first word of a
    phrase the key holds, also where punctuation joins the words ("hip-fracture", "T-score")."""
    phrases = ("hip fracture", "fracture*", "t score", "menopaus*", "no")
    firsts = first_word_matcher(phrases)
    for text in ("Prior hip-fracture (2019)", "Fractured wrist", "YA T-Score: -2.5",
                 "menopausal since 2010", "Fracture history: No."):
        assert has_phrase(phrases, key(text))
        assert firsts.search(text.lower())


def test_first_words_are_whole_words_too() -> None:
    firsts = first_word_matcher(("hip fracture", "menopaus*", "no"))
    assert firsts.search("left hip 0.812")  # the first word alone passes: a prefilter
    for text in ("hipster", "postmenopausal", "normal", "nhanes iii", "l1-l4 0.912 -2.2"):
        assert not firsts.search(text)
    assert first_word_matcher(["hip", "neck"]) is first_word_matcher(("hip", "neck"))
