"""End-to-end throughput of ``dexa run`` against the parse-only rate on the same files.

``python benchmarks/bench_run.py [--files N] [--workers W] [--db URL]``

Writes N (default 5,000) synthetic DICOM SRs (the mix of benchmarks/bench_dicom.py) to a
temporary folder, then measures
1. parse-only: ``dexa.workers.parse_one`` over every file in one process (read, hash, parse);
2. the nightly flow on the same folder into a fresh database (discover, ledger, parse and draft
   plans in worker processes, GX validation per batch, plan what the drafts cannot cover,
   write), timed inside the flow run and as the whole call including Prefect's start (the
   temporary server's, unless PREFECT_API_URL names a running server), started as `dexa run`
   starts it (GX and the workers' fork server warming up meanwhile).
Prints files/s for each and the ratio (issue 3's target: run >= 70 % of the parse-only rate).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("TQDM_DISABLE", "1")


def write_corpus(folder: Path, count: int) -> None:
    from bench_dicom import generate

    for n, (name, data) in enumerate(generate(count)):
        sub = folder / f"{n // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{name}-{n:06d}.dcm").write_bytes(data)


def parse_only(folder: Path) -> tuple[int, float]:
    from dexa.discover import discover
    from dexa.workers import parse_one

    files = discover(folder).files
    start = time.perf_counter()
    ok = sum(parse_one(f).ok for f in files)
    return ok, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="folder to keep the generated files in (reused when it has them)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dexa-bench-run-") as tmp:
        folder = args.corpus or Path(tmp) / "exports"
        if sum(1 for _ in folder.rglob("*.dcm")) != args.files:
            folder.mkdir(parents=True, exist_ok=True)
            write_corpus(folder, args.files)
        ok, parse_s = parse_only(folder)
        parse_rate = args.files / parse_s
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}")
        print(f"parse-only (1 process): {args.files} files in {parse_s:.2f} s = "
              f"{parse_rate:,.0f} files/s ({ok} parsed)")
        from flows.ingest import ingest_flow, start_warm_up

        db = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        start = time.perf_counter()
        start_warm_up()  # as `dexa run` does: GX and the workers' fork server start meanwhile
        summary = ingest_flow(str(folder), db, batch_size=args.batch_size, workers=args.workers)
        wall = time.perf_counter() - start
        run_rate = args.files / summary.seconds
        print(f"dexa run flow: {summary.totals.files} files in {summary.seconds:.2f} s = "
              f"{run_rate:,.0f} files/s; {summary.totals.plans_written} plans written; "
              f"outcomes {dict(summary.totals.outcomes)}")
        validation = summary.totals.seconds["validation"]
        print(f"  validation (GX, including its import): {validation:.2f} s = "
              f"{validation / summary.seconds:.0%} of the flow")
        print(f"  with the temporary Prefect server's start: {wall:.2f} s = "
              f"{args.files / wall:,.0f} files/s")
        print(f"run / parse-only: {run_rate / parse_rate:.0%} (flow), "
              f"{args.files / wall / parse_rate:.0%} (whole call)")


if __name__ == "__main__":
    main()
