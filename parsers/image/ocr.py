"""The OCR engine: page images -> words with boxes in page points, offline by construction.

``read_page(page)`` runs RapidOCR (PP-OCR detection + recognition on onnxruntime, Apache-2.0) on
one ``PageImage`` and returns an ``OcrPage``: the recognised *lines* (RapidOCR's text boxes), each
split into ``OcrWord``s. Boxes are in page points (72 per inch), y growing downwards, like the
characters of a PDF text layer, so that the layout reader can treat both alike. ``get_engine()``
returns the process's one engine, created on first use and reused (loading costs ~0.5 s and the
sessions hold ~100 MB).

Offline by construction
    The models are the ONNX files inside the installed ``rapidocr`` wheel (``MODEL_FILES``).
    Their paths are passed to RapidOCR explicitly (``Det.model_path``, ``Rec.model_path``): with a
    path RapidOCR only checks that the file exists, whereas without one it resolves a download
    URL and fetches the file (first use, or a checksum mismatch) into its package folder. The
    recogniser's character list is read from the ONNX metadata, so no dictionary is fetched
    either; the angle classifier is never loaded. A missing file raises ``OcrModelMissing``
    before RapidOCR is called. As a second guard, RapidOCR's downloader is replaced by one that
    raises while the engine loads its models (the only time RapidOCR downloads). Pages are given
    to RapidOCR as arrays, never as paths or URLs. onnxruntime's own telemetry (its Linux wheels
    queue usage events for upload to Microsoft) is switched off with ``ORT_DISABLE_TELEMETRY=1``,
    set when this module is imported; it must precede onnxruntime's import, so the engine refuses
    to start when onnxruntime was imported earlier without it. Tested by running the engine in a
    subprocess with an empty environment and HOME, in a network namespace of its own where the
    kernel allows one, with unroutable proxies and an audit hook refusing sockets: nothing may
    be attempted, and HOME (where onnxruntime would keep its device id) must stay empty
    (``tests/parsers/image/test_offline.py``).

Settings (``OcrSettings``), measured on this project's 2-core machine with rapidocr 3.10.0 and its
PP-OCRv6 "small" det/rec models (``benchmarks/bench_ocr.py``). "Real" is 252 BMD/T/Z cells
hand-checked on 11 of the 33 vendor pages in ``shared/dxa-samples/pages`` (150 dpi slides of
report screenshots), counted found only when read exactly, sign included, at the cell. "Synthetic"
is 240 numbers on 10 pages rendered from the project's synthetic Hologic/GE/Norland PDFs.

    ============================  ==========  ==========  ==========  ==========
    recall                        scale 1     scale 1.5   scale 2     scale 3
    ============================  ==========  ==========  ==========  ==========
    real, PNG                     97.2 %      **99.2 %**  98.8 %      98.8 %
    real, JPEG q75                95.6 %      94.4 %      94.4 %
    real, JPEG q50                94.8 %      95.6 %      95.6 %
    synthetic 100 dpi PNG         95.4 %      99.6 %
    synthetic 100 dpi JPEG q50    96.2 %      99.6 %
    synthetic 150 / 200 dpi       99.6 %      99.6 %
    synthetic 150 dpi, 1 deg skew 97.1 %      97.9 %
    CPU s/page (9 real pages)     7.9         10.4        13.6
    ============================  ==========  ==========  ==========  ==========

    - ``scale`` 1.5: the page is upscaled (Lanczos) before detection and recognition. It is what
      small text needs (100 dpi: 95.4 -> 99.6 %); 2 and 3 read no more and cost more. On
      JPEG-damaged pages no scale helps (the differences are 3 cells in 252). Lanczos read more
      than bicubic, nearest-neighbour or an unsharp mask at 2x (116, 114, 114, 112 of 119 cells
      on the four hardest pages). RapidOCR's own ``Global.max_side_len`` (2000) would shrink the
      upscaled page back, so it is raised to ``max_side``.
    - ``use_cls`` off: the 180-degree classifier flips small crops of upright text (``-0.8`` read
      as ``8'0-``). Pages must be upright; a page turned 90 or 180 degrees is not read. A scan
      skewed by 1 degree is (97.9 %): detection boxes are quadrilaterals.
    - ``text_score`` 0.5 (RapidOCR's default): no hand-checked value has a lower score at any
      scale (0.0, 0.3 and 0.5 give the same recall; 0.8 loses 1-2 cells), and it drops noise.
    - ``det_box_thresh`` 0.5, ``det_unclip_ratio`` 1.6 (defaults): 0.3 / 2.0 read 96.4 % at
      2x instead of 98.8 % (wider boxes take in neighbouring cells).
    - What still fails: decimal points of 1-px dots are dropped with full confidence (``-2.3``
      read as ``-23``, GE enCORE 16 ancillary tables); ``0`` read as ``a`` on JPEG pages. A
      layout reader should treat an integer in a one-decimal column as unreadable, not repair it.

Words
    RapidOCR returns one box per detected text line segment; widely spaced table cells come back
    as separate boxes, but single-spaced words share one. A line is split at spaces into words
    whose x extents are proportional to the characters' approximate advance widths (narrow
    characters such as ``.``, ``1`` and space count less), so that numbers can be assigned to
    table columns. Each word keeps its line's index (``OcrWord.line``) and the line object keeps
    its words, so the original grouping is not lost.

Resolution
    Points need the page's dpi. A page that states none (a screenshot, a Secondary Capture
    without spacing) is assumed to be a letter page on its long side (``ASSUMED_PAGE_INCHES``):
    ``OcrPage.dpi_assumed`` says so.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from parsers.image.decode import PageImage
from parsers.image.errors import OcrEngineError, OcrModelMissing

__all__ = [
    "ASSUMED_PAGE_INCHES",
    "DEFAULT_SETTINGS",
    "MODEL_FILES",
    "OcrEngine",
    "OcrLine",
    "OcrPage",
    "OcrSettings",
    "OcrWord",
    "get_engine",
    "installed_model_dir",
    "read_page",
    "read_pages",
    "split_line",
    "with_settings",
]

# onnxruntime's Linux wheels (1.30 and 1.32 checked) carry Microsoft 1DS telemetry: on first use
# they write a device id and an event queue under ~/.cache/Microsoft/DeveloperTools/.onnxruntime
# and upload to an events.data.microsoft.com collector. ORT_DISABLE_TELEMETRY=1 turns all of it
# off, but only if it is set before onnxruntime is imported (the choice is latched then):
# importing this module sets it, and the engine refuses to start if onnxruntime was imported
# earlier without it.
_ORT_TELEMETRY_OFF_AT_IMPORT = (
    "onnxruntime" not in sys.modules or os.environ.get("ORT_DISABLE_TELEMETRY") == "1")
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

MODEL_FILES = {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"}
"""The model files (inside the rapidocr wheel) the settings were measured with."""
ASSUMED_PAGE_INCHES = 11.0
"""Long side of a page whose resolution is unknown (US letter; A4 is 11.7)."""
_DPI_LIMITS = (72.0, 600.0)


@dataclass(frozen=True)
class OcrSettings:
    """How the engine reads a page. ``DEFAULT_SETTINGS`` holds the measured choice."""

    scale: float = 1.5
    """Upscaling factor applied before detection (1 = none); see the module docstring."""
    max_side: int = 4000
    """Upper bound of the upscaled page's long side, in pixels (the scale shrinks to fit)."""
    text_score: float = 0.5
    det_thresh: float = 0.3
    det_box_thresh: float = 0.5
    det_unclip_ratio: float = 1.6
    det_limit_side_len: int = 736
    rec_batch_num: int = 6
    threads: int = -1
    """onnxruntime intra-op threads; -1 lets onnxruntime choose (one per core)."""
    model_dir: Path | None = None
    """Folder holding ``MODEL_FILES``; None = the models shipped inside the rapidocr wheel."""


