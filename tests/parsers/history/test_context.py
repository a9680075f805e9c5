"""The ConText matcher: directions, scope ends and pseudo phrases."""

from __future__ import annotations

from parsers.history.context import categories
from parsers.kit.text import key


def _of(text: str, target: str) -> frozenset[str]:
    keyed = key(text)
    start = keyed.index(f" {target} ") + 1
    return categories(keyed, start, start + len(target))


def test_forward_negation_covers_a_list() -> None:
    assert "negated" in _of("denies hip, vertebral or wrist fractures", "wrist")


def test_forward_scope_stops_at_a_terminating_phrase() -> None:
    assert "negated" not in _of("no hip fracture but a wrist fracture", "wrist")


def test_forward_scope_has_a_word_limit() -> None:
    text = "no fracture was seen on the images of the spine taken today and hip pain"
    assert "negated" not in _of(text, "hip")


def test_backward_modifier() -> None:
    assert "negated" in _of("hip fracture denied", "hip")
    assert "uncertain" in _of("vertebral fracture cannot be excluded", "vertebral")


def test_a_negation_after_the_target_does_not_reach_back() -> None:
    assert "negated" not in _of("wrist fracture, no hip fracture", "wrist")


def test_pseudo_phrase_hides_its_modifier() -> None:
    assert "negated" not in _of("no change since the hip fracture", "hip")


def test_family_and_risk() -> None:
    assert "family" in _of("mother had a hip fracture", "hip")
    assert "risk" in _of("hip fracture 2 1 percent", "hip")
