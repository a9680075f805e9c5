"""Page images against a hand-read truth: measurement F1 per vendor, T/Z, dates, seconds per page.

    python benchmarks/bench_real_pages.py --pages DIR --truth FILE [--ocr-cache DIR] [--json OUT]
                                          [--only SUBSTRING] [--show]

Reads every ``*.png`` / ``*.jpg`` / ``*.tif`` in ``--pages`` whose stem has an entry in the truth
file with ``parsers.parse_bytes``, timed (wall and CPU, beside the OCR engine's own seconds), and
scores the measurements against the truth. Made for the unlicensed vendor pages of issue #15,
which stay outside the repository together with their truth; nothing of them is written here.

Truth file (JSON): ``{page stem: {"vendor": str, "kind": "results" | "body_composition" | ...,
"date": "YYYY-MM-DD" | null, "rows": [row, ...], "optional": [row, ...]}}`` with a row
``{"region", "side", "levels", "bmd", "t", "z"}`` as dexa names sites (CONTRACT.md) and the values
as printed (null where blank). ``optional`` rows are ones the truth does not rule on (a value in a
unit dexa does not hold, a site the vocabulary has no region for): a reading of them counts
neither way.

Scoring. A read row *matches* a truth row of the same region, side and vertebrae (``L1-L2,L4`` and
``L1,L2,L4`` are the same set). A matched row is *right* when BMD, T and Z all equal the truth
(null included). Precision = right rows / rows read (optional matches left out), recall = right
rows / truth rows, F1 of both; per vendor too. T and Z accuracy are over matched rows. "Invented"
counts the values read from body-composition pages (they print no bone-density result of their
own). Dates: pages whose visible scan date ``study.scan_date`` equals. A rejected page reads no row.

``--ocr-cache DIR`` keeps each page's OCR (pickled ``OcrPage``, keyed by the page's pixels and the
engine settings) to iterate on the reader without re-running the engine; timings are then of the
reader only (engine seconds are the cached run's). Measure speed without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import platform
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dexa.contract import ReportRejected  # noqa: E402
from parsers import parse_bytes  # noqa: E402
from parsers.image import ocr  # noqa: E402
from parsers.image.decode import PageImage  # noqa: E402

_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_ENGINE_SECONDS: list[float] = []


def _install_engine_probe(cache: Path | None) -> None:
    """Record the engine's seconds per page; with ``cache``, read OCR results from there."""
    original = ocr.OcrEngine.read

    def read(self, page, *, index=None):  # noqa: ANN001, ANN202 - OcrEngine.read's signature
        file = None
        if cache is not None:
            image = page.image if isinstance(page, PageImage) else page
            key = repr((image.size, image.mode, getattr(page, "dpi", None), index,
                        getattr(page, "index", 0), self.settings)).encode()
            file = cache / (hashlib.sha256(image.tobytes() + key).hexdigest()[:24] + ".pkl")
            if file.exists():
                result = pickle.loads(file.read_bytes())
                _ENGINE_SECONDS.append(result.engine_seconds)
                return result
        result = original(self, page, index=index)
        _ENGINE_SECONDS.append(result.engine_seconds)
        if file is not None:
            file.write_bytes(pickle.dumps(result))
        return result

    ocr.OcrEngine.read = read


def levels_key(levels: str | None) -> frozenset[int] | None:
    """``L1-L2,L4`` -> {1, 2, 4}; None stays None."""
    if not levels:
        return None
    out: set[int] = set()
    for part in re.split(r"\s*,\s*", levels.upper()):
        bounds = [int(n) for n in re.findall(r"(?:L|T)?(\d+)", part)]
        if len(bounds) == 2:
            out.update(range(bounds[0], bounds[1] + 1))
        elif len(bounds) == 1:
            out.add(bounds[0])
    return frozenset(out)


def row_key(row: dict) -> tuple:
    return (row["region"], row.get("side"), levels_key(row.get("levels")))


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def _read_row(m: dict) -> dict:
    return {"region": m["region"], "side": m.get("side"), "levels": m.get("levels"),
            "bmd": m.get("bmd_g_cm2"), "t": m.get("t_score"), "z": m.get("z_score")}


