"""Headless Chromium as a person would open a page, with the network cut off and logged.

Every run maps every host name to NOTFOUND and sends every request to a proxy on a closed
local port, so nothing can leave the machine whatever the page or the browser tries; and it
writes Chromium's net log, in which a request made for the page (initiator ``null``, the page's
opaque file origin, and the page's ``file://`` network isolation key) is told apart from the
browser's own background traffic (component updater, account checks: no initiator origin, and
a ``null`` or Google isolation key). ``page_requests`` lists the former; the tests require it
to be empty for dexa's pages and prove, with a page that does load an image, that it would not
be.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

BINARIES = ("chromium", "chromium-browser", "google-chrome", "chrome")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium() -> str | None:
    return next((path for name in BINARIES if (path := shutil.which(name))), None)


@dataclass(frozen=True)
class Run:
    dom: str
    requests: list[dict]  # every URL request in the net log: url, initiator, isolation key


def open_page(page: Path, work: Path, *, screenshot: Path | None = None,
              window: tuple[int, int] = (1280, 2000), timeout: float = 90) -> Run:
    """Load ``page`` in headless Chromium: the DOM after load (``--dump-dom``), or a screenshot
    when ``screenshot`` is given; and the URL requests of the net log."""
    binary = chromium()
    assert binary is not None, "no chromium binary"
    work.mkdir(parents=True, exist_ok=True)
    net_log = work / "net.json"
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--disable-default-apps",
        f"--user-data-dir={work / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
        f"--log-net-log={net_log}", "--hide-scrollbars",
        f"--window-size={window[0]},{window[1]}",
    ]
    command.append(f"--screenshot={screenshot}" if screenshot else "--dump-dom")
    command.append(page.resolve().as_uri())
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return Run(dom=done.stdout, requests=_requests(net_log))


def _requests(net_log: Path) -> list[dict]:
    log = json.loads(net_log.read_text(encoding="utf-8"))
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    out = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            out.append({"url": params["url"], "initiator": params.get("initiator"),
                        "isolation": params.get("network_isolation_key", "")})
    return out


def page_requests(run: Run) -> list[str]:
    """The non-local URLs requested by anything but the browser itself: any entry is a
    network request the page made. Only a request with no initiator origin (``not an
    origin``: the browser's own services) and outside the page's ``file://`` isolation key
    counts as the browser's; anything else is blamed on the page."""
    return [r["url"] for r in run.requests if not r["url"].startswith(LOCAL_SCHEMES)
            and (r["isolation"].startswith("file://") or r["initiator"] != "not an origin")]
