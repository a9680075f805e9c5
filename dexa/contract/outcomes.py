"""What became of an input file: the ledger's ``outcome`` (CONTRACT.md, Tables).

A ``StrEnum``: each member is its string, so the ledger, the run metrics and the summary store
and print exactly ``processed``, ``quarantined``, ``duplicate`` and ``skipped``.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The outcome of one input file in one run; ``reason_code`` says why where it is not
    ``processed``. Declared in the order the run summary lists them."""

    PROCESSED = "processed"  # the scan's report and plan are stored
    QUARANTINED = "quarantined"  # rejected, or every measured value failed validation
    DUPLICATE = "duplicate"  # byte-identical to content already ledgered under another path
    SKIPPED = "skipped"  # outside a backfill's scan-date range; a later run may process it