@dataclass
class Tally:
    read: int = 0
    right: int = 0
    truth: int = 0
    matched: int = 0
    t_right: int = 0
    z_right: int = 0
    pages: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("read", "right", "truth", "matched", "t_right", "z_right", "pages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def f1(self) -> float:
        p = self.right / self.read if self.read else 1.0
        r = self.right / self.truth if self.truth else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(truth: dict, read: list[dict]) -> Tally:
    """Match the rows read to the truth rows of one page (see the module docstring)."""
    tally = Tally(truth=len(truth["rows"]), pages=1)
    wanted = list(truth["rows"])
    optional = list(truth.get("optional", []))
    for row in read:
        key = row_key(row)
        candidates = [t for t in wanted if row_key(t) == key]
        if not candidates:
            spare = [t for t in optional if row_key(t) == key]
            if spare:
                optional.remove(spare[0])
                continue
            tally.read += 1
            tally.notes.append(f"extra {_show(row)}")
            continue
        tally.read += 1
        best = next((t for t in candidates if _same(t["bmd"], row["bmd"])), candidates[0])
        wanted.remove(best)
        tally.matched += 1
        tally.t_right += _same(best["t"], row["t"])
        tally.z_right += _same(best["z"], row["z"])
        if all(_same(best[k], row[k]) for k in ("bmd", "t", "z")):
            tally.right += 1
        else:
            tally.notes.append(f"wrong {_show(row)} (printed {_show(best)})")
    tally.notes.extend(f"missed {_show(t)}" for t in wanted)
    return tally


def _show(row: dict) -> str:
    site = "/".join(str(x) for x in (row["region"], row.get("side"), row.get("levels")) if x)
    return f"{site} {row['bmd']} {row['t']} {row['z']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--ocr-cache", type=Path)
    parser.add_argument("--only", help="read only pages whose stem holds this substring")
    parser.add_argument("--show", action="store_true", help="print each page's misses")
    parser.add_argument("--json", type=Path, help="write the figures (no page content) here")
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text())
    if args.ocr_cache:
        args.ocr_cache.mkdir(parents=True, exist_ok=True)
    _install_engine_probe(args.ocr_cache)

    files = sorted(p for p in args.pages.iterdir()
                   if p.suffix.lower() in _SUFFIXES and p.stem in truth
                   and (not args.only or args.only in p.stem))
    total, by_vendor = Tally(), defaultdict(Tally)
    invented = dates_visible = dates_right = dates_wrong = 0
    wall = cpu = engine = 0.0
    slowest = 0.0
    for path in files:
        page = truth[path.stem]
        data = path.read_bytes()
        _ENGINE_SECONDS.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            document = parse_bytes(data, path=path.name).model_dump(mode="json")
            outcome = "read"
        except ReportRejected as rejected:
            document, outcome = {"measurements": [], "study": {}}, rejected.code
        page_wall = time.perf_counter() - started
        wall += page_wall
        slowest = max(slowest, page_wall)
        cpu += time.process_time() - cpu_started
        engine += sum(_ENGINE_SECONDS)
        read = [_read_row(m) for m in document["measurements"]]
        tally = score_page(page, read)
        if page["kind"] == "body_composition":
            invented += sum(v is not None for r in read for v in (r["bmd"], r["t"], r["z"]))
        scan_date = (document.get("study") or {}).get("scan_date")
        if page.get("date"):
            dates_visible += 1
            dates_right += scan_date == page["date"]
            dates_wrong += scan_date is not None and scan_date != page["date"]
        elif scan_date is not None:
            tally.notes.append("a scan date where none is visible")
            dates_wrong += 1
        total.add(tally)
        by_vendor[page["vendor"]].add(tally)
        print(f"{path.stem:45s} {outcome:16s} right {tally.right}/{tally.truth} "
              f"read {tally.read}  {page_wall:5.1f} s", flush=True)
        if args.show:
            for note in tally.notes:
                print(f"    {note}")

    n = len(files) or 1
    lines = [f"pages {len(files)}  rows: truth {total.truth}, read {total.read}, "
             f"right {total.right}",
             f"measurement F1 {total.f1:.3f}  (precision "
             f"{total.right / total.read if total.read else 1:.3f}, recall "
             f"{total.right / total.truth if total.truth else 1:.3f})"]
    lines += [f"  {vendor:28s} F1 {t.f1:.3f}  right {t.right}/{t.truth}, read {t.read}"
              for vendor, t in sorted(by_vendor.items())]
    m = total.matched or 1
    lines += [f"matched rows {total.matched}: T right {total.t_right / m:.1%}, "
              f"Z right {total.z_right / m:.1%}",
              f"values invented on body-composition pages: {invented}",
              f"scan dates: {dates_right} of {dates_visible} visible read right, "
              f"{dates_wrong} wrong",
              f"seconds per page: wall {wall / n:.1f} (slowest {slowest:.1f}), CPU {cpu / n:.1f}, "
              f"engine {engine / n:.1f}" + ("  [OCR cached: reader only]" if args.ocr_cache
                                            else ""),
              f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f} at the end"]
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({
            "pages": len(files), "f1": total.f1, "right": total.right, "read": total.read,
            "truth": total.truth,
            "vendors": {v: {"f1": t.f1, "right": t.right, "read": t.read, "truth": t.truth}
                        for v, t in by_vendor.items()},
            "t_right": total.t_right / m, "z_right": total.z_right / m, "invented": invented,
            "dates_right": dates_right, "dates_visible": dates_visible,
            "wall_per_page": wall / n, "cpu_per_page": cpu / n, "engine_per_page": engine / n,
            "cached": bool(args.ocr_cache)}, indent=1))


if __name__ == "__main__":
    main()
