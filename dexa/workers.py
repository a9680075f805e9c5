"""Stage 2 of a run, workers: the parse pool that turns input files into report documents
(or typed rejections) and drafts their plans.

Parsing runs in worker processes that are recycled (pdfplumber and PDFium hold memory) and a
per-file time limit turns a hang into a ``corrupt`` rejection (a file whose pages are read by
OCR gets ``OCR_SECONDS_PER_PAGE`` more a page); a crashed worker costs only the
file that crashed it. ``parse_one`` is the same reading in the calling process (``dexa parse``
and ``dexa plan`` use it without a pool).

The workers also draft each scan's plan right after parsing it (``DraftPlanning``): planning
is ~30 % of the per-file work the flow's single main process would otherwise do after
validation. A draft assumes that validation passes and that the store adds no history; the
main process (``dexa.batch``) keeps it only where both hold and plans again everywhere else, so
a plan is the same whichever process made it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dexa import interrupts
from dexa.contract import Corrupt, ReportDocument, ReportRejected, ScanValidation
from dexa.discover import InputFile, unreadable_key

FILE_TIME_LIMIT_S = 30.0
OCR_SECONDS_PER_PAGE = 180.0  # per page read by OCR, on top of the file's limit: ~10 s of CPU on 2
# cores, but up to 160 s of wall time measured on a shared 2-core machine under load
WORKER_MAX_TASKS = 200  # chunks per worker before the pool is replaced (bounds memory growth)


@dataclass
class ParsedFile:
    """One input file as the workers leave it: its report document, or the CONTRACT error
    code and message that rejected it, and the draft plan where one was made."""

    file: InputFile
    sha256: str
    report: ReportDocument | None = None
    error_code: str | None = None
    error_message: str | None = None
    draft_plan: dict[str, Any] | None = None  # see DraftPlanning
    ocr_pages: int = 0  # pages the file holds for OCR (the progress display counts them)

    @property
    def ok(self) -> bool:
        return self.report is not None


class _TimeLimit:
    """SIGALRM-based limit; only effective in a process's main thread (workers, the CLI)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = threading.current_thread() is threading.main_thread() and hasattr(
            signal, "setitimer")

    def _expire(self, *_: object) -> None:
        raise Corrupt(f"reading took longer than the {self.seconds:g} s limit per file")

    def __enter__(self) -> _TimeLimit:
        if self.active:
            self._previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def extend(self, seconds: float) -> None:
        """Give the work under way ``seconds`` more (pages to read by OCR)."""
        if self.active and seconds > 0:
            left = signal.getitimer(signal.ITIMER_REAL)[0]
            if left > 0:
                signal.setitimer(signal.ITIMER_REAL, left + seconds)

    def __exit__(self, *_: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)


def parse_one(file: InputFile, time_limit: float = FILE_TIME_LIMIT_S) -> ParsedFile:
    """Read and parse one file; every failure becomes an error code, never an exception."""
    import hashlib

    from parsers import parse_bytes
    from parsers.files import read_input
    sha = ""
    pages = 0
    try:
        with _TimeLimit(time_limit) as limit:
            data = read_input(Path(file.abs_path))
            sha = hashlib.sha256(data).hexdigest()
            pages = _ocr_pages(data)
            limit.extend(OCR_SECONDS_PER_PAGE * pages)
            report = parse_bytes(data, file.rel_path)
        return ParsedFile(file, report.source.sha256, report=report, ocr_pages=pages)
    except ReportRejected as exc:
        return ParsedFile(file, sha or _sha_of(file), error_code=exc.code,
                          error_message=exc.message, ocr_pages=pages)
    except Exception as exc:  # noqa: BLE001 - the boundary: no traceback reaches a user
        return ParsedFile(file, sha or _sha_of(file), error_code="corrupt",
                          error_message=f"unreadable input ({type(exc).__name__})",
                          ocr_pages=pages)


def _ocr_pages(data: bytes) -> int:
    from parsers.scanned import ocr_page_count  # imported once a file is read, as parse_bytes

    return ocr_page_count(data)


