"""The typed errors of the image package, and its only import from ``dexa``.

Decoding failures are CONTRACT rejections (``dexa.contract.ReportRejected`` subclasses), so a
reader can let them through unchanged: an image too large to decode is ``too_large``, one in a
format or encoding this package cannot decode is ``unsupported_format``, damaged bytes are
``corrupt``. A PDF that cannot be opened (a password, damage) raises the contract's
``Encrypted`` or ``Corrupt`` from ``parsers.kit.pdf``, shared with the PDF reader.

An OCR engine that cannot start (a model file missing, onnxruntime absent) or fails while it runs
is *not* a property of the input: it raises ``OcrEngineError``, not a ``ReportRejected``. The
reader of pictures (``parsers.scanned``) turns it into ``OcrUnavailable``, the CONTRACT's
``unsupported_format`` for the file at hand (this installation cannot read pictures; also for a
scanned PDF or a DICOM image, whose own ``no_text_layer`` would blame the file), so that a run
ledgers and quarantines
each picture with that reason and goes on with its other files; ``dexa reread --all`` reads them
again once the engine is mended.

Every name this package needs from ``dexa`` is imported here and nowhere else, from the
contract's face (``dexa.contract``), as the import contracts in ``pyproject.toml`` require.
"""

from __future__ import annotations

from dexa.contract import Corrupt, TooLarge, UnsupportedFormat

__all__ = [
    "CorruptImage",
    "ImageTooLarge",
    "OcrEngineError",
    "OcrModelMissing",
    "OcrUnavailable",
    "UnsupportedImage",
]


class ImageTooLarge(TooLarge):
    """The decoded pixels would exceed the package's limits (a decompression bomb, or a page
    count no report has)."""


class UnsupportedImage(UnsupportedFormat):
    """Not an image this package decodes (format, compression or photometry)."""


class CorruptImage(Corrupt):
    """The bytes claim a supported format but cannot be decoded."""


class OcrEngineError(RuntimeError):
    """The OCR engine cannot run here. Not an input rejection: every input would fail alike."""


class OcrModelMissing(OcrEngineError):
    """A model file the engine needs is not installed. The engine never downloads one."""


class OcrUnavailable(UnsupportedFormat):
    """A picture this installation cannot read: the OCR engine cannot run (``OcrEngineError``).
    Raised per file by the reader of pictures, so that a run quarantines it and goes on."""
