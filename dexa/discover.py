"""Stage 1 of a run, discover: the files under the input folder, which of them are new, and
the batches they are processed in.

``discover`` lists every regular file and every entry it could not read (``Unreadable``);
``select_new_files`` keeps the ones the ledger (the memory between runs) has not seen at that
path with that size and modification time;
``split_batches`` cuts them into the batches that the workers parse (``dexa.workers``) and
the main process validates, plans and writes (``dexa.batch``).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dexa import interrupts
from dexa.contract import Outcome

if TYPE_CHECKING:  # SQLAlchemy only where the ledger is read: `dexa parse` never imports it
    from sqlalchemy import Engine


@dataclass(frozen=True)
class InputFile:
    abs_path: str
    rel_path: str  # relative to the input root, '/'-separated
    size: int
    mtime_ns: int


UNREADABLE = "unreadable"  # the ledger and quarantine reason of an entry that could not be read
OUTPUT_MARKER = ".dexa-output"  # a folder dexa writes (Data Docs) holds it: never an input


@dataclass(frozen=True)
class Unreadable:
    """An entry under the input folder that could not be listed or looked at: a folder
    without read permission (its path ends with '/'), a symbolic link in a loop or pointing
    nowhere, a file whose metadata the file system refuses. Ledgered with the reason
    ``unreadable`` and looked at again by every run."""

    rel_path: str
    detail: str


@dataclass
class Discovery:
    files: list[InputFile]
    unreadable: list[Unreadable]


def unreadable_key(rel_path: str) -> str:
    """What stands for the sha256 of a file whose bytes could not be read: 64 characters that
    no content hash can be (not hexadecimal), one per path."""
    import hashlib

    return "unreadable:" + hashlib.sha256(rel_path.encode()).hexdigest()[:53]


def _why(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "symbolic link to a missing file"
    return (exc.strerror or type(exc).__name__).lower()


def discover(input_root: Path, *, exclude: Collection[str] = ()) -> Discovery:
    """Every regular file under the root, sorted by path, and every entry that could not be
    read (never an exception: one bad entry does not stop a run). Symlinked folders are not
    followed; folders holding ``OUTPUT_MARKER`` and the paths in ``exclude`` (the results
    database and its side files) are left out."""
    root = input_root.resolve()
    excluded = {os.path.abspath(p) for p in exclude}
    stack = [root]
    found: list[InputFile] = []
    unreadable: list[Unreadable] = []

    def relative(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    while stack and not interrupts.stop_requested():  # a stopped run discards what was found
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            unreadable.append(Unreadable(relative(str(folder)) + "/", _why(exc)))
            continue
        if folder != root and any(e.name == OUTPUT_MARKER for e in entries):
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.path in excluded:
                    continue
                elif entry.is_file():
                    info = entry.stat()
                    found.append(InputFile(entry.path, relative(entry.path), info.st_size,
                                           info.st_mtime_ns))
                elif entry.is_symlink():
                    os.stat(entry.path)  # a link to a folder or a special file: not an input
            except OSError as exc:  # a loop, a link to nowhere, a refused stat
                unreadable.append(Unreadable(relative(entry.path), _why(exc)))
    found.sort(key=lambda f: f.rel_path)
    unreadable.sort(key=lambda u: u.rel_path)
    return Discovery(found, unreadable)


def select_new_files(engine: Engine, input_root: str,
                     files: Sequence[InputFile]) -> list[InputFile]:
    """Files the ledger has not seen at this path with this size and mtime (content unchanged
    is assumed then, saving a re-hash of the archive every night). A file only ``skipped``
    before (outside a backfill range) or ``unreadable`` is looked at again."""
    from dexa import store

    known = store.known_files(engine, input_root)
    fresh = []
    for f in files:
        seen = known.get(f.rel_path)
        if (seen is None or seen[2] == Outcome.SKIPPED or seen[3] == UNREADABLE
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
