"""The Prefect API a command-line run talks to: the site's server (``PREFECT_API_URL``), or
Prefect's temporary local server, started here rather than on the flow's first call.

Started here, the temporary server can be kept out of the terminal's Ctrl-C: it is a child
process in the same process group, so a Ctrl-C used to stop it at once, and the run, still
writing, then spent minutes in connection retries and tracebacks. Started with SIGINT blocked,
the server inherits the blocked signal and stays up until dexa stops it (SIGTERM, at exit), so
an interrupted run can still report its flow run as Cancelled.
"""

from __future__ import annotations

import os
import signal
import threading
import time


def uses_temporary_server() -> bool:
    return not os.environ.get("PREFECT_API_URL")


def start_temporary_server() -> float:
    """Start Prefect's temporary server (unless ``PREFECT_API_URL`` names one); the seconds
    it took. It is started from a thread that blocks SIGINT (a child inherits the mask of the
    thread that starts it) while this thread waits, so a Ctrl-C during the start still
    reaches dexa's handler at once."""
    if not uses_temporary_server():
        return 0.0
    from prefect.server.api.server import SubprocessASGIServer

    started = time.perf_counter()
    failure: list[BaseException] = []

    def start() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            SubprocessASGIServer().start()  # Prefect's clients find this instance and reuse it
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failure.append(exc)

    starter = threading.Thread(target=start, name="dexa-prefect-server", daemon=True)
    starter.start()
    while starter.is_alive():
        starter.join(0.1)  # short waits: a signal handler runs between them
    if failure:
        raise failure[0]
    return time.perf_counter() - started


def stop_temporary_server(wait: bool = True) -> None:
    """Stop the temporary server, if one runs (``wait=False``: SIGTERM only, for an exit now)."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer._instances.get(None)
    if server is None or server.server_process is None:
        return
    if wait:
        server.stop()
    else:
        server.server_process.terminate()
