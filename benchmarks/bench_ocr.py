"""OCR engine: seconds per page and recall of printed numbers.

    python benchmarks/bench_ocr.py [PAGES_DIR] [--limit N] [--truth FILE] [--jpeg 50,70,90]
                                   [--synthetic] [--scale S] [--no-timing]

PAGES_DIR (default ``../shared/dxa-samples/pages``, relative to the current directory) holds
report pages as PNG. For each page it prints three times:

- ``rapid``: ``RapidOCR()(image)`` as the package ships it (its defaults, angle classifier on),
  for reference;
- ``engine``: the bare RapidOCR call with dexa's settings on the already upscaled page (the
  engine's own share of the reader's time);
- ``reader``: ``decode_pages`` + ``read_page`` on the file's bytes (decoding, upscaling, the
  engine, words in points). The reader should add at most 20 % to ``engine``; the overhead is
  printed on wall time and on CPU time (all threads), the latter steadier on a busy machine.

and the number-like tokens (``-?\\d+\\.\\d+``) the reader returns, with how many carry a minus.
``--truth FILE`` scores exact recall against hand-checked values: a JSON object
``{page stem: [[value, x_px, y_px], ...]}`` with the centre of each printed BMD/T/Z cell in the
page's pixels. (Truth made from the unlicensed sample pages is kept outside the repository.)
``--jpeg`` re-encodes each page at those JPEG qualities and scores it again (no timing).
``--synthetic`` renders the project's synthetic vendor PDFs (``tests/synth``: Hologic with
Unicode minus signs, GE, GE ancillary, Norland) at 100, 150 and 200 dpi as PNG, at 150 and 100
dpi as JPEG (quality 75, 50) and turned 1 degree (a skewed scan), and scores the OCR against
the PDF's own text layer: every number printed must be found, with its sign, where it is
printed.

Nothing is written to disk. Timings on a shared 2-core machine vary with its load: compare
columns measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from parsers.image.decode import PageImage, decode_pages  # noqa: E402
from parsers.image.ocr import (  # noqa: E402
    DEFAULT_SETTINGS,
    OcrPage,
    OcrSettings,
    get_engine,
    with_settings,
)

NUMBER = re.compile(r"[-\u2212\u2013]?\d+\.\d+")
DEFAULT_PAGES = Path("../shared/dxa-samples/pages")  # from the project's root, as in CI


def _norm(text: str) -> str:
    return text.replace("\u2212", "-").replace("\u2013", "-")


@dataclass
class Token:
    value: str
    x: float  # centre, in the unit of the truth it is compared with
    y: float


def tokens(page: OcrPage, unit_per_pt: float) -> list[Token]:
    """Number-like tokens inside the OCR words, centres converted by ``unit_per_pt``."""
    out: list[Token] = []
    for word in page.words:
        for match in NUMBER.finditer(word.text):
            share = (match.start() + match.end()) / 2 / max(len(word.text), 1)
            x = word.x0 + (word.x1 - word.x0) * share
            out.append(Token(_norm(match.group()), x * unit_per_pt,
                             (word.y0 + word.y1) / 2 * unit_per_pt))
    return out


def hit_flags(found: list[Token], truth: Iterable[tuple[str, float, float]], *, dx: float,
              dy: float) -> list[tuple[bool, str]]:
    """Per truth value: found or not, and a description. A value is found by a token with
    exactly its text (signs included) whose centre lies within dx, dy of the truth's."""
    out: list[tuple[bool, str]] = []
    for value, x, y in truth:
        value = _norm(value)
        near = [t.value for t in found if abs(t.x - x) <= dx and abs(t.y - y) <= dy]
        out.append((value in near, f"{value}@({x:.0f},{y:.0f}) read {near or 'nothing'}"))
    return out


def score(found: list[Token], truth: Iterable[tuple[str, float, float]], *, dx: float,
          dy: float) -> tuple[int, int, list[str]]:
    """(hits, total, descriptions of the misses)."""
    flags = hit_flags(found, truth, dx=dx, dy=dy)
    return (sum(ok for ok, _ in flags), len(flags), [text for ok, text in flags if not ok])


def _rapid_default():
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def _upscaled(image: Image.Image, settings: OcrSettings):
    from parsers.image.ocr import _effective_scale, _prepare

    return _prepare(image, _effective_scale(settings, *image.size))


