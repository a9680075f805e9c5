"""Throughput of the DICOM reader: ``python benchmarks/bench_dicom.py [--files N]``.

Generates N (default 5,000) synthetic SRs in memory, cycling through the cases of
``tests.synth.cases`` and the SR writers and options of ``tests.synth.sr`` (GE enCORE-style with
TEXT / NUM scores and mg/cm2 units, generic names in four SR classes, LOINC- and SNOMED-coded),
each with its own patient id and slightly different values, then times ``parsers.parse_bytes``
on all of them, ``--passes`` times (one core, after a warm-up over a few files). Wall-clock and
CPU time are both printed: on a shared machine the CPU figure is the reader's own cost. The
pydicom floor beside it is what pydicom alone takes to open each file and visit every content
item (``dcmread`` and a walk of ``ContentSequence``): a reader cannot be much cheaper than that.

``--save DIR`` writes the generated SRs (and ``corpus.json``, file -> writer) to DIR; ``--corpus
DIR`` reads them instead of generating, importing only ``parsers`` and pydicom, so that an older
checkout can be timed on the same bytes: ``PYTHONPATH=OLD python benchmarks/bench_dicom.py
--corpus DIR`` (this checkout goes after ``PYTHONPATH`` on ``sys.path``; the first line printed
says where ``parsers`` came from). Alternate the versions, run by run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from pydicom import dcmread

sys.path.append(str(Path(__file__).resolve().parents[1]))  # after PYTHONPATH: see above

import parsers  # noqa: E402

if TYPE_CHECKING:
    from dexa.contract import ReportDocument

MANIFEST = "corpus.json"  # file name -> writer, in the order generated


def _writers() -> dict[str, Callable[[ReportDocument], bytes]]:
    from tests.synth import sr  # the synthetic writers in tests/
    return {
        "ge_text": sr.ge_enhanced_sr,
        "ge_num_mg": lambda r: sr.ge_enhanced_sr(r, score_vr="NUM", bmd_unit="mg/cm2"),
        "generic_comprehensive": sr.generic_sr,
        "generic_basic_text": lambda r: sr.generic_sr(r, sop="basic_text"),
        "generic_3d": lambda r: sr.generic_sr(r, sop="comprehensive3d"),
        "loinc": sr.loinc_sr,
        "snomed": sr.snomed_sr,
    }


def _variant(case: ReportDocument, n: int) -> ReportDocument:
    doc = case.model_copy(deep=True)
    doc.patient.id = f"BENCH{n:06d}"
    doc.study.accession = f"ACC{n:06d}"
    doc.study.study_uid = None
    for m in doc.measurements:
        if m.bmd_g_cm2 is not None:
            m.bmd_g_cm2 = round(m.bmd_g_cm2 + (n % 50) / 1000, 3)
    return doc


def generate(count: int) -> list[tuple[str, bytes]]:
    from tests.synth import cases
    combos = itertools.cycle(itertools.product(cases.ALL_CASES.values(), _writers().items()))
    files = []
    for n, (case, (name, writer)) in zip(range(count), combos, strict=False):
        files.append((name, writer(_variant(case(), n))))
    return files


def save(files: list[tuple[str, bytes]], folder: Path) -> None:
    """Write the SRs as ``00001.dcm``... and the writer of each to ``corpus.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for index, (name, data) in enumerate(files, 1):
        file = f"{index:05d}.dcm"
        (folder / file).write_bytes(data)
        manifest[file] = name
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")


def load(folder: Path) -> list[tuple[str, bytes]]:
    manifest: dict[str, str] = json.loads((folder / MANIFEST).read_text())
    return [(name, (folder / file).read_bytes()) for file, name in manifest.items()]


def _pydicom_floor(data: bytes) -> int:
    """Open the bytes with pydicom and visit every content item; the number of items."""
    stack = [dcmread(BytesIO(data), force=True, stop_before_pixels=True)]
    visited = 0
    while stack:
        item = stack.pop()
        visited += 1
        _ = item.get("ConceptNameCodeSequence"), item.get("MeasuredValueSequence")
        stack.extend(item.get("ContentSequence", []))
    return visited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--save", type=Path, metavar="DIR",
                        help="write the generated SRs (and corpus.json) to DIR")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="read the SRs saved in DIR instead of generating")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.corpus:
        files = load(args.corpus)
        made = f"read {len(files)} SRs from {args.corpus}"
    else:
        files = generate(args.files)
        made = f"generated {len(files)} SRs"
        if args.save:
            save(files, args.save)
            made += f" (saved to {args.save})"
    print(f"{made} ({sum(len(d) for _, d in files) / len(files) / 1024:.1f} KiB average) in "
          f"{time.perf_counter() - started:.1f} s; parsers from "
          f"{Path(parsers.__file__).resolve().parents[1]}")
    parse_bytes = parsers.parse_bytes
    for _, data in files[:50]:
        parse_bytes(data, "warm-up.dcm")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; one core used; load average {os.getloadavg()[0]:.1f}")
    per_writer: dict[str, list[float]] = defaultdict(list)
    clock = time.perf_counter
    for run in range(1, args.passes + 1):
        wall, cpu = clock(), time.process_time()
        for name, data in files:
            t0 = clock()
            parse_bytes(data, "bench.dcm")
            per_writer[name].append(clock() - t0)
        wall, cpu = clock() - wall, time.process_time() - cpu
        print(f"pass {run}: {len(files) / wall:,.0f} files/s wall ({wall / len(files) * 1000:.3f} "
              f"ms/file), {len(files) / cpu:,.0f} files per CPU-second "
              f"({cpu / len(files) * 1000:.3f} ms/file)")
    cpu = time.process_time()
    for _, data in files:
        _pydicom_floor(data)
    cpu = time.process_time() - cpu
    print(f"pydicom floor (dcmread + a walk of the content tree): {len(files) / cpu:,.0f} files "
          f"per CPU-second ({cpu / len(files) * 1000:.3f} ms/file)")
    for name, times in per_writer.items():
        times.sort()
        print(f"  {name:24s} median {times[len(times) // 2] * 1000:.3f} ms, "
              f"mean {sum(times) / len(times) * 1000:.3f} ms, "
              f"p95 {times[int(len(times) * 0.95)] * 1000:.3f} ms")


if __name__ == "__main__":
    main()
