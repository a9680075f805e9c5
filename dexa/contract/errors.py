"""One exception per CONTRACT error code.

A reader raises one of these for input it cannot turn into a report document. The code is
mapped once, here, to the error document of CONTRACT.md; the flow maps it to the ledger outcome
and the quarantine row. Anything else a reader raises is a defect, caught at the boundary and
reported as ``corrupt`` so that no traceback reaches a user.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ReportRejected(Exception):
    """Base class: the input is not a readable DXA report. ``code`` is a CONTRACT error code."""

    code: ClassVar[str] = "corrupt"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def error_document(self, path: str) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "path": path}}


class NotDicom(ReportRejected):
    code = "not_dicom"


class NotDxa(ReportRejected):
    code = "not_dxa"


class Corrupt(ReportRejected):
    code = "corrupt"


class Encrypted(ReportRejected):
    code = "encrypted"


class NoTextLayer(ReportRejected):
    code = "no_text_layer"


class UnsupportedFormat(ReportRejected):
    code = "unsupported_format"


class NoMeasurements(ReportRejected):
    code = "no_measurements"


class TooLarge(ReportRejected):
    code = "too_large"


class Empty(ReportRejected):
    code = "empty"


class Unreadable(ReportRejected):
    """The file system refused the file's bytes (permissions, a flaky network share): not a
    fault of the content, so a run ledgers it ``unreadable`` and the next run tries again.
    An operational code beside CONTRACT's content codes, raised only where a file is read."""

    code = "unreadable"


ERROR_CODES: frozenset[str] = frozenset(
    cls.code for cls in (NotDicom, NotDxa, Corrupt, Encrypted, NoTextLayer, UnsupportedFormat,
                         NoMeasurements, TooLarge, Empty)
)
