"""A bounded memo of a pure function's results by content, for readers that meet the same
input again in other documents (a vendor template's header lines)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """Values by key, at most ``size`` of them (the oldest goes first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[Hashable, V] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value of ``key``, computed by ``compute`` the first time it is asked."""
        try:
            return self._values[key]
        except KeyError:
            pass
        value = compute()
        if len(self._values) >= self.size:
            del self._values[next(iter(self._values))]
        self._values[key] = value
        return value