def real_pages(directory: Path, args: argparse.Namespace, settings: OcrSettings,
               truth: dict[str, list]) -> None:
    files = sorted(directory.glob("*.png"))[: args.limit or None]
    if not files:
        sys.exit(f"no PNG pages in {directory}")
    engine = get_engine(settings)
    rapid = None if args.no_timing else _rapid_default()
    print(f"\n## {len(files)} pages from {directory} (scale {settings.scale}, "
          f"text_score {settings.text_score}, box_thresh {settings.det_box_thresh}, "
          f"unclip {settings.det_unclip_ratio})\n")
    header = f"{'page':40} {'rapid s':>8} {'engine s':>8} {'reader s':>8} {'+% wall':>7} " \
             f"{'+% cpu':>6} {'numbers':>7} {'minus':>5} {'recall':>7}"
    engine.read(decode_pages(files[0].read_bytes())[0])  # warm-up, not timed
    print(header)
    print("-" * len(header))
    sums = {"rapid": 0.0, "engine": 0.0, "reader": 0.0, "engine_cpu": 0.0, "reader_cpu": 0.0}
    hits_all = total_all = numbers_all = minus_all = 0
    misses_all: list[str] = []
    for path in files:
        data = path.read_bytes()
        image = Image.open(io.BytesIO(data)).convert("RGB")
        rapid_s = engine_s = engine_cpu = float("nan")
        if rapid is not None:
            started = time.perf_counter()
            rapid(image)
            rapid_s = time.perf_counter() - started
            pixels = _upscaled(image, settings)
            started, cpu = time.perf_counter(), time.process_time()
            engine._rapid(pixels, use_det=True, use_cls=False, use_rec=True)
            engine_s = time.perf_counter() - started
            engine_cpu = time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        pages = decode_pages(data)
        ocr = engine.read(pages[0])
        reader_s = time.perf_counter() - started
        reader_cpu = time.process_time() - cpu
        found = tokens(ocr, ocr.dpi / 72.0)  # back to the page's pixels
        numbers_all += len(found)
        minus = sum(t.value.startswith("-") for t in found)
        minus_all += minus
        recall = ""
        if path.stem in truth:
            hits, total, misses = score(found, truth[path.stem], dx=25, dy=9)
            hits_all += hits
            total_all += total
            misses_all += [f"{path.stem}: {m}" for m in misses]
            recall = f"{hits}/{total}"
        for key, value in (("rapid", rapid_s), ("engine", engine_s), ("reader", reader_s),
                           ("engine_cpu", engine_cpu), ("reader_cpu", reader_cpu)):
            sums[key] += value
        extra = 100 * (reader_s / engine_s - 1)
        extra_cpu = 100 * (reader_cpu / engine_cpu - 1)
        name = path.stem if len(path.stem) <= 40 else "..." + path.stem[-37:]
        print(f"{name:40} {rapid_s:8.2f} {engine_s:8.2f} {reader_s:8.2f} "
              f"{extra:7.0f} {extra_cpu:6.0f} {len(found):7d} {minus:5d} {recall:>7}")
    n = len(files)
    print("-" * len(header))
    overhead = 100 * (sums["reader"] / sums["engine"] - 1)
    overhead_cpu = 100 * (sums["reader_cpu"] / sums["engine_cpu"] - 1)
    print(f"{'mean per page / total':40} {sums['rapid'] / n:8.2f} {sums['engine'] / n:8.2f} "
          f"{sums['reader'] / n:8.2f} {overhead:7.0f} {overhead_cpu:6.0f} {numbers_all:7d} "
          f"{minus_all:5d} {(f'{hits_all}/{total_all}' if total_all else ''):>7}")
    if total_all:
        print(f"\nexact recall of hand-checked values: {hits_all}/{total_all} = "
              f"{100 * hits_all / total_all:.1f} %")
        for miss in misses_all:
            print("  miss", miss)
    if args.jpeg:
        print()
        for quality in args.jpeg:
            hits_q = total_q = numbers_q = minus_q = 0
            for path in files:
                image = Image.open(path).convert("RGB")
                buf = io.BytesIO()
                image.save(buf, "JPEG", quality=quality)
                [page] = decode_pages(buf.getvalue())
                ocr = engine.read(PageImage(page.image, 0, 150.0, "jpeg"))
                found = tokens(ocr, ocr.dpi / 72.0)
                numbers_q += len(found)
                minus_q += sum(t.value.startswith("-") for t in found)
                if path.stem in truth:
                    hits, total, _ = score(found, truth[path.stem], dx=25, dy=9)
                    hits_q += hits
                    total_q += total
            rate = f"{hits_q}/{total_q} = {100 * hits_q / total_q:.1f} %" if total_q else "-"
            print(f"JPEG quality {quality}: numbers {numbers_q}, with minus {minus_q}, "
                  f"recall {rate}")


SYNTHETIC_VARIANTS = [(100, "png"), (150, "png"), (200, "png"), (150, "jpeg75"), (150, "jpeg50"),
                      (100, "jpeg50"), (150, "rot1")]


