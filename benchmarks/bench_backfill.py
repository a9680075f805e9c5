"""Backfill throughput on a generated archive of mixed reports (issue 7).

``python benchmarks/bench_backfill.py [--files 20000] [--archive DIR] [--workers 1 2]
[--batch-size 1000] [--db-url postgresql+psycopg://...] [--jobs 2]``

Target: 1,000,000 mixed reports backfilled in under 1 hour on 2 cores (>= 278 files/s).

1. **Archive.** Writes ``--files`` synthetic reports (default 20,000) under
   ``ARCHIVE/reports/YYYY/MM/`` (``ARCHIVE/manifest.json`` records what was written; an archive
   with the same manifest and file count is reused, so generation is paid once). Every file is a
   distinct patient and scan: a case of ``tests/synth/cases.py`` with its own patient id,
   accession, scan date (2015-2024; birth and prior dates shifted with it) and BMD (+-0.006
   g/cm2, well inside the T-score check's tolerance). The mix (share of files):

   ====================================  =====  ===========================================
   variant                               share  writer
   ====================================  =====  ===========================================
   DICOM SR, 55 %
   sr-ge-enhanced                         15 %  ``sr.ge_enhanced_sr`` (T/Z as TEXT)
   sr-ge-enhanced-num-mg                  10 %  ``sr.ge_enhanced_sr(score_vr="NUM", mg/cm2)``
   sr-generic-comprehensive               10 %  ``sr.generic_sr`` (Comprehensive SR)
   sr-generic-enhanced                     5 %  ``sr.generic_sr(sop="enhanced")``
   sr-generic-basic-text                   5 %  ``sr.generic_sr(sop="basic_text")``
   sr-loinc                               10 %  ``sr.loinc_sr`` (RIS bridge)
   DICOM encapsulated PDF, 10 %
   encpdf-ge                               7 %  ``sr.encapsulated_pdf(pdf.ge_pdf(...))``
   encpdf-hologic                          3 %  ``sr.encapsulated_pdf(pdf.hologic_pdf(...))``
   vendor PDF, 25 %
   pdf-hologic                             8 %  ``pdf.hologic_pdf``
   pdf-ge                                  7 %  ``pdf.ge_pdf``
   pdf-ge-ancillary                        5 %  ``pdf.ge_pdf(ancillary=True)``
   pdf-prodigy-narrative                   5 %  ``pdf.prodigy_narrative_pdf``
   dictated text, 10 %
   txt-canadian                            4 %  ``text.dictated_text(style="canadian")``
   txt-narrative                           3 %  ``text.dictated_text(style="narrative")``
   txt-wustl                               3 %  ``text.dictated_text(style="wustl")``
   ====================================  =====  ===========================================

   The data-quality gate checks each T-score against the BMD under the vendor's reference
   scale, so each case is rendered only by writers of its own scale: the Lunar-scale cases
   (all but ``osteoporosis_case``) by the GE writers, the Hologic-scale ``osteoporosis_case``
   by the Hologic writers; the SR writers and the encapsulated PDF's DICOM header carry the
   case's own vendor (``Manufacturer``), and the three text styles name no vendor (every scale
   is then plausible), so these take any case.

2. **Backfill.** For each ``--workers`` value (default 1 and 2), a fresh subprocess runs
   ``flows.ingest.ingest_flow(ARCHIVE/reports, db, kind="backfill", workers=W)`` into a fresh
   SQLite database (and, with ``--db-url``, a fresh PostgreSQL database created on that server
   and dropped afterwards), with its own ``PREFECT_HOME`` (a fresh temporary Prefect server
   database). Measured: the flow's time (``RunSummary.seconds``), the process's wall time
   (Python start, imports, the temporary Prefect server's start and stop included), files/s for
   both, peak memory (RSS of the process tree sampled every 0.25 s with psutil: the main
   process, the sum over the parse workers and the forkserver, the rest such as the Prefect
   server; and ``ru_maxrss`` of the process and of its largest waited-for child), the outcomes
   and the values that failed validation. Then the time for 1,000,000 reports at the measured
   rate, and whether the 1-hour target is met: at the flow's overall rate, and at the steady
   rate (from the end of the first batch to the end of the last, taken from the flow's progress
   callback) plus this run's fixed costs once (needs >= 3 batches: use >= 3,000 files).

   A configuration whose parse workers are all gone for ``--stall-seconds`` while files are
   left to parse is killed and reported as HUNG: on Python < 3.13.x, ``ProcessPoolExecutor``
   with ``max_tasks_per_child`` can stop replacing recycled workers (CPython gh-115634), and
   ``dexa.workers.ParsePool`` recycles each worker after 200 chunks (e.g. 5,500 files with 1
   worker or 10,500 with 2, batch size 1000, hang before the last batch).

All scratch files (default archive, databases, Prefect homes) are under a unique
``tempfile.mkdtemp(prefix="dexa-bench-")`` folder, removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_FILES = 1_000_000
TARGET_SECONDS = 3600.0
MIX_VERSION = 1
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 31)

# (variant, share, scale of the cases it may render: "lunar", "hologic" or "any")
MIX: list[tuple[str, float, str]] = [
    ("sr-ge-enhanced", 0.15, "lunar"),
    ("sr-ge-enhanced-num-mg", 0.10, "lunar"),
    ("sr-generic-comprehensive", 0.10, "any"),
    ("sr-generic-enhanced", 0.05, "any"),
    ("sr-generic-basic-text", 0.05, "any"),
    ("sr-loinc", 0.10, "any"),
    ("encpdf-ge", 0.07, "lunar"),
    ("encpdf-hologic", 0.03, "hologic"),
    ("pdf-hologic", 0.08, "hologic"),
    ("pdf-ge", 0.07, "lunar"),
    ("pdf-ge-ancillary", 0.05, "lunar"),
    ("pdf-prodigy-narrative", 0.05, "lunar"),
    ("txt-canadian", 0.04, "any"),
    ("txt-narrative", 0.03, "any"),
    ("txt-wustl", 0.03, "any"),
]
FAMILY = {"sr": "DICOM SR", "encpdf": "DICOM encapsulated PDF", "pdf": "vendor PDF",
          "txt": "dictated text"}
HOLOGIC_CASES = ("osteoporosis",)


# --- the archive -------------------------------------------------------------------------------

def _assign(count: int, seed: int) -> list[str]:
    """Exactly proportioned variant per file index (largest remainder), in shuffled order."""
    raw = [(name, share * count) for name, share, _ in MIX]
    counts = {name: int(x) for name, x in raw}
    rest = count - sum(counts.values())
    for name, _ in sorted(raw, key=lambda r: r[1] - int(r[1]), reverse=True)[:rest]:
        counts[name] += 1
    labels = [name for name, _, _ in MIX for _ in range(counts[name])]
    random.Random(seed).shuffle(labels)
    return labels


def _writer(variant: str):
    from tests.synth import pdf, sr, text

    return {
        "sr-ge-enhanced": (".dcm", lambda r: sr.ge_enhanced_sr(r)),
        "sr-ge-enhanced-num-mg": (".dcm", lambda r: sr.ge_enhanced_sr(r, score_vr="NUM",
                                                                     bmd_unit="mg/cm2")),
        "sr-generic-comprehensive": (".dcm", lambda r: sr.generic_sr(r)),
        "sr-generic-enhanced": (".dcm", lambda r: sr.generic_sr(r, sop="enhanced")),
        "sr-generic-basic-text": (".dcm", lambda r: sr.generic_sr(r, sop="basic_text")),
        "sr-loinc": (".dcm", lambda r: sr.loinc_sr(r)),
        "encpdf-ge": (".dcm", lambda r: sr.encapsulated_pdf(pdf.ge_pdf(r), r)),
        "encpdf-hologic": (".dcm", lambda r: sr.encapsulated_pdf(pdf.hologic_pdf(r), r)),
        "pdf-hologic": (".pdf", lambda r: pdf.hologic_pdf(r)),
        "pdf-ge": (".pdf", lambda r: pdf.ge_pdf(r)),
        "pdf-ge-ancillary": (".pdf", lambda r: pdf.ge_pdf(r, ancillary=True)),
        "pdf-prodigy-narrative": (".pdf", lambda r: pdf.prodigy_narrative_pdf(r)),
        "txt-canadian": (".txt", lambda r: text.dictated_text(r, style="canadian").encode()),
        "txt-narrative": (".txt", lambda r: text.dictated_text(r, style="narrative").encode()),
        "txt-wustl": (".txt", lambda r: text.dictated_text(r, style="wustl").encode()),
    }[variant]


def _shift(iso: str | None, days: int) -> str | None:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat() if iso else iso


def make_report(index: int, variant: str, seed: int):
    """The case for file ``index``: a case of the variant's scale, as a distinct patient/scan."""
    from tests.synth import cases

    rng = random.Random(seed * 1_000_003 + index)
    scale = next(s for name, _, s in MIX if name == variant)
    names = sorted(cases.ALL_CASES)
    if scale == "lunar":
        names = [n for n in names if n not in HOLOGIC_CASES]
    elif scale == "hologic":
        names = list(HOLOGIC_CASES)
    case_name = rng.choice(names)
    report = cases.ALL_CASES[case_name]()
    scan = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    days = (scan - date.fromisoformat(report.study.scan_date)).days
    report.patient.id = f"BF{index:07d}"
    report.patient.birth_date = _shift(report.patient.birth_date, days)
    report.study.scan_date = scan.isoformat()
    report.study.accession = f"BA{index:08d}"
    report.study.study_uid = None  # the writers derive one from patient id and scan date
    for m in report.measurements:
        if m.bmd_g_cm2 is not None:
            m.bmd_g_cm2 = round(m.bmd_g_cm2 + rng.uniform(-0.006, 0.006), 3)
    for p in report.priors:
        p.scan_date = _shift(p.scan_date, days)
    if report.patient.age_years is not None and report.patient.birth_date:
        born = date.fromisoformat(report.patient.birth_date)
        report.patient.age_years = round((scan - born).days / 365.25, 1)
    return case_name, report


