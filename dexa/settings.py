"""Process-wide defaults for the third-party libraries dexa runs on.

dexa runs in hospital networks without internet: Prefect's and GX's telemetry is off by default,
and their log lines and progress bars stay off the user's screen unless ``verbose``. Each value
is only a default (``setdefault``), so a site can still override it in the environment. Must run
before ``prefect`` or ``great_expectations`` is imported.
"""

from __future__ import annotations

import os

OFFLINE = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
}
ROBUST = {
    # Prefect's default is 20 s, but the temporary server's first start on a new machine builds
    # its database (migrations) and took 25-35 s on a 2-core machine: the README's first command
    # failed on a fresh machine with "Timed out while attempting to connect to ephemeral Prefect
    # API server".
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}
QUIET = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_SERVER_LEVEL": "WARNING",
    "TQDM_DISABLE": "1",
}


def apply_defaults(*, verbose: bool = False) -> None:
    for name, value in (OFFLINE | ROBUST).items():
        os.environ.setdefault(name, value)
    if not verbose:
        for name, value in QUIET.items():
            os.environ.setdefault(name, value)
