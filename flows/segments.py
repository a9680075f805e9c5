"""The hand-off of a segment between the ingest flow and the flow run that processes it.

A run's new files are split into segments of at most ``files_per_run`` files, each its own
(sub)flow run: in this process (``flows.ingest.ingest_segment``) or on a Dask cluster
(``flows.distributed.ingest_segment_dask``). What a segment needs but Prefect must not see
(file paths, the database engine, the parse pool) is handed over here under a key, and the
segment's flow run takes it by that key: only the key is a flow parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from dexa.discover import InputFile
from dexa.workers import ParsePool


@dataclass
class Segment:
    """What a segment's flow run needs but Prefect must not see (file paths, connections)."""

    engine: Engine
    pool: ParsePool
    files: list[InputFile]
    done_before: int
    files_total: int
    db_url: str | None = None
    pages_before: int = 0  # pages read by OCR in the run's earlier segments (progress display)
    progress: Callable[[int, int, int], None] | None = None  # as flows.ingest.ProgressCallback


_segments: dict[str, Segment] = {}


def hand_over(key: str, segment: Segment) -> None:
    """Leave ``segment`` for the flow run that will be called with ``key``."""
    _segments[key] = segment


def take_segment(key: str) -> Segment:
    """The segment handed over under ``key`` (once: it is removed)."""
    return _segments.pop(key)