def _write_chunk(args: tuple[str, int, list[tuple[int, str]]]) -> tuple[int, int, Counter]:
    folder, seed, items = args
    written = size = 0
    case_counts: Counter = Counter()
    for index, variant in items:
        case_name, report = make_report(index, variant, seed)
        suffix, write = _writer(variant)
        data = write(report)
        year, month = report.study.scan_date[:4], report.study.scan_date[5:7]
        sub = Path(folder) / year / month
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{variant}-{index:07d}{suffix}").write_bytes(data)
        written, size = written + 1, size + len(data)
        case_counts[f"{variant}/{case_name}"] += 1
    return written, size, case_counts


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def ensure_archive(archive: Path, count: int, seed: int, jobs: int) -> dict:
    """Generate the archive unless ``archive`` already holds this one; returns its manifest."""
    import multiprocessing

    reports, manifest_path = archive / "reports", archive / "manifest.json"
    wanted = {"files": count, "seed": seed, "mix_version": MIX_VERSION}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if {k: manifest.get(k) for k in wanted} == wanted and _count_files(reports) == count:
            print(f"archive: reusing {reports} ({count} files, generated in "
                  f"{manifest['generation_seconds']:.0f} s)")
            return manifest
    elif reports.exists() and any(reports.iterdir()):
        sys.exit(f"{reports} holds files but no {manifest_path.name}: not an archive of this "
                 "benchmark; choose another --archive")
    if reports.exists():
        shutil.rmtree(reports)
    manifest_path.unlink(missing_ok=True)
    reports.mkdir(parents=True)
    labels = _assign(count, seed)
    items = list(enumerate(labels))
    chunks = [(str(reports), seed, items[i:i + 100]) for i in range(0, len(items), 100)]
    print(f"archive: generating {count} files into {reports} with {jobs} processes ...",
          flush=True)
    started = time.perf_counter()
    total = size = 0
    case_counts: Counter = Counter()
    with multiprocessing.get_context("forkserver").Pool(jobs) as pool:
        for written, nbytes, counts in pool.imap_unordered(_write_chunk, chunks):
            total, size = total + written, size + nbytes
            case_counts.update(counts)
    seconds = time.perf_counter() - started
    manifest = {**wanted, "bytes": size, "generation_seconds": seconds,
                "variants": dict(Counter(labels)),
                "variant_cases": dict(sorted(case_counts.items()))}
    manifest_path.write_text(json.dumps(manifest, indent=1))
    print(f"archive: {total} files, {size / 1e6:.1f} MB in {seconds:.1f} s "
          f"({total / seconds:.0f} files/s)")
    return manifest


