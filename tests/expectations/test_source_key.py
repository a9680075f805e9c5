"""A source is named by what its reports state: `dexa dq` once alerted on "unknown / unknown"."""

from __future__ import annotations

from dexa.contract import ReportDocument, Source
from expectations.metrics import source_key


def _report(vendor: str | None, device: str | None) -> ReportDocument:
    return ReportDocument(source=Source(path="x", sha256="a" * 64, kind="text", vendor=vendor,
                                        device=device))


def test_a_source_without_vendor_or_device_is_named_by_its_kind() -> None:
    assert source_key(_report(None, None)) == "text reports without vendor or device"
    assert source_key(_report("Hologic", None)) == "Hologic / device not stated"
    assert source_key(_report("GE Healthcare", "Lunar iDXA")) == "GE Healthcare / Lunar iDXA"
