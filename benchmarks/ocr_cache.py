"""A disk cache of OCR results for development runs (benchmarks, devkit scoring): never in
the production path.

OCR costs ~10 s of CPU a page where every other step of reading an image costs milliseconds, so
iterating on the OCR line rebuild (``parsers/scanned``) against a corpus of pictures would take
most of an hour a pass. ``install(folder)`` patches ``parsers.image.ocr.OcrEngine`` in this
process only:

- ``read`` looks the page up by a key made of the page image's pixels (sha256 of mode, size and
  raw bytes), its stated dpi and page index, the engine settings (all but the thread count,
  which does not change what is read), the model files' names and sizes and the rapidocr
  version; a hit returns the stored ``OcrPage`` (what RapidOCR returned, before any of the
  reader's own steps), a miss runs the engine and stores its result;
- the engine's models load only at the first miss, so a run that hits everywhere starts no
  onnxruntime session.

The folder is named by ``DEXA_OCR_CACHE`` (``folder_from_env``) and must lie outside the
repository: the cached pages hold the text of report pages. Entries are pickles written
atomically (a temporary file renamed), so parallel runs may share a folder. Delete the folder
to start again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import asdict
from pathlib import Path

from PIL import Image

from parsers.image import ocr
from parsers.image.decode import PageImage

__all__ = ["ENV", "NotCached", "cache_key", "folder_from_env", "install", "installed"]

ENV = "DEXA_OCR_CACHE"
REPO = Path(__file__).resolve().parent.parent
_FORMAT = 1  # bump when what is stored changes shape


def folder_from_env() -> Path:
    """The cache folder named by ``DEXA_OCR_CACHE``; refuses one inside the repository."""
    value = os.environ.get(ENV)
    if not value:
        raise SystemExit(f"{ENV} is not set: name a cache folder outside the repository")
    folder = Path(value).expanduser().resolve()
    if folder == REPO or REPO in folder.parents:
        raise SystemExit(f"{ENV}={folder} lies inside the repository; choose a folder outside it")
    return folder


def _settings_token(settings: ocr.OcrSettings) -> str:
    fields = asdict(settings)
    fields.pop("threads", None)
    folder = (Path(settings.model_dir) if settings.model_dir is not None
              else ocr.installed_model_dir())
    models = []
    for name in sorted(ocr.MODEL_FILES.values()):
        path = folder / name
        models.append((name, path.stat().st_size if path.is_file() else None))
    try:
        from importlib.metadata import version
        engine_version = version("rapidocr")
    except Exception:  # noqa: BLE001 - not installed: the engine will say so on a miss
        engine_version = "?"
    return repr((_FORMAT, sorted((k, str(v)) for k, v in fields.items()), models,
                 engine_version))


def cache_key(page: PageImage | Image.Image, index: int | None,
              settings: ocr.OcrSettings) -> str:
    """The key of one page read with ``settings`` (hex sha256)."""
    image, dpi, page_index = ocr.page_parts(page, index)
    digest = hashlib.sha256()
    digest.update(repr((image.mode, image.size, dpi, page_index)).encode())
    digest.update(image.tobytes())
    digest.update(_settings_token(settings).encode())
    return digest.hexdigest()


_ORIGINAL: dict[str, object] = {}


def installed() -> bool:
    return bool(_ORIGINAL)


class NotCached(BaseException):  # not caught by the readers' boundaries
    """A page missing from the cache, where ``install(..., misses="raise")``."""


def install(folder: Path, *, misses: str = "run") -> None:
    """Patch ``OcrEngine`` in this process to read through the cache in ``folder``. A page not
    in the cache is read by the engine and stored (``misses="run"``) or raises ``NotCached``
    (``"raise"``: look at what a pass has cached so far without running the engine)."""
    if installed():
        return
    folder.mkdir(parents=True, exist_ok=True)
    original_init = ocr.OcrEngine.__init__
    original_read = ocr.OcrEngine.read
    original_recognise = ocr.OcrEngine.recognise
    _ORIGINAL.update(init=original_init, read=original_read, recognise=original_recognise)

    def lazy_init(self, settings: ocr.OcrSettings = ocr.DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.model_paths = ocr._model_paths(settings)  # a missing model still raises here
        self._rapid = None

    def through_cache(self, key: str, compute):  # noqa: ANN001, ANN202
        """The cached result of ``key``, else ``compute()`` stored under it."""
        path = folder / key[:2] / f"{key}.pickle"
        if path.is_file():
            try:
                return pickle.loads(path.read_bytes())
            except Exception:  # noqa: BLE001 - a damaged entry is read again
                pass
        if misses == "raise":
            raise NotCached(key)
        if self._rapid is None:
            original_init(self, self.settings)
        result = compute()
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        return result

    def cached_read(self, page, *, index=None):  # noqa: ANN001 - OcrEngine.read's signature
        return through_cache(self, cache_key(page, index, self.settings),
                             lambda: original_read(self, page, index=index))

    def cached_recognise(self, image):  # noqa: ANN001, ANN202 - OcrEngine.recognise's
        # a cell's picture: page index -1
        return through_cache(self, cache_key(image, -1, self.settings),
                             lambda: original_recognise(self, image))

    ocr.OcrEngine.__init__ = lazy_init  # type: ignore[method-assign]
    ocr.OcrEngine.read = cached_read  # type: ignore[method-assign]
    ocr.OcrEngine.recognise = cached_recognise  # type: ignore[method-assign]


def uninstall() -> None:
    """Undo ``install`` (tests)."""
    if not installed():
        return
    ocr.OcrEngine.__init__ = _ORIGINAL.pop("init")  # type: ignore[method-assign]
    ocr.OcrEngine.read = _ORIGINAL.pop("read")  # type: ignore[method-assign]
    ocr.OcrEngine.recognise = _ORIGINAL.pop("recognise")  # type: ignore[method-assign]
    ocr._ENGINES.clear()
