"""``dexa`` with OCR results cached on disk, for development runs only:

    DEXA_OCR_CACHE=/tmp/dexa-ocr-cache python benchmarks/dexa_cached.py parse FILE...

Runs this checkout's ``dexa`` command line in this process after ``benchmarks.ocr_cache.install``
(see there: pages are keyed by their pixels' sha256 and the engine settings). Give it to the
devkit's scorer as the reader command, e.g.::

    DEXA_OCR_CACHE=/tmp/dexa-ocr-cache /tmp/devkit-venv/bin/python ../shared/devkit/score.py \
        /tmp/dk/s1 --only images --timeout 600 \
        --dexa '.venv/bin/python benchmarks/dexa_cached.py'

The first pass costs what OCR costs (run it with ``nice``); later passes read every page from
the cache and take seconds. Never use it for timings of the engine.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import ocr_cache  # noqa: E402


def main() -> int:
    ocr_cache.install(ocr_cache.folder_from_env())
    from dexa.cli import main as dexa_main

    return dexa_main()


if __name__ == "__main__":
    sys.exit(main())
