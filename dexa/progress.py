"""A progress display for long runs: files done, files/s, the pages read by OCR and time left,
on stderr (TTY only). A page read by OCR costs seconds where another file costs milliseconds,
so a run over pictures counts its pages beside its files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_display(enabled: bool = True
                     ) -> Iterator[Callable[[int, int, int], None] | None]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task_id = progress.add_task("files", total=None, rate="")

        def update(done: int, total: int, pages: int = 0) -> None:
            progress.update(task_id, completed=done, total=total,
                            rate=rate_text(progress.tasks[0].speed, pages))

        yield update


def rate_text(files_per_second: float | None, ocr_pages: int) -> str:
    """The display's rate column: ``12 files/s``, with ``, 30 pages by OCR`` once a page was."""
    parts = []
    if files_per_second:  # pictures go at a fraction of a file a second
        digits = 0 if files_per_second >= 10 else 1
        parts.append(f"{files_per_second:,.{digits}f} files/s")
    if ocr_pages:
        parts.append(f"{ocr_pages:,} page{'s' if ocr_pages != 1 else ''} by OCR")
    return ", ".join(parts)
