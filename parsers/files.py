"""The one place readers' input is read from disk: size limits before reading, read-only."""

from __future__ import annotations

import os
from pathlib import Path

from dexa.contract import Empty, ReportRejected, TooLarge, Unreadable

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # DXA reports are kilobytes; a 64 MiB input is not a report


def max_input_bytes() -> int:
    value = os.environ.get("DEXA_MAX_INPUT_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


def read_input(path: Path, limit: int | None = None) -> bytes:
    """Return the file's bytes; reject it by size first, without reading a large file whole."""
    limit = max_input_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
        if size == 0:
            raise Empty("the file is empty (0 bytes)")
        if size > limit:
            raise TooLarge(f"{size} bytes is over the {limit}-byte input limit")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # never more, even if the file grew since stat()
        if len(data) > limit:
            raise TooLarge("the file grew past the input limit while it was read")
        return data
    except ReportRejected:
        raise
    except OSError as exc:
        raise Unreadable(f"cannot read the file ({exc.strerror or type(exc).__name__})") from exc

