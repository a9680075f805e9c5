"""The typed errors of the image package, and its only import from ``dexa``.

Decoding failures are CONTRACT rejections (``dexa.contract.ReportRejected`` subclasses), so a
reader can let them through unchanged: an image too large to decode is ``too_large``, one in a
format or encoding this package cannot decode is ``unsupported_format``, damaged bytes are
``corrupt``. A PDF that cannot be opened (a password, damage) raises the contract's
``Encrypted`` or ``Corrupt`` from ``parsers.kit.pdf``, shared with the PDF reader.

An OCR engine that cannot start (a model file missing, onnxruntime absent) is *not* a property of
the input: it would fail every file alike. It is therefore not a ``ReportRejected`` (which would
quarantine each input in turn) but an ``OcrEngineError``, a defect of the installation that a run
should stop on.

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
