"""Clinical-history reader cost: ``python benchmarks/bench_history.py [--reports 400]
[--medspacy-python PATH]``.

Builds dictated reports in code (``tests/synth``: every case, every house style, the history
paragraph with fractures, therapy, menopause and FRAX), then times ``parsers.history``
(statements, ConText, findings) per report, and the process's import of it. With
``--medspacy-python`` (an interpreter where ``medspacy`` is installed, e.g. a scratch venv) it
times the same step there for comparison: importing medspaCy, building a blank spaCy pipeline
with medspaCy's default ConText rules, and running it on the same history sentences (their
fracture, drug and menopause words given as target spans, which is what our matcher is handed
too). Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_START = time.perf_counter()
from parsers.history import read_history, statements  # noqa: E402

IMPORT_S = time.perf_counter() - _START

from tests.synth import cases  # noqa: E402
from tests.synth import text as synth  # noqa: E402

_MEDSPACY = r"""
import json, sys, time
start = time.perf_counter()
import medspacy
from medspacy.context import ConText
from spacy.tokens import Span
imported = time.perf_counter() - start
start = time.perf_counter()
nlp = medspacy.load(medspacy_enable=["medspacy_pyrush", "medspacy_context"])
loaded = time.perf_counter() - start
reports = json.load(sys.stdin)
targets = ("fracture", "fractures", "alendronate", "denosumab", "postmenopausal")
times = []
for text in reports:
    t0 = time.perf_counter()
    doc = nlp.make_doc(text)
    ents = [Span(doc, t.i, t.i + 1, label="TARGET") for t in doc if t.lower_ in targets]
    doc.ents = ents
    for name, component in nlp.pipeline:
        doc = component(doc)
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"import_s": imported, "load_s": loaded,
                  "median_ms": 1000 * times[len(times) // 2],
                  "mean_ms": 1000 * sum(times) / len(times)}))
"""


def _reports(count: int) -> list[str]:
    built = [synth.dictated_text(make(), style=style)
             for make in cases.ALL_CASES.values() for style in synth.STYLES]
    return [built[i % len(built)] for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--medspacy-python", help="an interpreter with medspacy installed")
    args = parser.parse_args(argv)
    reports = _reports(args.reports)
    start = time.perf_counter()
    for text in set(reports):  # vocabulary loaded and patterns compiled once a process
        read_history(statements(text))
    warm_up = time.perf_counter() - start
    times = []
    for text in reports:
        start = time.perf_counter()
        read_history(statements(text))
        times.append(time.perf_counter() - start)
    print(f"parsers.history: import {IMPORT_S * 1000:.0f} ms, first pass (patterns compiled) "
          f"{warm_up * 1000:.0f} ms; per report median "
          f"{statistics.median(times) * 1000:.2f} ms, mean {statistics.mean(times) * 1000:.2f} ms "
          f"({len(reports)} reports, {statistics.mean(len(r) for r in reports):.0f} characters)")
    if args.medspacy_python:
        run = subprocess.run([args.medspacy_python, "-c", _MEDSPACY], input=json.dumps(reports),
                             capture_output=True, text=True, check=False)
        if run.returncode:
            print(f"medspaCy run failed: {run.stderr.strip().splitlines()[-1:]}")
            return 1
        figures = json.loads(run.stdout)
        print(f"medspaCy: import {figures['import_s'] * 1000:.0f} ms, pipeline load "
              f"{figures['load_s'] * 1000:.0f} ms; per report median {figures['median_ms']:.2f} ms,"
              f" mean {figures['mean_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
