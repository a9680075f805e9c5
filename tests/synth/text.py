"""Render a synthetic ``ReportDocument`` (``tests.synth.cases``) as a dictated / plain-text DXA
report, in the styles of dxa-formats.md §2.4-2.5:

* ``ucsf``: ``BONE DENSITOMETRY REPORT <date>``, ``CLINICAL DATA:``, ``COMPARISON:``, ``RESULTS:``
  lines ``L1-L4 Total  BMD values= 1.163 T-score= 0.7 Z-score= 1.9``;
* ``wustl``: ``EXAMINATION:`` / ``DATE OF STUDY:`` / ``HISTORY:`` and ``SPINE: L1-L4 T-Score: …``
  (no BMD in the text: "see separate printout");
* ``canadian``: machine-written ``LUMBAR SPINE (L1-L4) = 1.022 g/cm2. T-score = -1.3`` (Z-score
  instead under 50), changes "compared to the previous", ``LSC … at MH: …``;
* ``narrative``: GE young-patient template sentences ("The bone mineral density measured at the
  left femoral neck is 0.618 g/cm2 with a T-score of -2.0").

:func:`dictated_text` is the writer; :func:`expected_document` is what a reader should make of
that text (the case, minus what the style does not print). All values are synthetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from dexa.contract import Measurement, ReportDocument

Style = Literal["ucsf", "wustl", "canadian", "narrative"]
DateFormat = Literal["numeric", "long", "short", "dash", "iso", "dotted"]
STYLES: tuple[Style, ...] = ("ucsf", "wustl", "canadian", "narrative")
DATE_FORMATS: tuple[DateFormat, ...] = ("numeric", "long", "short", "dash", "iso", "dotted")


def format_date(iso: str, date_format: DateFormat = "numeric", *, day_first: bool = False) -> str:
    d = dt.date.fromisoformat(iso)
    if date_format == "numeric":
        return f"{d.day:02d}/{d.month:02d}/{d.year}" if day_first else f"{d.month}/{d.day}/{d.year}"
    return {
        "long": d.strftime("%B %d, %Y"),
        "short": f"{d.strftime('%b')} {d.day}, {d.year}",
        "dash": d.strftime("%d-%b-%Y"),
        "iso": d.isoformat(),
        "dotted": d.strftime("%d.%m.%Y"),
    }[date_format]


_REGION_WORDS = {
    "femoral_neck": "femoral neck", "total_hip": "total hip", "trochanter": "trochanter",
    "radius_33": "radius 33%", "radius_ultradistal": "ultradistal radius",
    "total_body": "total body",
}


def site_label(m: Measurement, style: Style) -> str:
    side = f"{m.side} " if m.side in ("left", "right") else ""
    if m.region in ("lumbar_spine", "vertebra"):
        levels = m.levels or "L1-L4"
        return {"ucsf": f"{levels} Total", "wustl": f"SPINE: {levels}",
                "canadian": f"LUMBAR SPINE ({levels})",
                "narrative": f"the {levels} lumbar spine"}[style]
    if style == "ucsf":
        names = {"femoral_neck": "Femur Neck", "total_hip": "Total Femur"}
        return f"{side.title()}{names.get(m.region, _REGION_WORDS[m.region].title())}"
    if style == "wustl":
        part = "FOREARM" if m.region.startswith(("radius", "ulna", "forearm")) else "HIP"
        return f"{part}: {side.title()}{_REGION_WORDS[m.region].title()}"
    if style == "canadian":
        names = {"femoral_neck": f"{side}femoral neck", "total_hip": f"total proximal {side}femur",
                 "radius_33": f"1/3 {side}radius"}
        return names.get(m.region, f"{side}{_REGION_WORDS[m.region]}").upper()
    return f"the {side}{_REGION_WORDS[m.region]}"


def _vendor(report: ReportDocument) -> str:
    """The densitometer's maker as the UCSF-style technique names it (values of the synthetic
    cases are on that maker's scale, so the text must not claim another)."""
    return {"GE Healthcare": "GE Healthcare", "Norland": "Norland"}.get(
        report.source.vendor or "", "Hologic")