def synthetic(settings: OcrSettings) -> None:
    import pypdfium2 as pdfium

    from parsers.pdf.geometry import read_text_layer
    from tests.synth import cases
    from tests.synth import pdf as synth

    makers = [
        ("hologic", lambda r: synth.hologic_pdf(r, unicode_minus=True)),
        ("ge", lambda r: synth.ge_pdf(r)),
        ("ge ancillary", lambda r: synth.ge_pdf(r, ancillary=True, v12_header=True)),
        ("norland", lambda r: synth.norland_pdf(r)),
    ]
    documents = [(name, make(cases.motivating_case())) for name, make in makers]
    engine = get_engine(settings)
    print(f"\n## synthetic pages ({len(documents)} PDFs, scale {settings.scale})\n")
    print(f"{'variant':14} {'pages':>5} {'s/page':>7} {'numbers':>8} {'found':>6} "
          f"{'recall':>7} {'minus ok':>9}")
    for dpi, variant in SYNTHETIC_VARIANTS:
        hits = total = minus_total = minus_hits = pages = 0
        seconds = 0.0
        for _name, data in documents:
            layer = read_text_layer(data)
            truth_by_page: dict[int, list[tuple[str, float, float]]] = {}
            for line in layer.lines:
                for word in line.words:
                    for m in NUMBER.finditer(word.text):
                        share = (m.start() + m.end()) / 2 / len(word.text)
                        truth_by_page.setdefault(line.page, []).append(
                            (m.group(), word.x0 + (word.x1 - word.x0) * share,
                             (word.top + word.bottom) / 2))
            doc = pdfium.PdfDocument(data)
            for index in range(len(doc)):
                image = doc[index].render(scale=dpi / 72).to_pil().convert("RGB")
                if variant.startswith("jpeg"):
                    buf = io.BytesIO()
                    image.save(buf, "JPEG", quality=int(variant[4:]))
                    image = Image.open(buf).convert("RGB")
                elif variant == "rot1":  # a scan 1 degree askew (counter-clockwise)
                    image = image.rotate(1.0, resample=Image.Resampling.BICUBIC,
                                         fillcolor="white")
                started = time.perf_counter()
                ocr = engine.read(PageImage(image, index, float(dpi), "png"))
                seconds += time.perf_counter() - started
                pages += 1
                found = tokens(ocr, 1.0)  # points, like the text layer
                truth = truth_by_page.get(index, [])
                if variant == "rot1":
                    truth = _rotated(truth, 1.0, image.width * 36 / dpi,
                                     image.height * 36 / dpi)
                flags = hit_flags(found, truth, dx=8, dy=4)
                hits += sum(ok for ok, _ in flags)
                total += len(flags)
                for (value, _, _), (ok, _) in zip(truth, flags, strict=True):
                    if value[0] in "-\u2212":
                        minus_total += 1
                        minus_hits += ok
            doc.close()
        print(f"{dpi:>3} dpi {variant:6} {pages:5d} {seconds / max(pages, 1):7.2f} "
              f"{total:8d} {hits:6d} {100 * hits / max(total, 1):6.1f}% "
              f"{minus_hits:4d}/{minus_total:<4d}")


def _rotated(points: list[tuple[str, float, float]], degrees: float, cx: float, cy: float
             ) -> list[tuple[str, float, float]]:
    """Where points land when the page turns ``degrees`` counter-clockwise about (cx, cy)
    (y grows downwards)."""
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    return [(value, cx + (x - cx) * cos + (y - cy) * sin, cy - (x - cx) * sin + (y - cy) * cos)
            for value, x, y in points]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    parser.add_argument("--truth", type=Path, help="JSON of hand-checked values (see above)")
    parser.add_argument("--jpeg", type=lambda s: [int(q) for q in s.split(",")], default=[])
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--no-real", action="store_true", help="skip PAGES_DIR")
    parser.add_argument("--no-timing", action="store_true", help="reader only, no baselines")
    parser.add_argument("--scale", type=float, default=DEFAULT_SETTINGS.scale)
    parser.add_argument("--text-score", type=float, default=DEFAULT_SETTINGS.text_score)
    parser.add_argument("--box-thresh", type=float, default=DEFAULT_SETTINGS.det_box_thresh)
    parser.add_argument("--unclip", type=float, default=DEFAULT_SETTINGS.det_unclip_ratio)
    args = parser.parse_args()
    settings = with_settings(scale=args.scale, text_score=args.text_score,
                             det_box_thresh=args.box_thresh, det_unclip_ratio=args.unclip)
    started = time.perf_counter()
    get_engine(settings)
    print(f"engine ready in {time.perf_counter() - started:.2f} s "
          f"(models: {', '.join(p.name for p in get_engine(settings).model_paths.values())})")
    truth = json.loads(args.truth.read_text()) if args.truth else {}
    if not args.no_real:
        real_pages(args.pages, args, settings, truth)
    if args.synthetic:
        synthetic(settings)


if __name__ == "__main__":
    main()
