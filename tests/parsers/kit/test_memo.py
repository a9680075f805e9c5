"""parsers.kit.memo: a pure function's values by content, computed once, bounded."""

from __future__ import annotations

from parsers.kit.memo import Memo


def test_a_value_is_computed_once_per_key() -> None:
    memo: Memo[str] = Memo(4)
    calls: list[str] = []
    def compute(text: str) -> str:
        calls.append(text)
        return text.upper()
    assert memo.get(("a",), lambda: compute("a")) == "A"
    assert memo.get(("a",), lambda: compute("other")) == "A"  # remembered: not computed again
    assert memo.get(("b",), lambda: compute("b")) == "B"
    assert calls == ["a", "b"]


def test_the_oldest_value_goes_when_full() -> None:
    memo: Memo[int] = Memo(2)
    for n in (1, 2, 3):
        memo.get(n, lambda n=n: n * 10)
    assert memo.get(1, lambda: -1) == -1  # forgotten: computed again
    assert memo.get(3, lambda: -3) == 30