def _sha_of(file: InputFile) -> str:
    """Hash a file that was rejected before it was read whole (empty, too large), streaming."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(file.abs_path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return unreadable_key(file.rel_path)
    return digest.hexdigest()


@dataclass(frozen=True)
class DraftPlanning:
    """How parse workers draft plans: the run's rule set and the site's policy
    (``planner.make_plan`` keyword arguments), passed along rather than read from the
    environment in the workers, so that a draft is made exactly as the main process would.
    Drafts travel as dicts: unpickling a PlanDocument costs ~10x its dict (0.29 vs 0.03 ms)."""

    rule_set: str
    options: dict[str, Any] = field(default_factory=dict)

    def draft(self, report: ReportDocument) -> dict[str, Any] | None:
        from planner import make_plan

        try:
            return make_plan(report, validation=ScanValidation(), rule_set=self.rule_set,
                             **self.options).to_dict()
        except Exception:  # noqa: BLE001 - the main process plans it again and reports there
            return None


def _parse_chunk(files: list[InputFile], drafting: DraftPlanning | None = None
                 ) -> list[ParsedFile]:
    parsed = [parse_one(f) for f in files]
    if drafting is not None:
        for item in parsed:
            if item.report is not None:
                item.draft_plan = drafting.draft(item.report)
    return parsed


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop


class ParseJob:
    """Parsing of one batch under way in a ``ParsePool``."""

    def __init__(self, pool: ParsePool | None, chunks: list[list[InputFile]],
                 futures: list[Future], drafting: DraftPlanning | None = None) -> None:
        self._pool, self._chunks, self._futures = pool, chunks, futures
        self._drafting = drafting

    def result(self) -> list[ParsedFile]:
        if not self._futures:
            return [parsed for chunk in self._chunks
                    for parsed in _parse_chunk(chunk, self._drafting)]
        results: list[ParsedFile] = []
        for chunk, future in zip(self._chunks, self._futures, strict=True):
            while not wait([future], timeout=0.2).done:  # a stop drops the batch unwritten
                interrupts.check()
            try:
                results.extend(future.result())
            except (BrokenProcessPool, CancelledError):  # a crash here, or in a job before
                assert self._pool is not None
                self._pool.close()
                results.extend(self._pool.isolate_crash(chunk, self._drafting))
        return results


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers fork from a fork server that has imported the readers and the planner once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["parsers", "parsers.dicom", "parsers.pdf", "parsers.prose",
                                    "pydicom", "pypdfium2", "planner"])
    return context


def start_fork_server() -> None:
    """Start the workers' fork server now (its imports take ~1 s), e.g. while Prefect's
    temporary server starts, rather than when the first batch is submitted."""
    from multiprocessing import forkserver

    _worker_context()
    forkserver.ensure_running()


class ParsePool:
    """A pool of recycled worker processes for parsing; falls back to in-process for tiny jobs."""

    def __init__(self, workers: int | None = None, chunk_size: int = 25) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunk_size = chunk_size
        self._executor: ProcessPoolExecutor | None = None
        self._chunks_sent = 0

    def _pool(self) -> ProcessPoolExecutor:
        """The current executor; replaced by a fresh one after ``WORKER_MAX_TASKS`` chunks per
        worker. Recycling is done here, not with ``max_tasks_per_child``, which on Python 3.11
        can stop replacing retired workers and hang (CPython gh-115634)."""
        if self._executor is not None and self._chunks_sent >= WORKER_MAX_TASKS * self.workers:
            self._executor.shutdown(wait=False)  # its queued chunks still run, then it exits
            self._executor = None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=_worker_context(),
                                                 initializer=_init_worker)
            self._chunks_sent = 0
        return self._executor

    def submit(self, files: Sequence[InputFile],
               drafting: DraftPlanning | None = None) -> ParseJob:
        """Start parsing (and, given ``drafting``, draft-planning) ``files`` in the workers;
        the caller collects with ``.result()`` and meanwhile does other work (the flow
        validates and writes the previous batch)."""
        chunks = [list(files[i:i + self.chunk_size])
                  for i in range(0, len(files), self.chunk_size)]
        in_main_thread = threading.current_thread() is threading.main_thread()
        if len(chunks) <= 1 and in_main_thread:  # tiny job: no process start-up, limit still on
            return ParseJob(self, chunks, [], drafting)
        pool = self._pool()
        self._chunks_sent += len(chunks)
        futures = [pool.submit(_parse_chunk, c, drafting) for c in chunks]
        return ParseJob(self, chunks, futures, drafting)

    def parse(self, files: Sequence[InputFile]) -> list[ParsedFile]:
        return self.submit(files).result()

    def isolate_crash(self, chunk: list[InputFile],
                      drafting: DraftPlanning | None = None) -> list[ParsedFile]:
        """A worker died (a crash in a native library): retry the chunk file by file in fresh
        pools, so that only the file that crashes again is rejected."""
        results = []
        for file in chunk:
            try:
                results.extend(self._pool().submit(_parse_chunk, [file], drafting).result())
            except BrokenProcessPool:
                self.close()
                results.append(ParsedFile(file, _sha_of(file), error_code="corrupt",
                                          error_message="the reader crashed on this file"))
        return results

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
