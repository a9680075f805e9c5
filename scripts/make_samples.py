"""Write sample_reports/ from the synthetic cases (tests/synth/samples.py).

Run from the repository root: ``python scripts/make_samples.py``. Every value is invented.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.synth.samples import BAD_SAMPLES, SAMPLES  # noqa: E402


def main() -> None:
    out = ROOT / "sample_reports"
    for sample in SAMPLES:
        path = out / sample.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sample.write(sample.case()))
    for name, (make, _code) in BAD_SAMPLES.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
    print(f"wrote {len(SAMPLES) + len(BAD_SAMPLES)} files under {out}")


if __name__ == "__main__":
    main()