def print_mix(manifest: dict) -> None:
    variants: dict = manifest["variants"]
    total = manifest["files"]
    families: Counter = Counter()
    for name, n in variants.items():
        families[name.split("-")[0]] += n
    print("mix: " + ", ".join(f"{FAMILY[f]} {n} ({n / total:.0%})" for f, n in families.items()))
    print("     " + ", ".join(f"{name} {variants.get(name, 0)}" for name, _, _ in MIX))
    by_case: Counter = Counter()
    for key, n in manifest["variant_cases"].items():
        by_case[key.split("/")[1]] += n
    print("     cases: " + ", ".join(f"{k} {v}" for k, v in sorted(by_case.items())))


# --- one configuration, in its own process -----------------------------------------------------

def run_one(input_dir: str, db_url: str, workers: int, batch_size: int) -> None:
    """Child process: one backfill run; prints one ``RESULT {json}`` line."""
    import flows  # noqa: F401 - applies the quiet, offline defaults before Prefect is imported
    from flows.ingest import ingest_flow, set_progress_callback

    marks: list[tuple[float, int]] = []  # (time, files done) after each batch
    def progress(done: int, total: int) -> None:
        marks.append((time.perf_counter(), done))
        print(f"PROGRESS {done} {total}", flush=True)  # lets the parent tell a hang

    set_progress_callback(progress)
    started = time.perf_counter()
    summary = ingest_flow(input_dir, db_url, batch_size=batch_size, workers=workers,
                          kind="backfill")
    call_seconds = time.perf_counter() - started
    totals = summary.totals
    failed = totals.failed_expectations
    # steady state: from the end of the first batch (GX import, worker start, first parse with
    # nothing to overlap) to the end of the last
    steady = None
    batches = [m for k, m in enumerate(marks) if m[1] > 0 and m[1] != marks[k - 1][1]]
    if len(batches) >= 3:
        (t0, n0), (t1, n1) = batches[0], batches[-1]
        steady = {"files": n1 - n0, "seconds": t1 - t0, "batches": len(batches) - 1,
                  "first_batch_s": t0 - started, "after_last_batch_s": started + call_seconds - t1}
    result = {
        "flow_seconds": summary.seconds, "call_seconds": call_seconds,
        "files": totals.files, "files_seen": summary.files_seen,
        "plans_written": totals.plans_written, "replanned": summary.replanned,
        "outcomes": dict(totals.outcomes), "reasons": dict(totals.reasons), "steady": steady,
        "marks": [(round(t - started, 2), n) for t, n in marks],
        "failed_values": sum(failed.values()), "failed_expectations": dict(failed),
        "ru_maxrss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ru_maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print("RESULT " + json.dumps(result), flush=True)


class TreeSampler(threading.Thread):
    """Peak RSS of a process tree: the root, the parse workers (forkserver and its children),
    the rest (Prefect's temporary server, the resource tracker)."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = Counter()
        self.max_worker_mb = 0.0
        self.max_workers_alive = 0
        self.workers_seen_at: float | None = None  # last sample with a live parse worker
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (part, latest user+system s)
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            now = Counter()
            workers_alive = 0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss / 2**20
                    cmd = " ".join(proc.cmdline())
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                if proc.pid == self.pid:
                    part = "main"
                elif "multiprocessing.forkserver" in cmd:
                    part = "workers"
                    if proc.ppid() != self.pid:  # a worker, not the forkserver itself
                        workers_alive += 1
                        self.max_worker_mb = max(self.max_worker_mb, rss)
                else:
                    part = "other"
                now[part] += rss
                now["total"] += rss
                self.cpu[proc.pid] = (part, times.user + times.system)
            self.max_workers_alive = max(self.max_workers_alive, workers_alive)
            if workers_alive:
                self.workers_seen_at = time.monotonic()
            for key, value in now.items():
                self.peak[key] = max(self.peak[key], value)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def workers_gone_for(self) -> float:
        """Seconds since a parse worker was last seen, once one was (0 before)."""
        return 0.0 if self.workers_seen_at is None else time.monotonic() - self.workers_seen_at

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds by part (as last sampled: up to one interval per process is missed)."""
        out: Counter = Counter()
        for part, seconds in self.cpu.values():
            out[part] += seconds
        return dict(out)


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=10)


