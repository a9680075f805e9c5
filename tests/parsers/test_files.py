"""Reading an input file: a file the file system refuses is ``unreadable`` (tried again by the
next run), not ``corrupt`` (a fault of its content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa.contract import Empty, Unreadable
from parsers.files import read_input


def test_a_file_that_vanished_or_is_refused_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(Unreadable):
        read_input(tmp_path / "gone.dcm")  # removed between discovery and reading
    with pytest.raises(Unreadable):
        read_input(tmp_path)  # a folder where a file was


def test_an_empty_file_is_still_empty_not_unreadable(tmp_path: Path) -> None:
    (tmp_path / "e.dcm").write_bytes(b"")
    with pytest.raises(Empty):
        read_input(tmp_path / "e.dcm")
