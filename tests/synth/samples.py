"""The files of ``sample_reports/``: which case each holds, how it is written, and what a
reader must return for it. ``scripts/make_samples.py`` writes them; the golden test reads them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from dexa.contract import ReportDocument
from tests.synth import cases, images, pdf, sr, text


@dataclass(frozen=True)
class Sample:
    path: str  # under sample_reports/
    case: Callable[[], ReportDocument]
    write: Callable[[ReportDocument], bytes]
    expect: Callable[[ReportDocument], ReportDocument]  # the document a reader should return
    kind: str | None = None  # source.kind, when the suffix does not tell it (pictures)


def _pdf(layout: str, writer: Callable[..., bytes], **options: object) -> dict:
    return {"write": lambda r: writer(r, **options),
            "expect": lambda r: pdf.printed(r, layout, **options)}


def _picture(layout: str, writer: Callable[..., bytes], wrap: Callable[..., bytes],
             dpi: float) -> dict:
    """A report printed by ``writer`` and sent as pictures of its pages (read by OCR)."""
    return {"write": lambda r: wrap(images.render(writer(r), dpi), dpi),
            "expect": lambda r: pdf.printed(r, layout), "kind": "image-ocr"}


SAMPLES: list[Sample] = [
    Sample("motivating-case/sr-ge_lunar_idxa-encore17.dcm", cases.motivating_case,
           sr.ge_enhanced_sr, lambda r: r),
    Sample("motivating-case/pdf-ge_lunar_idxa-encore17.pdf", cases.motivating_case,
           **_pdf("ge", pdf.ge_pdf)),
    Sample("motivating-case/sr-ge_lunar_idxa-no_frax.dcm",
           lambda: cases.motivating_case(with_frax=False), sr.ge_enhanced_sr, lambda r: r),
    Sample("osteoporosis/pdf-hologic_horizon-apex13.pdf", cases.osteoporosis_case,
           **_pdf("hologic", pdf.hologic_pdf)),
    Sample("normal-man/sr-comprehensive-generic.dcm", cases.normal_man_case,
           sr.generic_sr, lambda r: r),
    Sample("premenopausal-z/pdf-ge_lunar_prodigy-encore16-ancillary.pdf",
           cases.premenopausal_z_case, **_pdf("ge", pdf.ge_pdf, ancillary=True)),
    Sample("no-frax/text-dictated-canadian_style.txt", cases.no_frax_low_bone_mass_case,
           lambda r: text.dictated_text(r, style="canadian").encode(),
           lambda r: text.expected_document(r, style="canadian")),
    # visits: one study sent as several objects (the motivating case above is one, too)
    Sample("visit-split-spine-hip/sr-spine-ge_lunar_idxa.dcm",
           lambda: cases.split_visit_case("spine"), sr.ge_enhanced_sr, lambda r: r),
    Sample("visit-split-spine-hip/sr-hip-ge_lunar_idxa.dcm",
           lambda: cases.split_visit_case("hip"), sr.ge_enhanced_sr, lambda r: r),
    Sample("visit-conflict/sr-ge_lunar_idxa.dcm", lambda: cases.conflicting_visit_case(False),
           sr.ge_enhanced_sr, lambda r: r),
    Sample("visit-conflict/pdf-ge_lunar_idxa-reanalysed.pdf",
           lambda: cases.conflicting_visit_case(True), **_pdf("ge", pdf.ge_pdf)),
    # pictures of report pages (read by OCR): a screenshot sent as PNG, a scanned PDF
    Sample("normal-man/screenshot-ge_lunar_prodigy-narrative.png", cases.normal_man_case,
           **_picture("prodigy", pdf.prodigy_narrative_pdf, images.as_png, 150)),
    Sample("premenopausal-z/scan-ge_lunar_prodigy-narrative-150dpi.pdf",
           cases.premenopausal_z_case,
           **_picture("prodigy", pdf.prodigy_narrative_pdf, images.as_scanned_pdf, 150)),
]

KIND_BY_SUFFIX = {".dcm": "dicom-sr", ".pdf": "pdf", ".txt": "text"}


def expected_for(sample: Sample, data: bytes) -> ReportDocument:
    """The report document a reader must return for the sample's bytes."""
    report = sample.case()
    doc = sample.expect(report).model_copy(deep=True)
    doc.source.path = sample.path
    doc.source.sha256 = hashlib.sha256(data).hexdigest()
    doc.source.kind = sample.kind or KIND_BY_SUFFIX[  # type: ignore[assignment]
        sample.path[sample.path.rindex("."):]]
    if doc.source.kind == "dicom-sr":
        doc.study.study_uid = sr.study_uid_for(report)
        doc.source.created = sr.content_datetime(report)
        doc.patient.age_years = sr.written_age(report)
    return doc


# Inputs a site also sends, and the CONTRACT error code each must get.
BAD_SAMPLES: dict[str, tuple[Callable[[], bytes], str]] = {
    "rejected/empty-export.dcm": (lambda: b"", "empty"),
    "rejected/truncated-transfer.dcm": (
        lambda: sr.ge_enhanced_sr(cases.normal_man_case())[:700], "corrupt"),
    "rejected/not-a-dxa-report.pdf": (pdf.non_report_pdf, "not_dxa"),
}