def _files_left(out_path: Path) -> int:
    """Files the child has not finished yet, from its last PROGRESS line (0 before the first)."""
    lines = [ln for ln in out_path.read_text().splitlines() if ln.startswith("PROGRESS ")]
    if not lines:
        return 0
    _, done, total = lines[-1].split()
    return int(total) - int(done)


def measure(input_dir: Path, db_url: str, workers: int, batch_size: int, scratch: Path,
            label: str, *, stall_seconds: float, timeout: float) -> dict:
    """One configuration in a fresh subprocess. A run whose parse workers are all gone for
    ``stall_seconds`` (the worker pool deadlock of CPython gh-115634: ``ProcessPoolExecutor``
    with ``max_tasks_per_child`` on Python < 3.13.x stops replacing recycled workers) or that
    exceeds ``timeout`` is killed and reported as hung."""
    prefect_home = scratch / f"prefect-{label}"
    prefect_home.mkdir()
    env = {**os.environ, "PREFECT_HOME": str(prefect_home),
           "PREFECT_LOGGING_LEVEL": "WARNING", "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "TQDM_DISABLE": "1",
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--run-one", str(input_dir),
           "--run-db", db_url, "--run-workers", str(workers), "--batch-size", str(batch_size)]
    load_before = os.getloadavg()
    started = time.perf_counter()
    out_path, err_path = scratch / f"{label}.out", scratch / f"{label}.err"
    with open(out_path, "w") as out_file, open(err_path, "w") as err_file:
        proc = subprocess.Popen(cmd, env=env, stdout=out_file, stderr=err_file, text=True,
                                cwd=scratch)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        hung = None
        while proc.poll() is None:
            time.sleep(0.5)
            if sampler.workers_gone_for() > stall_seconds and _files_left(out_path):
                hung = (f"no parse worker alive for {stall_seconds:.0f} s with files left "
                        f"to parse ({_files_left(out_path)})")
            elif time.perf_counter() - started > timeout:
                hung = f"still running after {timeout:.0f} s"
            if hung:
                _kill_tree(proc.pid)
                proc.wait()
                break
    wall = time.perf_counter() - started
    sampler.stop()
    out, err = out_path.read_text(), err_path.read_text()
    lines = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    extra = dict(label=label, workers=workers, process_seconds=wall,
                 peak_mb=dict(sampler.peak), max_worker_mb=sampler.max_worker_mb,
                 max_workers_alive=sampler.max_workers_alive, cpu_s=sampler.cpu_seconds(),
                 load_before=load_before, load_after=os.getloadavg())
    if hung:
        print(f"  {label}: HUNG ({hung}); killed after {wall:.0f} s", flush=True)
        return {**extra, "hung": hung}
    if proc.returncode != 0 or not lines:
        sys.stderr.write(err[-5000:])
        raise SystemExit(f"configuration {label} failed (exit {proc.returncode})")
    return {**json.loads(lines[-1][len("RESULT "):]), **extra}


# --- PostgreSQL: a fresh database per configuration -------------------------------------------

def create_pg_database(server_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"dexa_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, url.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# --- report ------------------------------------------------------------------------------------

def _hours(files: int, seconds: float) -> float:
    return TARGET_FILES / (files / seconds) / 3600


def print_results(results: list[dict]) -> None:
    print()
    head = (f"{'configuration':<16}{'files':>7}{'flow s':>9}{'files/s':>9}{'process s':>11}"
            f"{'files/s':>9}{'main MB':>9}{'workers MB':>12}{'1 worker MB':>13}{'other MB':>10}"
            f"{'tree MB':>9}{'maxrss main/child':>19}{'failed':>8}  outcomes")
    print(head)
    print("-" * len(head))
    for r in results:
        if r.get("hung"):
            print(f"{r['label']:<16}HUNG: {r['hung']} (killed after {r['process_seconds']:.0f} s)")
            continue
        peak = r["peak_mb"]
        print(f"{r['label']:<16}{r['files']:>7}{r['flow_seconds']:>9.1f}"
              f"{r['files'] / r['flow_seconds']:>9.1f}{r['process_seconds']:>11.1f}"
              f"{r['files'] / r['process_seconds']:>9.1f}{peak.get('main', 0):>9.0f}"
              f"{peak.get('workers', 0):>12.0f}{r['max_worker_mb']:>13.0f}"
              f"{peak.get('other', 0):>10.0f}{peak.get('total', 0):>9.0f}"
              f"{r['ru_maxrss_self_mb']:>10.0f}/{r['ru_maxrss_children_mb']:<8.0f}"
              f"{r['failed_values']:>8}  {r['outcomes']}")
    print("\n(flow s: RunSummary.seconds; process s: the whole subprocess, Prefect server start "
          "and stop included; MB: peak RSS sampled every 0.25 s, 'workers' = parse workers + "
          "forkserver summed, shared pages counted in each; 'other' = Prefect's temporary "
          "server and the resource tracker; maxrss: ru_maxrss of the flow process / its "
          "largest child)")
    print(f"\nprojection for {TARGET_FILES:,} reports (target: under 1 hour, i.e. >= "
          f"{TARGET_FILES / TARGET_SECONDS:.0f} files/s):")
    for r in [r for r in results if not r.get("hung")]:
        flow_h = _hours(r["files"], r["flow_seconds"])
        proc_h = flow_h + (r["process_seconds"] - r["flow_seconds"]) / 3600
        verdict = "MET" if proc_h < 1 else "NOT met"
        print(f"  {r['label']:<16}{flow_h:6.2f} h at the flow rate; {proc_h:6.2f} h with the "
              f"process's fixed cost ({r['process_seconds'] - r['flow_seconds']:.0f} s) added: "
              f"target {verdict} ({r['files'] / r['flow_seconds'] / 278:.0%} of the rate "
              "needed)")
        steady = r.get("steady")
        if steady:
            rate = steady["files"] / steady["seconds"]
            fixed = r["process_seconds"] - steady["seconds"]
            hours = (TARGET_FILES / rate + fixed) / 3600
            print(f"  {'':<16}steady state (batches 2..{steady['batches'] + 1}): {rate:.1f} "
                  f"files/s; fixed costs {fixed:.0f} s (first batch done "
                  f"{steady['first_batch_s']:.1f} s after the flow call: Prefect server start, "
                  "imports, worker start, first parse with nothing to overlap; "
                  f"{steady['after_last_batch_s']:.1f} s after the last batch; process start "
                  f"and exit) -> {hours:.2f} h for {TARGET_FILES:,}: "
                  f"target {'MET' if hours < 1 else 'NOT met'}")
        print(f"  {'':<16}load average (1/5/15 min) before {_load(r['load_before'])}, after "
              f"{_load(r['load_after'])}")
        cpu = r["cpu_s"]
        print(f"  {'':<16}CPU per file: main {1000 * cpu.get('main', 0) / r['files']:.1f} ms, "
              f"parse workers {1000 * cpu.get('workers', 0) / r['files']:.1f} ms, other "
              f"{1000 * cpu.get('other', 0) / r['files']:.1f} ms (whole process, sampled); "
              f"{r['max_workers_alive']} parse worker(s) seen at once")
        if r["failed_values"]:
            print(f"  {'':<16}values failing validation: {r['failed_expectations']}")
        if r["reasons"]:
            print(f"  {'':<16}reasons: {r['reasons']}")


def _load(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--archive", type=Path, default=None,
                    help="folder for the generated archive (reused when it holds the same one)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--db-url", default=None,
                    help="also run each configuration into a fresh PostgreSQL database created "
                         "on this server (e.g. postgresql+psycopg://postgres@127.0.0.1/postgres)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes generating the archive")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--stall-seconds", type=float, default=60.0,
                    help="kill a run whose parse workers are all gone this long (a pool hang)")
    ap.add_argument("--timeout", type=float, default=7200.0,
                    help="kill a configuration running longer than this (seconds)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--generate-only", action="store_true",
                    help="write (or check) the archive and stop")
    ap.add_argument("--run-one", help=argparse.SUPPRESS)
    ap.add_argument("--run-db", help=argparse.SUPPRESS)
    ap.add_argument("--run-workers", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_one:
        run_one(args.run_one, args.run_db, args.run_workers, args.batch_size)
        return

    scratch = Path(tempfile.mkdtemp(prefix="dexa-bench-"))
    try:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}; scratch folder {scratch}")
        archive = args.archive.resolve() if args.archive else scratch / "archive"
        manifest = ensure_archive(archive, args.files, args.seed, args.jobs)
        print_mix(manifest)
        if args.generate_only:
            return
        reports = archive / "reports"
        results = []
        for workers in args.workers:
            label = f"sqlite, {workers}w"
            db = f"sqlite:///{scratch / f'bench-{workers}w.sqlite'}"
            print(f"running {label} ... (load {_load(os.getloadavg())})", flush=True)
            results.append(measure(reports, db, workers, args.batch_size, scratch,
                                   f"sqlite-{workers}w", stall_seconds=args.stall_seconds,
                                   timeout=args.timeout))
            results[-1]["label"] = label
            if args.db_url:
                label = f"postgres, {workers}w"
                name, url = create_pg_database(args.db_url)
                try:
                    print(f"running {label} ... (load {_load(os.getloadavg())})", flush=True)
                    results.append(measure(reports, url, workers, args.batch_size, scratch,
                                           f"postgres-{workers}w",
                                           stall_seconds=args.stall_seconds,
                                           timeout=args.timeout))
                    results[-1]["label"] = label
                finally:
                    drop_pg_database(args.db_url, name)
        print_results(results)
        (scratch / "results.json").write_text(json.dumps(results, indent=1))
    finally:
        if args.keep:
            print(f"\nscratch kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
