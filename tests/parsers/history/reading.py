"""Reading history text in the history tests: the shared reader's fields, checked to be the
same with and without the per-line first test (``read_text_history`` leaves out only lines no
reader can read)."""

from __future__ import annotations

from parsers.history import History, read_history, read_text_history, statements


def history(text: str, scan_date: str | None = None) -> History:
    found = read_text_history(text, scan_date=scan_date)
    assert found == read_history(statements(text), scan_date=scan_date)  # nothing left out
    return found


def fractures(text: str, scan_date: str | None = None) -> tuple[bool | None, bool | None,
                                                              bool | None]:
    """(hip, vertebral, other_fragility) of the text."""
    fx = history(text, scan_date).fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility
