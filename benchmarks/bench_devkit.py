"""Devkit conformance table: ``python benchmarks/bench_devkit.py --devkit DIR [--seeds 1 2 3]``.

The devkit (an independent report generator and scorer, kept outside this repository) says how
well this checkout's ``dexa parse`` reads reports it was never fitted to. This script generates
(or reuses) one corpus per seed in an output folder outside the repository, runs the devkit's
scorer against this checkout's ``dexa`` and prints, seeds side by side:

- per family: measurement F1, crashes, name leaks and invented facts;
- per field: accuracy where the report states it (with the number of such files) and the
  number of invented values (output where the report states none).

The devkit is found by ``--devkit`` or the ``DEXA_DEVKIT`` environment variable; without it the
script says so and exits 0 (the repository must not depend on the devkit being there). The
generator needs the devkit's own requirements: give their interpreter with ``--devkit-python``
or ``DEXA_DEVKIT_PYTHON`` (default: this interpreter). A corpus folder holding a
``truth.jsonl`` is reused, so ``--out`` can point at corpora generated earlier; ``--corpus
SEED=DIR`` names one directly. Nothing is written inside the repository.

Examples::

    python benchmarks/bench_devkit.py --devkit ../shared/devkit --seeds 1 2 3 --images
    python benchmarks/bench_devkit.py --devkit ../shared/devkit --corpus 1=/tmp/dk/s1 \
        --seeds 1 --only dictated --only fhir
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIELDS = ["scan_date", "patient_id", "sex", "age", "menopausal_status", "accession", "frax",
          "fracture_history", "therapy", "priors", "lsc"]


def _dexa_command(given: str | None) -> str:
    """This checkout's ``dexa``: the script beside this interpreter, else the one on PATH."""
    if given:
        return given
    beside = Path(sys.executable).parent / "dexa"
    if beside.exists():
        return str(beside)
    found = shutil.which("dexa")
    if not found:
        sys.exit("no dexa command found: install this checkout (pip install -e .) or give --dexa")
    return found


def _corpus(devkit: Path, python: str, out: Path, seed: int, args: argparse.Namespace,
            given: dict[int, Path]) -> Path:
    """The corpus of one seed: named with --corpus, found in --out, or generated there."""
    folder = given.get(seed, out / f"s{seed}")
    if (folder / "truth.jsonl").exists():
        return folder
    if seed in given:
        sys.exit(f"--corpus {seed}={folder}: no truth.jsonl there")
    command = [python, str(devkit / "generate.py"), str(folder), "--seed", str(seed)]
    if args.count:
        command += ["--count", str(args.count)]
    if args.images:
        command.append("--images")
    print(f"generating seed {seed} into {folder} ...", flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder


def _run_scorer(devkit: Path, python: str, corpus: Path, dexa: str, result: Path,
                jobs: int, only: str) -> dict:
    command = [python, str(devkit / "score.py"), str(corpus), "--dexa", dexa,
               "--json", str(result), "--jobs", str(jobs)]
    if only:
        command += ["--only", only]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return json.loads(result.read_text(encoding="utf-8"))


def _score(devkit: Path, python: str, corpus: Path, dexa: str, out: Path, seed: int,
           args: argparse.Namespace) -> dict:
    """The scorer's results for one corpus; with several ``--only`` filters, one run each,
    merged (the overall summary made again by the devkit's own ``summarise``)."""
    print(f"scoring {corpus} ...", flush=True)
    filters = args.only or [""]
    runs = [_run_scorer(devkit, python, corpus, dexa,
                        out / f"score-s{seed}{'-' + only if only else ''}.json", args.jobs, only)
            for only in filters]
    if len(runs) == 1:
        return runs[0]
    spec = importlib.util.spec_from_file_location("devkit_score", devkit / "score.py")
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    files = list({row["path"]: row for run in runs for row in run["files"]}.values())
    by_family: dict[str, list[dict]] = {}
    for row in files:
        by_family.setdefault(row["family"], []).append(row)
    return {"families": {name: scorer.summarise(rows) for name, rows in sorted(by_family.items())},
            "overall": scorer.summarise(files), "files": files}


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def family_table(results: dict[int, dict]) -> str:
    """Measurement F1 (crashes/leaks/invented when not 0) per family, one column per seed."""
    seeds = list(results)
    names = sorted({name for r in results.values() for name in r["families"]})
    lines = ["family           " + "".join(f"  seed {s:<17}" for s in seeds),
             "                 " + "".join("  F1     files notes    " for _ in seeds)]
    for name in names + ["OVERALL"]:
        cells = []
        for seed in seeds:
            res = results[seed]
            summary = res["overall"] if name == "OVERALL" else res["families"].get(name)
            if summary is None:
                cells.append(f"  {'':23}")
                continue
            notes = [f"{key[0]}{summary[field]}" for key, field in
                     (("crash", "crashes"), ("leak", "name_leaks"), ("inv", "invented_total"))
                     if summary[field]]
            cells.append(f"  {_pct(summary['measurement']['f1'])}  {summary['files']:5d} "
                         f"{' '.join(notes):<9}")
        lines.append(f"{name:<17}" + "".join(cells))
    lines.append("notes: c = crashes, l = files leaking a name, i = invented facts")
    return "\n".join(lines)


def field_table(results: dict[int, dict], family: str | None = None) -> str:
    """Accuracy where the report states each field [files], and invented values, per seed."""
    seeds = list(results)
    lines = ["field              " + "".join(f"  seed {s}: stated [n]  inv" for s in seeds)]
    for field in FIELDS:
        cells = []
        for seed in seeds:
            summary = results[seed]["overall"] if family is None else \
                results[seed]["families"].get(family)
            if summary is None:
                cells.append(" " * 27)
                continue
            accuracy, count = summary["fields_stated"][field]
            invented = sum(n for key, n in summary["invented"].items()
                           if key == field.rstrip("s") or key == field
                           or (field == "fracture_history" and key.startswith("fracture_")))
            cells.append(f"  {_pct(accuracy)}      [{count:3d}] {invented:4d}")
        lines.append(f"{field:<19}" + "".join(cells))
    return "\n".join(lines)


def invented_by_family(results: dict[int, dict]) -> str:
    lines = []
    for seed, res in results.items():
        found = [f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(s["invented"].items()))
                 for name, s in res["families"].items() if s["invented"]]
        lines.append(f"seed {seed}: " + ("; ".join(found) if found else "none"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devkit", type=Path, default=os.environ.get("DEXA_DEVKIT"),
                        help="the devkit folder (generate.py, score.py); env DEXA_DEVKIT")
    parser.add_argument("--devkit-python", default=os.environ.get("DEXA_DEVKIT_PYTHON",
                                                                  sys.executable),
                        help="interpreter with the devkit's requirements; env DEXA_DEVKIT_PYTHON")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--out", type=Path, help="folder for corpora and score files "
                        "(default: a new temporary folder)")
    parser.add_argument("--corpus", action="append", default=[], metavar="SEED=DIR",
                        help="reuse an existing corpus for a seed")
    parser.add_argument("--count", type=int, help="files per generated corpus (devkit default)")
    parser.add_argument("--images", action="store_true", help="generate the image renderings")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="score only paths containing this (repeatable: one scorer run "
                        "each, merged; e.g. --only dictated --only ontario)")
    parser.add_argument("--dexa", help="the dexa command (default: this checkout's)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--family-fields", metavar="FAMILY",
                        help="also print the field table of one family")
    args = parser.parse_args()

    if args.devkit is None or not (Path(args.devkit) / "score.py").exists():
        print("devkit not found: give --devkit DIR or set DEXA_DEVKIT (skipped)")
        return 0
    devkit = Path(args.devkit).resolve()
    given = {int(seed): Path(folder).resolve()
             for seed, folder in (item.split("=", 1) for item in args.corpus)}
    out = (args.out or Path(tempfile.mkdtemp(prefix="dexa-devkit-"))).resolve()
    if out.is_relative_to(REPO):
        sys.exit(f"--out {out} is inside the repository: choose a folder outside it")
    out.mkdir(parents=True, exist_ok=True)
    dexa = _dexa_command(args.dexa)

    results: dict[int, dict] = {}
    for seed in args.seeds:
        corpus = _corpus(devkit, args.devkit_python, out, seed, args, given)
        results[seed] = _score(devkit, args.devkit_python, corpus, dexa, out, seed, args)
    print()
    print(family_table(results))
    print()
    print("history and document fields, all families (accuracy where the report states the "
          "field, [files stating it], invented values)")
    print(field_table(results))
    if args.family_fields:
        print()
        print(f"fields of {args.family_fields}")
        print(field_table(results, args.family_fields))
    print()
    print("invented facts by family")
    print(invented_by_family(results))
    print(f"\nper-file results: {out}/score-s*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
