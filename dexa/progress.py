"""A progress display for long runs: files done, files/s and time left, on stderr (TTY only)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_display(enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
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

        def update(done: int, total: int) -> None:
            speed = progress.tasks[0].speed
            rate = f"{speed:,.0f} files/s" if speed else ""
            progress.update(task_id, completed=done, total=total, rate=rate)

        yield update
