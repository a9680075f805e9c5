"""Throughput of the DICOM reader: ``python benchmarks/bench_dicom.py [--files N]``.

Generates N (default 5,000) synthetic SRs in memory, cycling through the cases of
``tests.synth.cases`` and the SR writers and options of ``tests.synth.sr`` (GE enCORE-style with
TEXT / NUM scores and mg/cm2 units, generic names in four SR classes, LOINC- and SNOMED-coded),
each with its own patient id and slightly different values, then times ``parsers.parse_bytes``
on all of them, ``--passes`` times (one core, after a warm-up over a few files). Wall-clock and
CPU time are both printed: on a shared machine the CPU figure is the reader's own cost. The
pydicom floor beside it is what pydicom alone takes to open each file and visit every content
item (``dcmread`` and a walk of ``ContentSequence``): a reader cannot be much cheaper than that.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from pydicom import dcmread

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the synthetic writers in tests/

from dexa.contract import ReportDocument
from parsers import parse_bytes
from tests.synth import cases, sr

WRITERS: dict[str, Callable[[ReportDocument], bytes]] = {
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
    combos = itertools.cycle(itertools.product(cases.ALL_CASES.values(), WRITERS.items()))
    files = []
    for n, (case, (name, writer)) in zip(range(count), combos, strict=False):
        files.append((name, writer(_variant(case(), n))))
    return files


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
    args = parser.parse_args()
    started = time.perf_counter()
    files = generate(args.files)
    print(f"generated {len(files)} SRs ({sum(len(d) for _, d in files) / len(files) / 1024:.1f} "
          f"KiB average) in {time.perf_counter() - started:.1f} s")
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
