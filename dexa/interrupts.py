"""Stopping a run on SIGINT or SIGTERM at a batch boundary, never inside a batch's write.

The command line installs ``graceful_stop`` around a run: the first signal asks the run to
stop (``stop_requested``); the stages call ``check`` where stopping loses nothing (while
waiting for the workers' parse results, before a batch's transaction begins, between
discovery steps), which raises ``Interrupted``: the batch being parsed is dropped whole, a
batch whose transaction has begun is committed whole. A second signal, or a first during
start-up, calls ``at_once`` (the CLI ends the process there: the database rolls back an open
transaction).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(Exception):
    """The run was asked to stop by a signal; ``exit_code`` is the shell's 128 + signal."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        super().__init__(f"stopped by {self.signal_name}")


_requested: list[int] = []  # the signals received, in order


def stop_requested() -> int | None:
    """The signal that asked the run to stop, or None."""
    return _requested[0] if _requested else None


def check() -> None:
    """Raise ``Interrupted`` where a stop was requested (call only where stopping is clean)."""
    if _requested:
        raise Interrupted(_requested[0])


def request_stop(signum: int) -> None:
    _requested.append(signum)


def reset() -> None:
    _requested.clear()


_active: list = []  # the handler of the graceful_stop block in force, if any


def reinstall() -> None:
    """Put the block's handlers back where a library replaced them (Prefect's flow engine
    installs its own SIGTERM handler for the duration of every flow run)."""
    if _active and threading.current_thread() is threading.main_thread():
        for s in STOP_SIGNALS:
            signal.signal(s, _active[-1])


@contextmanager
def graceful_stop(*, on_first: Callable[[int], None], at_once: Callable[[int], None],
                  starting: Callable[[], bool] = lambda: False) -> Iterator[None]:
    """SIGINT and SIGTERM handlers for the block (main thread only). The first signal asks for
    a stop (``on_first`` tells the user); the second calls ``at_once``, and so does the first
    while ``starting()`` says nothing can be written yet (start-up: imports, Prefect's server,
    where an exception raised from a handler would be caught and printed by a library)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: object) -> None:
        if _requested:
            at_once(signum)
            return
        request_stop(signum)
        if starting():
            at_once(signum)
            return
        on_first(signum)

    previous = {s: signal.signal(s, handle) for s in STOP_SIGNALS}
    _active.append(handle)
    try:
        yield
    finally:
        _active.remove(handle)
        for s, handler in previous.items():
            signal.signal(s, handler)