DEFAULT_SETTINGS = OcrSettings()


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A run of non-space characters. Box in page points, y downwards; ``page`` from 0;
    ``line`` indexes ``OcrPage.lines``; ``confidence`` is the line's recognition score."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    line: int

    @property
    def top(self) -> float:
        return self.y0

    @property
    def bottom(self) -> float:
        return self.y1


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One RapidOCR text box: its text, score, axis-aligned box (points) and quadrilateral
    (points, clockwise from top-left), and its words."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float
    quad: tuple[tuple[float, float], ...]
    page: int
    index: int
    words: tuple[OcrWord, ...]


@dataclass(frozen=True)
class OcrPage:
    """The OCR of one page. ``width``/``height`` in points; ``dpi`` the resolution used to
    convert pixels to points (``dpi_assumed`` when the input stated none); ``scale`` the
    upscaling applied; ``engine_seconds`` the time inside RapidOCR, ``seconds`` the whole call."""

    index: int
    width: float
    height: float
    dpi: float
    dpi_assumed: bool
    scale: float
    lines: tuple[OcrLine, ...]
    engine_seconds: float
    seconds: float

    @property
    def words(self) -> list[OcrWord]:
        return [word for line in self.lines for word in line.words]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def page_parts(page: PageImage | Image.Image,
               index: int | None = None) -> tuple[Image.Image, float | None, int]:
    """The image, its stated dpi (None: unknown) and its page index (``index`` wins)."""
    if isinstance(page, PageImage):
        image, dpi, page_index = page.image, page.dpi, page.index
    else:
        image, dpi, page_index = page, None, 0
    return image, dpi, page_index if index is None else index


