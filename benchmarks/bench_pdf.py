"""PDF reader throughput: ``python benchmarks/bench_pdf.py [--files 2000] [--workers 1]``.

Generates synthetic vendor PDFs (mixed layouts and options, random values) in memory, then
times ``parsers.parse_bytes`` on each and prints ms/page, ms/file and files/s, overall and per
layout. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2 as pdfium  # noqa: E402

import parsers  # noqa: E402
from dexa.contract import ReportDocument  # noqa: E402
from tests.synth import cases  # noqa: E402
from tests.synth import pdf as synth  # noqa: E402

LAYOUTS: list[tuple[str, Callable[[ReportDocument], bytes]]] = [
    ("hologic", lambda r: synth.hologic_pdf(r)),
    ("hologic pr/am, empty T", lambda r: synth.hologic_pdf(r, pr_am_columns=True,
                                                           empty_t_column=True)),
    ("ge enCORE 17", lambda r: synth.ge_pdf(r)),
    ("ge ancillary v12", lambda r: synth.ge_pdf(r, ancillary=True, v12_header=True)),
    ("norland", lambda r: synth.norland_pdf(r)),
    ("prodigy narrative", lambda r: synth.prodigy_narrative_pdf(r, unicode=False)),
]


def _jitter(report: ReportDocument, rng: random.Random) -> ReportDocument:
    doc = report.model_copy(deep=True)
    for m in doc.measurements:
        if m.bmd_g_cm2 is not None:
            m.bmd_g_cm2 = round(m.bmd_g_cm2 + rng.uniform(-0.1, 0.1), 3)
        if m.t_score is not None:
            m.t_score = round(m.t_score + rng.uniform(-0.5, 0.5), 1)
    return doc


def generate(count: int, seed: int = 7) -> list[tuple[str, bytes, int]]:
    rng = random.Random(seed)
    makers = list(cases.ALL_CASES.values())
    out = []
    for index in range(count):
        name, writer = LAYOUTS[index % len(LAYOUTS)]
        data = writer(_jitter(rng.choice(makers)(), rng))
        document = pdfium.PdfDocument(data)
        out.append((name, data, len(document)))
        document.close()
    return out


def _parse_all(batch: list[bytes]) -> int:
    for data in batch:
        parsers.parse_bytes(data, "bench.pdf")
    return len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = generate(args.files)
    print(f"generated {len(corpus)} PDFs ({sum(p for _, _, p in corpus)} pages) in "
          f"{time.perf_counter() - started:.1f} s")
    for _, data, _ in corpus[:50]:  # warm-up: imports, caches
        parsers.parse_bytes(data, "bench.pdf")

    per_layout: dict[str, list[tuple[float, int]]] = {}
    cpu_start = time.process_time()
    total_start = time.perf_counter()
    for name, data, pages in corpus:
        t0 = time.perf_counter()
        parsers.parse_bytes(data, "bench.pdf")
        per_layout.setdefault(name, []).append((time.perf_counter() - t0, pages))
    total = time.perf_counter() - total_start
    cpu = time.process_time() - cpu_start
    pages = sum(p for _, _, p in corpus)
    print(f"\none process: {len(corpus)} files, {pages} pages in {total:.2f} s wall "
          f"({cpu:.2f} s CPU) -> {1000 * total / pages:.2f} ms/page, "
          f"{1000 * total / len(corpus):.2f} ms/file, {len(corpus) / total:.0f} files/s; "
          f"CPU {1000 * cpu / pages:.2f} ms/page, {len(corpus) / cpu:.0f} files/s")
    print(f"{'layout':<24}{'files':>6}{'ms/page':>9}{'ms/file':>9}{'p95 ms/file':>13}")
    for name, rows in per_layout.items():
        seconds = [s for s, _ in rows]
        layout_pages = sum(p for _, p in rows)
        p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
        print(f"{name:<24}{len(rows):>6}{1000 * sum(seconds) / layout_pages:>9.2f}"
              f"{1000 * statistics.mean(seconds):>9.2f}{1000 * p95:>13.2f}")
    if args.workers > 1:
        batches = [[d for _, d, _ in corpus[i::args.workers]] for i in range(args.workers)]
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_parse_all, [b[:10] for b in batches]))  # start and warm workers
            t0 = time.perf_counter()
            done = sum(pool.map(_parse_all, batches))
            elapsed = time.perf_counter() - t0
        print(f"\n{args.workers} worker processes: {done} files in {elapsed:.2f} s -> "
              f"{done / elapsed:.0f} files/s, {1000 * elapsed / pages:.2f} ms/page wall")


if __name__ == "__main__":
    main()
