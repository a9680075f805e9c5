"""Stage 1 of a run, discover: the files under the input folder, which of them are new, and
the batches they are processed in.

``discover`` lists every regular file; ``select_new_files`` keeps the ones the ledger (the
memory between runs) has not seen at that path with that size and modification time;
``split_batches`` cuts them into the batches that the workers parse (``dexa.workers``) and
the main process validates, plans and writes (``dexa.batch``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dexa.contract import Outcome

if TYPE_CHECKING:  # SQLAlchemy only where the ledger is read: `dexa parse` never imports it
    from sqlalchemy import Engine


@dataclass(frozen=True)
class InputFile:
    abs_path: str
    rel_path: str  # relative to the input root, '/'-separated
    size: int
    mtime_ns: int


def discover(input_root: Path) -> Iterator[InputFile]:
    """Every regular file under the root (symlinked folders are not followed), sorted by path."""
    root = input_root.resolve()
    stack = [root]
    found: list[InputFile] = []
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file():
                info = entry.stat()
                rel = Path(entry.path).relative_to(root).as_posix()
                found.append(InputFile(entry.path, rel, info.st_size, info.st_mtime_ns))
    yield from sorted(found, key=lambda f: f.rel_path)


def select_new_files(engine: Engine, input_root: str,
                     files: Sequence[InputFile]) -> list[InputFile]:
    """Files the ledger has not seen at this path with this size and mtime (content unchanged
    is assumed then, saving a re-hash of the archive every night). A file only ``skipped``
    before (outside a backfill range) is looked at again."""
    from dexa import store

    known = store.known_files(engine, input_root)
    fresh = []
    for f in files:
        seen = known.get(f.rel_path)
        if (seen is None or seen[2] == Outcome.SKIPPED
                or (seen[0], seen[1]) != (f.size, f.mtime_ns)):
            fresh.append(f)
    return fresh


PIPELINE_MIN_BATCH = 1000  # below this, a second batch costs more (GX ~1 s) than it overlaps


def split_batches(files: Sequence[InputFile], batch_size: int) -> list[list[InputFile]]:
    """Batches of at most ``batch_size`` files, of equal size, and at least two once there are
    ``2 * PIPELINE_MIN_BATCH`` files: the workers parse the next batch while the main process
    validates and writes the previous one, which a single batch cannot overlap (5,000 SRs:
    78-82 % of the parse-only rate in two batches, 68 % in one)."""
    if not files:
        return []
    count = -(-len(files) // max(1, batch_size))
    if count == 1 and len(files) >= 2 * PIPELINE_MIN_BATCH:
        count = 2
    size = -(-len(files) // count)
    return [list(files[i:i + size]) for i in range(0, len(files), size)]