def installed_model_dir() -> Path:
    """The ``models`` folder inside the installed rapidocr package."""
    try:
        import rapidocr
    except ImportError as exc:  # pragma: no cover - a broken install
        raise OcrEngineError(f"rapidocr is not installed ({exc})") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


class OcrEngine:
    """One RapidOCR instance with fixed settings. Use ``get_engine`` rather than building one:
    each holds its own onnxruntime sessions.

    Raises (on construction): ``OcrModelMissing`` when a model file is absent,
    ``OcrEngineError`` when RapidOCR or onnxruntime cannot start.
    """

    def __init__(self, settings: OcrSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.model_paths = _model_paths(settings)
        self._lock = threading.Lock()  # RapidOCR keeps per-call state on the instance
        self._rapid = _build_rapidocr(settings, self.model_paths)

    def _run(self, pixels: object, *, detect: bool):  # noqa: ANN202 - RapidOCR's result
        """RapidOCR on prepared pixels, one call at a time; with ``detect`` False, recognition
        alone of one short text. The angle classifier stays off (it flips small crops)."""
        try:
            with self._lock:
                return self._rapid(pixels, use_det=detect, use_cls=False, use_rec=True)
        except Exception as exc:  # onnxruntime raises its own types; not the input's fault
            raise OcrEngineError(
                f"the OCR engine failed ({type(exc).__name__}: {exc})") from exc

    def read(self, page: PageImage | Image.Image, *, index: int | None = None) -> OcrPage:
        """OCR one page (a ``PageImage``, or a bare Pillow image of unknown resolution)."""
        started = time.perf_counter()
        image, stated_dpi, page_index = page_parts(page, index)
        width_px, height_px = image.size
        dpi, assumed = _page_dpi(stated_dpi, width_px, height_px)
        scale = _effective_scale(self.settings, width_px, height_px)
        pixels = _prepare(image, scale)
        engine_started = time.perf_counter()
        result = self._run(pixels, detect=True)
        engine_seconds = time.perf_counter() - engine_started
        to_pt = 72.0 / (dpi * scale)
        lines = _lines(result, to_pt, page_index)
        return OcrPage(
            index=page_index,
            width=width_px * 72.0 / dpi,
            height=height_px * 72.0 / dpi,
            dpi=dpi,
            dpi_assumed=assumed,
            scale=scale,
            lines=tuple(lines),
            engine_seconds=engine_seconds,
            seconds=time.perf_counter() - started,
        )


    def recognise(self, image: Image.Image) -> tuple[str, float]:
        """Recognition alone, without detection, of the picture of one short text: its text
        and score (``("", 0.0)`` when nothing is read). For a cell the layout expects text in
        and the detector found none (a short row label: ``L3``); about 0.1 s a cell."""
        result = self._run(_prepare(image, 1.0), detect=False)
        texts = getattr(result, "txts", None) or ()
        scores = getattr(result, "scores", None) or ()
        if not texts or not scores or not str(texts[0]).strip():
            return "", 0.0
        return str(texts[0]).strip(), float(scores[0])


_ENGINES: dict[OcrSettings, OcrEngine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(settings: OcrSettings = DEFAULT_SETTINGS) -> OcrEngine:
    """The process's engine for ``settings``, created on first use.

    Raises:
        OcrModelMissing, OcrEngineError: see ``OcrEngine``.
    """
    engine = _ENGINES.get(settings)
    if engine is None:
        with _ENGINES_LOCK:
            engine = _ENGINES.get(settings)
            if engine is None:
                engine = _ENGINES[settings] = OcrEngine(settings)
    return engine


def read_page(page: PageImage | Image.Image, settings: OcrSettings = DEFAULT_SETTINGS) -> OcrPage:
    """OCR one page with the process's engine."""
    return get_engine(settings).read(page)


def read_pages(pages: Iterable[PageImage], settings: OcrSettings = DEFAULT_SETTINGS
               ) -> Iterator[OcrPage]:
    """OCR pages one by one (lazily: a caller may stop early)."""
    engine = get_engine(settings)
    for page in pages:
        yield engine.read(page)


# -- engine construction -----------------------------------------------------------------------


def _model_paths(settings: OcrSettings) -> dict[str, Path]:
    folder = Path(settings.model_dir) if settings.model_dir is not None else installed_model_dir()
    paths = {task: folder / name for task, name in MODEL_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise OcrModelMissing(
            "OCR model file(s) not found: " + ", ".join(missing)
            + " (they ship inside the rapidocr wheel; the engine never downloads models)")
    return paths


class _DownloadRefused(OcrModelMissing):
    pass


@contextlib.contextmanager
def _downloads_refused() -> Iterator[None]:
    """While the engine loads models, make RapidOCR's downloader raise instead of fetching."""
    from rapidocr.utils import download_file

    original = download_file.DownloadFile.run

    def refuse(cls, input_params):  # noqa: ANN001 - RapidOCR's signature
        raise _DownloadRefused(
            f"RapidOCR asked to download {getattr(input_params, 'file_url', '?')}; "
            "dexa's OCR engine never downloads (is a model file missing?)")

    download_file.DownloadFile.run = classmethod(refuse)
    try:
        yield
    finally:
        download_file.DownloadFile.run = original


def _build_rapidocr(settings: OcrSettings, paths: dict[str, Path]):  # -> rapidocr.RapidOCR
    if not _ORT_TELEMETRY_OFF_AT_IMPORT:
        raise OcrEngineError(
            "onnxruntime was imported before parsers.image.ocr without ORT_DISABLE_TELEMETRY=1: "
            "its telemetry uploader cannot be turned off any more in this process")
    try:
        import onnxruntime
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise OcrEngineError(f"rapidocr or onnxruntime is not installed ({exc})") from exc
    with contextlib.suppress(AttributeError):  # the opt-out above already covers it
        onnxruntime.disable_telemetry_events()
    params = {
        "Global.use_cls": False,
        "Global.log_level": "error",
        "Global.text_score": settings.text_score,
        "Global.max_side_len": settings.max_side,
        # The models folder RapidOCR would download into: the wheel's (or the given) folder.
        "Global.model_root_dir": str(paths["det"].parent),
        "Det.model_path": str(paths["det"]),
        "Det.limit_side_len": settings.det_limit_side_len,
        "Det.thresh": settings.det_thresh,
        "Det.box_thresh": settings.det_box_thresh,
        "Det.unclip_ratio": settings.det_unclip_ratio,
        "Rec.model_path": str(paths["rec"]),
        "Rec.rec_batch_num": settings.rec_batch_num,
        "EngineConfig.onnxruntime.intra_op_num_threads": settings.threads,
    }
    warm = np.full((48, 160, 3), 255, dtype=np.uint8)
    warm[20:28, 20:140] = 0  # a bar: detection finds a box, so recognition loads too
    try:
        with _downloads_refused():
            engine = RapidOCR(params=params)
            # Load both models now (RapidOCR loads lazily): failures surface here, not mid-run.
            engine(warm, use_det=True, use_cls=False, use_rec=False)
            engine(warm, use_det=False, use_cls=False, use_rec=True)
    except OcrEngineError:
        raise
    except FileNotFoundError as exc:
        raise OcrModelMissing(f"OCR model file not found ({exc})") from exc
    except Exception as exc:  # onnxruntime and omegaconf raise their own types
        raise OcrEngineError(f"the OCR engine cannot start ({type(exc).__name__}: {exc})") from exc
    return engine


# -- one page ----------------------------------------------------------------------------------


def _page_dpi(stated: float | None, width_px: int, height_px: int) -> tuple[float, bool]:
    if stated:
        return float(stated), False
    low, high = _DPI_LIMITS
    return min(max(max(width_px, height_px) / ASSUMED_PAGE_INCHES, low), high), True


def _effective_scale(settings: OcrSettings, width_px: int, height_px: int) -> float:
    long_side = max(width_px, height_px, 1)
    return max(min(settings.scale, settings.max_side / long_side), 0.05)


def _prepare(image: Image.Image, scale: float) -> np.ndarray:
    """RGB pixels in the BGR order RapidOCR uses for arrays, upscaled by ``scale``."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if abs(scale - 1.0) > 1e-6:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


def _lines(result, to_pt: float, page: int) -> list[OcrLine]:
    boxes = getattr(result, "boxes", None)
    texts = getattr(result, "txts", None)
    scores = getattr(result, "scores", None)
    if boxes is None or texts is None or scores is None:
        return []
    lines: list[OcrLine] = []
    for box, text, score in zip(boxes, texts, scores, strict=False):
        text = str(text).strip()
        if not text:
            continue
        quad = tuple((float(x) * to_pt, float(y) * to_pt) for x, y in np.asarray(box)[:4])
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        index = len(lines)
        words = tuple(
            OcrWord(word, float(score), wx0, y0, wx1, y1, page, index)
            for word, wx0, wx1 in split_line(text, x0, x1)
        )
        lines.append(OcrLine(text, float(score), x0, y0, x1, y1, quad, page, index, words))
    return lines


# Approximate advance widths, in units of an average character, for proportional splitting.
_NARROW = frozenset(" .,:;'`!|()[]{}1iIjlrtf/\\-\"")
_WIDE = frozenset("MWmw%@")


def _advance(ch: str) -> float:
    if ch in _NARROW:
        return 0.55
    if ch in _WIDE:
        return 1.45
    return 1.0


def split_line(text: str, x0: float, x1: float) -> list[tuple[str, float, float]]:
    """Split a line's text at whitespace into ``(word, x0, x1)``, placing each word by the
    approximate advance widths of the characters before it (see ``_advance``)."""
    text = " ".join(text.split())
    if not text:
        return []
    edges = [0.0]  # edges[i]: advance before character i
    for ch in text:
        edges.append(edges[-1] + _advance(ch))
    unit = (x1 - x0) / edges[-1]
    out: list[tuple[str, float, float]] = []
    start: int | None = None
    for i, ch in enumerate(text + " "):
        if ch == " ":
            if start is not None:
                out.append((text[start:i], x0 + edges[start] * unit, x0 + edges[i] * unit))
                start = None
        elif start is None:
            start = i
    return out


def with_settings(**changes: object) -> OcrSettings:
    """``DEFAULT_SETTINGS`` with some fields changed (benchmarks, tests)."""
    return replace(DEFAULT_SETTINGS, **changes)  # type: ignore[arg-type]

