"""Image reports end to end: measurement F1 and seconds per page, the reader beside the engine.

    python benchmarks/bench_ocr_reader.py [--cases N] [--variants NAME,...] [--pages DIR] [--cache]

Renders the project's synthetic vendor printouts (``tests/synth``: Hologic, GE, Norland, the GE
Prodigy narrative table; every case of ``tests.synth.cases`` up to ``--cases``) as pictures of
their pages (``tests.synth.images``) in each variant below, reads every picture with
``parsers.parse_bytes`` and compares the measurements with what the printout prints
(``tests.synth.pdf.printed``): a row is right when its site, BMD, T and Z all are.

Variants: ``png150``, ``png200``, ``png100``, ``jpeg150q75``, ``jpeg100q50noise`` (JPEG quality
50 with Gaussian noise), ``scan150turned`` (a scanned PDF turned 1 degree), ``sc150`` (a DICOM
Secondary Capture). For each it prints precision, recall, F1, wrong minus signs, and time:
``engine`` is the seconds inside RapidOCR, ``reader`` the whole ``parse_bytes``; the reader
should add at most 20 % to the engine. ``--pages DIR`` also times every PNG in DIR (e.g. the
unlicensed vendor pages, which stay outside the repository) and prints the measurements read.

Nothing is written to disk (but with ``--cache``). Timings on a shared machine vary with its load.
The reader's own time is the whole ``parse_bytes`` less the time inside the engine's ``read``,
plus what ``read`` spends outside RapidOCR (``OcrPage.seconds - engine_seconds``: the page's
upscaling). ``--cache`` reads the pages through ``benchmarks/ocr_cache.py`` (folder
``DEXA_OCR_CACHE``): accuracy in seconds once the pages are cached, and the engine's seconds are
those of the pages' first reading, so the overhead stays meaningful.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dexa.contract import ReportDocument, ReportRejected  # noqa: E402
from parsers import parse_bytes  # noqa: E402
from parsers.image import ocr  # noqa: E402
from tests.synth import cases, images, pdf  # noqa: E402

LAYOUTS: dict[str, Callable[[ReportDocument], bytes]] = {
    "hologic": pdf.hologic_pdf, "ge": pdf.ge_pdf, "norland": pdf.norland_pdf,
    "prodigy": pdf.prodigy_narrative_pdf}


def _variant(name: str, report: ReportDocument, document: bytes) -> bytes:
    if name == "png150":
        return images.as_png(images.render(document, 150)[:1], 150)
    if name == "png200":
        return images.as_png(images.render(document, 200)[:1], 200)
    if name == "png100":
        return images.as_png(images.render(document, 100)[:1], 100)
    if name == "jpeg150q75":
        return images.as_jpeg(images.render(document, 150)[:1], 150, 75)
    if name == "jpeg100q50noise":
        page = images.damaged(images.render(document, 100)[0], noise=8.0)
        return images.as_jpeg([page], 100, 50)
    if name == "scan150turned":
        pages = [images.damaged(p, degrees=1.0) for p in images.render(document, 150)]
        return images.as_scanned_pdf(pages, 150)
    if name == "sc150":
        return images.as_secondary_capture(report, images.render(document, 150)[:1], 150)
    raise SystemExit(f"unknown variant {name}")


VARIANTS = ("png150", "png200", "png100", "jpeg150q75", "jpeg100q50noise", "scan150turned",
            "sc150")


class _EngineClock:
    """Sums the engine's own seconds over the pages read (OcrPage.engine_seconds), the wall
    time of the ``read`` calls (``inside``) and the part of it outside RapidOCR (``prepare``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.inside = 0.0
        self.prepare = 0.0
        self.pages = 0
        self._read = ocr.OcrEngine.read

    def __enter__(self) -> _EngineClock:
        clock = self

        def read(engine, page, *, index=None):  # noqa: ANN001
            started = time.perf_counter()
            result = clock._read(engine, page, index=index)
            clock.inside += time.perf_counter() - started
            clock.seconds += result.engine_seconds
            clock.prepare += max(0.0, result.seconds - result.engine_seconds)
            clock.pages += 1
            return result

        ocr.OcrEngine.read = read  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        ocr.OcrEngine.read = self._read  # type: ignore[method-assign]

    def reader_seconds(self, total: float) -> float:
        """The reader's own seconds within ``total`` (see the module docstring)."""
        return max(0.0, total - self.inside) + self.prepare


def _key(m) -> tuple:
    return (m.region, m.side, m.levels)


def _score(expected: list, got: list) -> tuple[int, int, int, int]:
    """Right rows, rows read, rows printed, rows with a wrong minus sign."""
    truth = {_key(m): m for m in expected}
    right = signs = 0
    for m in got:
        t = truth.get(_key(m))
        if t is None:
            continue
        if (m.bmd_g_cm2, m.t_score, m.z_score) == (t.bmd_g_cm2, t.t_score, t.z_score):
            right += 1
        elif any(a is not None and b is not None and a == -b != 0
                 for a, b in ((m.t_score, t.t_score), (m.z_score, t.z_score))):
            signs += 1
    return right, len(got), len(truth), signs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--pages", type=Path)
    parser.add_argument("--cache", action="store_true",
                        help="read pages through the OCR cache in DEXA_OCR_CACHE")
    args = parser.parse_args()
    if args.cache:
        from benchmarks import ocr_cache

        ocr_cache.install(ocr_cache.folder_from_env())
    ocr.get_engine()  # load outside the clock
    chosen = sorted(cases.ALL_CASES)[: args.cases]
    print(f"{'variant':<16}{'P':>7}{'R':>7}{'F1':>7}{'signs':>7}{'pages':>7}"
          f"{'engine s/p':>12}{'reader s/p':>12}{'overhead':>10}")
    for variant in args.variants.split(","):
        right = read = printed_rows = signs = 0
        total = 0.0  # inside parse_bytes only (not rendering the pictures)
        with _EngineClock() as clock:
            for name in chosen:
                report = cases.ALL_CASES[name]()
                for layout, writer in LAYOUTS.items():
                    document = writer(report)
                    expected = pdf.printed(report, layout).measurements
                    data = _variant(variant, report, document)
                    if variant != "scan150turned":  # one page: what page 1 prints
                        expected = _first_page(expected, document, layout, report)
                    started = time.perf_counter()
                    try:
                        got = parse_bytes(data, f"{name}-{layout}").measurements
                    except ReportRejected:
                        got = []
                    total += time.perf_counter() - started
                    r, g, t, s = _score(expected, got)
                    right, read, printed_rows, signs = (right + r, read + g,
                                                        printed_rows + t, signs + s)
        precision = right / read if read else 1.0
        recall = right / printed_rows if printed_rows else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        pages = max(clock.pages, 1)
        own = clock.reader_seconds(total)
        print(f"{variant:<16}{precision:7.3f}{recall:7.3f}{f1:7.3f}{signs:7d}{clock.pages:7d}"
              f"{clock.seconds / pages:12.2f}{(clock.seconds + own) / pages:12.2f}"
              f"{100 * own / max(clock.seconds, 1e-9):9.1f}%", flush=True)
    if args.pages:
        for path in sorted(args.pages.glob("*.png")):
            with _EngineClock() as clock:
                started = time.perf_counter()
                try:
                    doc = parse_bytes(path.read_bytes(), path.name)
                    rows = [(m.region, m.side, m.levels, m.bmd_g_cm2, m.t_score, m.z_score)
                            for m in doc.measurements]
                except ReportRejected as exc:
                    rows = [exc.code]
                total = time.perf_counter() - started
            print(f"{path.stem[-28:]:<30} engine {clock.seconds:6.2f} s  reader {total:6.2f} s"
                  f"  {rows}")


def _first_page(expected: list, document: bytes, layout: str, report: ReportDocument) -> list:
    """The printed rows on the printout's first page (its text layer names their sites)."""
    from parsers.pdf import read_pages
    from parsers.pdf.geometry import read_page_words

    pages, _ = read_page_words(document)
    try:
        first = read_pages(pages[:1], path="p1", sha256="0" * 64, kind="pdf").measurements
    except ReportRejected:
        return []
    on_page = {_key(m) for m in first}
    return [m for m in expected if _key(m) in on_page]


if __name__ == "__main__":
    main()
