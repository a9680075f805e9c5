"""Free-text reader speed: ``python benchmarks/bench_text.py [--reports 2000]``.

Writes dictated reports in memory (every house style of ``tests/synth/text.py`` over the
synthetic cases, with a FHIR-narrative-like table added to every other one), then times
``parsers.parse_bytes`` on each and prints CPU ms a report, overall and per style (best of
``--repeat`` passes). Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import parsers  # noqa: E402
from tests.synth import cases  # noqa: E402
from tests.synth.text import STYLES, dictated_text  # noqa: E402

TABLE = ("\nScan Type  Region  Measured    Age   BMD          T-Score  Z-Score  Change\n"
         "AP Spine   L1-L4   14/03/2024  68.2  0.912 g/cm2  -2.2     -0.4     -0.010\n"
         "                   02/05/2021  65.4  0.922 g/cm2                    -\n")


def generate(count: int) -> list[tuple[str, bytes]]:
    makers = list(cases.ALL_CASES.values())
    out = []
    for index in range(count):
        style = STYLES[index % len(STYLES)]
        text = dictated_text(makers[index % len(makers)](), style=style)
        if (index // len(STYLES)) % 2:
            text += TABLE
            style = f"{style} + table"
        out.append((style, text.encode("utf-8")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = generate(args.reports)
    for _, data in corpus[:50]:  # warm-up: imports, caches
        parsers.parse_bytes(data, "bench.txt")
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        spent: dict[str, list[float]] = {}
        for style, data in corpus:
            started = time.process_time()
            parsers.parse_bytes(data, "bench.txt")
            spent.setdefault(style, []).append(time.process_time() - started)
        for style, times in spent.items():
            ms = 1000 * sum(times) / len(times)
            best[style] = min(best.get(style, ms), ms)
        total = 1000 * sum(sum(t) for t in spent.values()) / len(corpus)
        best["all"] = min(best.get("all", total), total)
    print(f"{len(corpus)} reports, CPU ms a report (best of {args.repeat} passes)")
    for style, ms in sorted(best.items()):
        print(f"  {style:<20} {ms:6.2f}")


if __name__ == "__main__":
    main()
