"""PDF reader throughput: ``python benchmarks/bench_pdf.py [--files 2000] [--workers 1]``.

Generates synthetic vendor PDFs (mixed layouts and options, random values) in memory, or reads
a folder of them saved earlier (``--save DIR`` writes the generated ones, ``--corpus DIR`` reads
them instead of generating), then times ``parsers.parse_bytes`` on each and prints CPU ms a page
(and wall ms a page and file), overall and per layout, best of ``--passes`` passes.

Beside it, the same run prints the PDFium floor: pypdfium2 opening each PDF, loading each page's
text page, extracting its text and the boxes of each word's first and last character: the least
a reader of the text layer does.

Reading a saved corpus imports only ``parsers`` and pypdfium2, so that an older checkout can be
timed on the same bytes: ``PYTHONPATH=OLD python benchmarks/bench_pdf.py --corpus DIR`` (this
checkout goes after ``PYTHONPATH`` and the installed packages on ``sys.path``; the first line
printed says where ``parsers`` came from). Alternate the versions, run by run.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: see above

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

import parsers  # noqa: E402

if TYPE_CHECKING:
    from dexa.contract import ReportDocument

_WORD = re.compile(r"\S+")
MANIFEST = "corpus.json"  # file name -> layout, in the order generated

Corpus = list[tuple[str, bytes, int]]  # layout, PDF bytes, pages


def _layouts() -> list[tuple[str, Callable[[ReportDocument], bytes]]]:
    from tests.synth import pdf as synth
    return [
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


def _pages(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def generate(count: int, seed: int = 7) -> Corpus:
    from tests.synth import cases
    layouts = _layouts()
    rng = random.Random(seed)
    makers = list(cases.ALL_CASES.values())
    out = []
    for index in range(count):
        name, writer = layouts[index % len(layouts)]
        data = writer(_jitter(rng.choice(makers)(), rng))
        out.append((name, data, _pages(data)))
    return out


def save(corpus: Corpus, folder: Path) -> None:
    """Write the PDFs as ``00001.pdf``... and the layout of each to ``corpus.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for index, (name, data, _) in enumerate(corpus, 1):
        file = f"{index:05d}.pdf"
        (folder / file).write_bytes(data)
        manifest[file] = name
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")


def load(folder: Path) -> Corpus:
    manifest: dict[str, str] = json.loads((folder / MANIFEST).read_text())
    corpus = []
    for file, name in manifest.items():
        data = (folder / file).read_bytes()
        corpus.append((name, data, _pages(data)))
    return corpus


# FPDFText_GetCharBox called as the reader calls it since 2026-12-06 (without pypdfium2's
# argument conversion, which cost more than the call; parsers.pdf.geometry), written here too
# so that the floor of an older checkout is the same
_char_box = type(pdfium_c.FPDFText_GetCharBox)(
    ctypes.cast(pdfium_c.FPDFText_GetCharBox, ctypes.c_void_p).value)


def pdfium_floor(data: bytes) -> int:
    """Open the PDF, load each page's text page, extract its text and the boxes of the first
    and last character of each word (a run of non-space characters): what the reader needs of
    PDFium at least. The number of words."""
    document = pdfium.PdfDocument(data)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    char_box = _char_box
    words = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                page.get_height()
                for match in _WORD.finditer(textpage.get_text_range()):
                    start, end = match.span()
                    char_box(textpage.raw, start, *refs)
                    if end - 1 > start:
                        char_box(textpage.raw, end - 1, *refs)
                    words += 1
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return words


def _time(corpus: Corpus, read: Callable[[bytes], object],
          passes: int) -> dict[str, tuple[float, float, list[float]]]:
    """Per layout (and ``all``): best CPU seconds, best wall seconds, wall seconds per file."""
    best: dict[str, tuple[float, float, list[float]]] = {}
    for _ in range(passes):
        spent: dict[str, tuple[float, float, list[float]]] = {}
        for name, data, _ in corpus:
            cpu, wall = time.process_time(), time.perf_counter()
            read(data)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            for group in (name, "all"):
                c, w, files = spent.get(group, (0.0, 0.0, []))
                spent[group] = (c + cpu, w + wall, [*files, wall])
        for group, figures in spent.items():
            if group not in best or figures[0] < best[group][0]:
                best[group] = figures
    return best


def _parse_all(batch: list[bytes]) -> int:
    for data in batch:
        parsers.parse_bytes(data, "bench.pdf")
    return len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000, help="PDFs to generate")
    parser.add_argument("--save", type=Path, metavar="DIR",
                        help="write the generated PDFs (and corpus.json) to DIR")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="read the PDFs saved in DIR instead of generating")
    parser.add_argument("--passes", type=int, default=1, help="timed passes (best is shown)")
    parser.add_argument("--no-floor", action="store_true", help="skip the PDFium floor")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.corpus:
        corpus = load(args.corpus)
        made = f"read {len(corpus)} PDFs from {args.corpus}"
    else:
        corpus = generate(args.files)
        made = f"generated {len(corpus)} PDFs"
        if args.save:
            save(corpus, args.save)
            made += f" (saved to {args.save})"
    pages = {name: 0 for name, _, _ in corpus} | {"all": sum(p for _, _, p in corpus)}
    for name, _, count in corpus:
        pages[name] += count
    print(f"{made} ({pages['all']} pages) in {time.perf_counter() - started:.1f} s; "
          f"parsers from {Path(parsers.__file__).parent.parent}; "
          f"load average {os.getloadavg()[0]:.1f}")
    for _, data, _ in corpus[:50]:  # warm-up: imports, caches
        parsers.parse_bytes(data, "bench.pdf")
        pdfium_floor(data)

    reader = _time(corpus, lambda data: parsers.parse_bytes(data, "bench.pdf"), args.passes)
    floor = {} if args.no_floor else _time(corpus, pdfium_floor, args.passes)
    cpu, wall, _ = reader["all"]
    files = len(corpus)
    print(f"\none process, best of {args.passes}: {files} files, {pages['all']} pages; "
          f"CPU {1000 * cpu / pages['all']:.2f} ms/page, {files / cpu:.0f} files/s; "
          f"wall {1000 * wall / pages['all']:.2f} ms/page, {1000 * wall / files:.2f} ms/file")
    print(f"{'layout':<24}{'files':>6}{'CPU ms/page':>12}{'floor':>8}{'wall ms/page':>13}"
          f"{'p95 ms/file':>12}")
    for name in [*dict.fromkeys(n for n, _, _ in corpus), "all"]:
        cpu, wall, seconds = reader[name]
        p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
        floor_ms = f"{1000 * floor[name][0] / pages[name]:.2f}" if floor else "-"
        print(f"{name:<24}{len(seconds):>6}{1000 * cpu / pages[name]:>12.2f}{floor_ms:>8}"
              f"{1000 * wall / pages[name]:>13.2f}{1000 * p95:>12.2f}")
    if floor:
        print("floor: PDFium opening each PDF, its text pages, their text and each word's first "
              "and last character box")
    if args.workers > 1:
        batches = [[d for _, d, _ in corpus[i::args.workers]] for i in range(args.workers)]
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_parse_all, [b[:10] for b in batches]))  # start and warm workers
            t0 = time.perf_counter()
            done = sum(pool.map(_parse_all, batches))
            elapsed = time.perf_counter() - t0
        print(f"\n{args.workers} worker processes: {done} files in {elapsed:.2f} s -> "
              f"{done / elapsed:.0f} files/s, {1000 * elapsed / pages['all']:.2f} ms/page wall")


if __name__ == "__main__":
    main()