def _num(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "[ ]"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _scores_printed(report: ReportDocument, style: Style) -> set[str]:
    if style == "canadian":  # the Canadian text prints the Z-score instead under 50
        age = report.patient.age_years
        return {"z_score"} if age is not None and age < 50 else {"t_score"}
    return {"t_score", "z_score"}


def _measurement_line(m: Measurement, report: ReportDocument, style: Style) -> str:
    label = site_label(m, style)
    scores = _scores_printed(report, style)
    if style == "ucsf":
        return f"{label:<18} BMD values= {m.bmd_g_cm2:.3f} T-score= {_num(m.t_score)} " \
               f"Z-score= {_num(m.z_score)}"
    if style == "wustl":
        return f"{label} T-Score: {_num(m.t_score)} Z-Score: {_num(m.z_score)}"
    if style == "canadian":
        name, value = ("Z-score", m.z_score) if "z_score" in scores else ("T-score", m.t_score)
        return f"{label} = {m.bmd_g_cm2:.3f} g/cm2. {name} = {_num(value, signed=True)}"
    parts = [f"The bone mineral density measured at {label} is {m.bmd_g_cm2:.3f} gm/cm2"]
    if m.t_score is not None:
        parts.append(f"with a T-score of {_num(m.t_score)}")
    if m.z_score is not None:
        joiner = "and" if m.t_score is not None else "with"
        parts.append(f"{joiner} a Z-score of {_num(m.z_score)}")
    return " ".join(parts) + "."


def _history(report: ReportDocument, style: Style) -> str:
    p = report.patient
    sex = {"F": "female", "M": "male"}.get(p.sex or "", "patient")
    meno = {"pre": "premenopausal ", "peri": "perimenopausal ", "post": "postmenopausal "}.get(
        p.menopausal_status or "", "")
    age = f"{int(p.age_years)}" if p.age_years is not None else "[ ]"
    opening = (f"{age} years old {meno}{sex.title()}." if style == "ucsf"
               else f"{age}-year-old {meno}{sex}.")
    return " ".join(x for x in (opening, _fractures(report), _therapy(report)) if x)


_FRACTURE_WORDS = {"hip": "hip", "vertebral": "vertebral compression", "other_fragility": "wrist"}


def _fractures(report: ReportDocument) -> str:
    fx = report.fracture_history.model_dump()
    if all(v is False for v in fx.values()):
        return "No history of fracture."
    said = [f"History of a {_FRACTURE_WORDS[k]} fracture after a fall from standing height."
            for k, v in fx.items() if v is True]
    said += [f"No {'other fragility' if k == 'other_fragility' else k} fracture."
             for k, v in fx.items() if v is False]
    return " ".join(said)


def _therapy(report: ReportDocument) -> str:
    if report.therapy.status == "on_therapy":
        return f"Currently taking {report.therapy.current}."
    if report.therapy.status == "untreated":
        return "Not on any osteoporosis medication; takes calcium and vitamin D."
    return ""


def _frax(report: ReportDocument) -> str:
    f = report.frax
    if f is None:
        return ""
    bmd = {True: " with BMD", False: " without BMD"}.get(f.with_bmd, "")  # type: ignore[arg-type]
    model = f" ({f.country} model)" if f.country else ""
    return (f"FRAX{model}: the 10-year probability of a hip fracture is {f.hip_pct}% and of a "
            f"major osteoporotic fracture is {f.major_osteoporotic_pct}%, calculated{bmd}.")


def _current(report: ReportDocument, region: str, side: str | None, levels: str | None
             ) -> Measurement | None:
    return next((m for m in report.measurements
                 if (m.region, m.side, m.levels) == (region, side, levels)), None)


def _prior_lines(report: ReportDocument, style: Style, fmt: DateFormat, day_first: bool
                 ) -> list[str]:
    out = []
    for prior in report.priors:
        date = format_date(prior.scan_date or "", fmt, day_first=day_first)
        probe = Measurement(region=prior.region, side=prior.side, levels=prior.levels)
        label = site_label(probe, style)
        current = _current(report, prior.region, prior.side, prior.levels)
        if style == "ucsf":
            out.append(f"Prior {label} BMD values= {prior.bmd_g_cm2:.3f} ({date})")
        elif style == "narrative":
            out.append(f"On the previous study of {date}, the BMD at {label} was "
                       f"{prior.bmd_g_cm2:.3f} g/cm2.")
        elif style == "canadian" and current and current.bmd_g_cm2 is not None:
            change = Decimal(str(current.bmd_g_cm2)) - Decimal(str(prior.bmd_g_cm2))
            word = "increased" if change >= 0 else "decreased"
            out.append(f"{label}: this value has {word} by {abs(change):.3f} g/cm2 compared to "
                       f"the previous ({date}).")
    return out


def _lsc_line(report: ReportDocument, style: Style) -> str:
    if not report.lsc:
        return ""
    parts = [f"{site_label(Measurement(region=x.region, side=x.side, levels=x.levels), 'ucsf')}"
             f" - {x.g_cm2:.3f} gm/cm2" for x in report.lsc]
    return "LSC (least significant change) at MH: " + " ".join(parts)


def dictated_text(report: ReportDocument, *, style: Style = "ucsf",
                  date_format: DateFormat = "numeric", day_first: bool = False) -> str:
    """The report as a dictated text in ``style``; dates in ``date_format`` (``numeric`` is
    ``M/D/YYYY``, or ``DD/MM/YYYY`` with ``day_first``)."""
    p, s = report.patient, report.study

    def date(iso: str | None) -> str:
        return format_date(iso, date_format, day_first=day_first) if iso else "[ ]"

    ids = [f"MRN: {p.id}" if p.id else "", f"DOB: {date(p.birth_date)}" if p.birth_date else "",
           f"Accession: {s.accession}" if s.accession else ""]
    body = "   ".join(x for x in ids if x)
    size = (f"Height: {p.height_cm:.1f} cm   Weight: {p.weight_kg:.1f} kg"
            if p.height_cm and p.weight_kg else "")
    ethnicity = f"Ethnicity: {p.ethnicity}" if p.ethnicity else ""
    reference = (f"Reference database: {s.reference_database}" if s.reference_database else "")
    rows = [_measurement_line(m, report, style) for m in report.measurements]
    priors = _prior_lines(report, style, date_format, day_first)
    prior_date = date(report.priors[0].scan_date) if report.priors else None
    lsc, frax = _lsc_line(report, style), _frax(report)
    if style == "ucsf":
        lines = [f"BONE DENSITOMETRY REPORT {date(s.scan_date)} 2:52 PM",
                 "Lumbar spine and hip DXA (Dual Energy X-ray Absorptiometry)", body, size,
                 ethnicity, f"CLINICAL DATA: {_history(report, style)}",
                 f"COMPARISON: {prior_date}" if prior_date else "COMPARISON: None.", *priors,
                 "TECHNIQUE: A DXA was performed of the lumbar spine and the proximal femur "
                 f"using a {_vendor(report)} densitometer.", reference, "RESULTS:", *rows, lsc, "",
                 "IMPRESSION:", frax, "RECOMMENDATIONS: Vitamin D, calcium, and weight bearing "
                 "exercise. Follow-up DXA in two years."]
    elif style == "wustl":
        lines = ["EXAMINATION: BONE DENSITOMETRY OF THE LUMBAR SPINE AND HIP",
                 f"DATE OF STUDY: {date(s.scan_date)}", body, size, ethnicity,
                 f"HISTORY: {_history(report, style)} Evaluate bone mineral density.", "",
                 "The T-score compares the patient's bone density with that of a young adult; "
                 "the Z-score with that of people of the same age and sex.", "", *rows, "",
                 "For bone mineral density values in gm/sq-cm and plots of trends since prior "
                 "exams, see separate printout.", reference, lsc, "", "IMPRESSION:",
                 "1. The bone mineral density of the lumbar spine is mildly decreased.",
                 f"2. When compared to the baseline exam of {prior_date} there has not been a "
                 "statistically significant change." if prior_date else "", frax]
    elif style == "canadian":
        lines = ["BONE MINERAL DENSITY REPORT", body,
                 f"Scan date: {date(s.scan_date)}   Report date: {date(s.scan_date)}", size,
                 ethnicity, reference,
                 f"Previous study: {prior_date}" if prior_date else "", "",
                 f"Clinical history: {_history(report, style)}", "", *rows, *priors, "", lsc,
                 frax, "Current management could be reassessed."]
    else:
        lines = ["EXAM: DXA BONE DENSITOMETRY", f"DATE OF STUDY: {date(s.scan_date)}", body, size,
                 ethnicity, f"INDICATIONS: {_history(report, style)}",
                 "PROCEDURE: A bone mineral density test of the proximal femur and AP lumbar "
                 "spine was performed using a dual-energy x-ray absorptiometry (DXA) system.",
                 reference, "FINDINGS:", *rows, *priors, "", "COMMENT:", frax,
                 f"(LSC= {report.lsc[0].g_cm2:.3f} g/cm2 for AP Spine {report.lsc[0].levels})"
                 if report.lsc and report.lsc[0].levels else lsc]
    return "\n".join(line for line in lines if line is not None) + "\n"


def expected_document(report: ReportDocument, *, style: Style = "ucsf") -> ReportDocument:
    """What a text reader should make of ``dictated_text(report, style=style)``: the case with
    what the text does not carry (SR identifiers, the device, decimals of age; per style, BMD
    or one of the scores) set to null."""
    doc = report.model_copy(deep=True)
    vendor = _vendor(report) if style == "ucsf" else None
    doc.source = doc.source.model_copy(update={"kind": "text", "software": None, "device": None,
                                               "vendor": vendor})
    doc.study.study_uid = None
    if doc.patient.age_years is not None:
        doc.patient.age_years = float(int(doc.patient.age_years))
    printed = _scores_printed(report, style)
    for m in doc.measurements:
        if style == "wustl":
            m.bmd_g_cm2 = None
        m.t_score = m.t_score if "t_score" in printed else None
        m.z_score = m.z_score if "z_score" in printed else None
    doc.measurements = [m for m in doc.measurements  # a row without a number is not read
                        if (m.bmd_g_cm2, m.t_score, m.z_score) != (None, None, None)]
    if style in ("wustl", "canadian"):  # canadian prints the change only, not the prior BMD
        doc.priors = []
    return doc
