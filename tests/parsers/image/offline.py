"""Running code in a subprocess cut off from the network, for the offline tests of the OCR
engine (``test_offline.py``) and of the whole image reader (``tests/parsers/scanned``).

The child has an empty environment and an empty HOME, proxies pointing at an unroutable
address, an audit hook that records (and refuses) every socket connection and name lookup, and,
where the kernel allows it, no network at all (a new network namespace by ``unshare -rn``, which
needs no root where unprivileged user namespaces are enabled, else ``unshare -n`` as root).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
UNROUTABLE = "http://192.0.2.1:9"  # TEST-NET-1 (RFC 5737): never routed

_GUARD = r"""
import json, sys
attempts = []
def guard(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "urllib.Request"):
        attempts.append([event, repr(args)[:200]])
        raise OSError("network refused by the test's audit hook")
sys.addaudithook(guard)
sys.path.insert(0, sys.argv[1])
"""


@dataclass(frozen=True)
class OfflineRun:
    result: dict  # what the child printed with ``emit``, as JSON
    home: Path  # the child's HOME (empty before it ran)
    isolated: bool  # no network namespace was available: only the hook and the proxies
    how: str


def isolation() -> tuple[list[str], str]:
    """The command prefix that removes the network here, and what it is."""
    unshare = shutil.which("unshare")
    if unshare:
        for prefix in ([unshare, "-rn"], [unshare, "-n"]):
            try:
                probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if probe.returncode == 0:
                return prefix, " ".join(["unshare", *prefix[1:]])
    return [], "no network namespace available (audit hook and unroutable proxies only)"


def run_offline(body: str, argument: Path, tmp_path: Path, *, timeout: float) -> OfflineRun:
    """Run ``body`` offline with ``argument`` as ``sys.argv[2]``; ``body`` ends by calling
    ``emit(dict)``. Asserts that the child succeeded and that nothing tried the network."""
    home = tmp_path / "home"
    home.mkdir()
    prefix, how = isolation()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "2",
           "http_proxy": UNROUTABLE, "https_proxy": UNROUTABLE, "HTTP_PROXY": UNROUTABLE,
           "HTTPS_PROXY": UNROUTABLE, "ALL_PROXY": UNROUTABLE, "no_proxy": "", "NO_PROXY": ""}
    child = _GUARD + "def emit(result):\n    print(json.dumps({**result, 'attempts': attempts}))\n"
    run = subprocess.run([*prefix, sys.executable, "-c", child + body, str(ROOT), str(argument)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, f"({how}) {run.stderr[-3000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result.pop("attempts") == [], how
    return OfflineRun(result, home, bool(prefix), how)
