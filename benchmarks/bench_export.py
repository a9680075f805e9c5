"""FHIR export and patient page throughput: ``python benchmarks/bench_export.py [--visits 1000]``.

Builds a SQLite results database of generated visits (one patient each, random sites, scores,
FRAX and history facts; tests/dexa/outputs/builders.py) through the visit stage, then times
``dexa.exports.export_fhir`` into an empty folder (every Bundle built, validated by
fhir.resources and written) and again into the same folder (built and compared, none
rewritten), and the patient page of a patient with four visits. Everything is in a temporary
folder.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dexa import exports, store  # noqa: E402
from tests.dexa.outputs.builders import generated_report  # noqa: E402
from tests.dexa.results import four_visit_store, store_visits  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(17)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'results.sqlite'}"
        engine = store.connect(url)
        started = time.perf_counter()
        store_visits(engine, [generated_report(rng, n) for n in range(args.visits)],
                     by_date=False)
        print(f"database of {args.visits} visits built in {time.perf_counter() - started:.1f} s")
        out = Path(tmp) / "fhir"
        for label in ("first export (all written)", "second export (none rewritten)"):
            started = time.perf_counter()
            done = exports.export_fhir(engine, out)
            seconds = time.perf_counter() - started
            print(f"{label}: {done.visits} Bundles ({done.written} written) in {seconds:.2f} s, "
                  f"{1000 * seconds / max(done.visits, 1):.2f} ms a visit")
        engine.dispose()
        four_visit_store(url)
        engine = store.connect(url)
        started = time.perf_counter()
        page = exports.patient_html(engine, "MRN004")
        seconds = time.perf_counter() - started
        engine.dispose()
        print(f"patient page of four visits: {len(page or '') // 1024} KiB in {seconds:.2f} s")


if __name__ == "__main__":
    main()
