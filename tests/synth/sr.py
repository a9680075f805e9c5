"""Writers that render a synthetic ``ReportDocument`` into DICOM bytes.

One writer per family of objects the DICOM reader meets (dxa-formats.md §1):

- ``ge_enhanced_sr``: GE Lunar enCORE-style Enhanced SR (container names ``AP Spine`` /
  ``Left Femur`` / ``DualFemur``, ``BMD`` / ``BMD_TSCORE`` / ``BMD_ZSCORE``, ``Trend …``
  containers with date-named children, an LSC item, FRAX);
- ``generic_sr``: generic concept names (``Bone Mineral Density``, ``T-Score``, ``Femoral
  Neck``) in a Comprehensive, Comprehensive 3D, Enhanced or Basic Text SR;
- ``loinc_sr``: LOINC-coded results, as a RIS bridge would send them;
- ``snomed_sr``: SNOMED CT site codes with a Laterality concept modifier;
- ``encapsulated_pdf``, ``secondary_capture``, ``radiation_dose_sr``, ``ct_image``,
  ``text_sr``: the objects the reader must hand on or reject.

``HeaderQuirks`` adds the header oddities seen in real exports. Patient names are written (an
invented, non-ASCII one) so that tests can check they never come out.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from pydicom import dcmwrite
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

from dexa.contract import Measurement, Prior, ReportDocument

if TYPE_CHECKING:
    from PIL.Image import Image

PATIENT_NAME = "Zoë^Müller-Synthetic"  # invented; must never appear in any output
PRIVATE_SCHEME = "99DEXASYN"  # vendor concept codes are unconfirmed (dxa-formats.md §0.4)

ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22"
COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"
ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
SR_CLASSES = {"enhanced": ENHANCED_SR, "comprehensive": COMPREHENSIVE_SR,
              "comprehensive3d": COMPREHENSIVE_3D_SR, "basic_text": BASIC_TEXT_SR}


@dataclass(frozen=True)
class HeaderQuirks:
    """Header oddities of real exports; each leaves the file readable."""

    no_preamble: bool = False  # no 128-byte preamble / DICM prefix
    fractional_tm: bool = False  # StudyTime "101530.123456", ContentTime "1015.5"
    empty_sex: bool = False  # PatientSex present but empty
    bad_birth_date: bool = False  # PatientBirthDate "19560231" (no such day)
    wrong_vr: bool = False  # dates as LO, PatientSize as FD, PatientWeight as FL
    no_study_date: bool = False  # neither StudyDate nor ContentDate
    implicit_vr: bool = False  # Implicit VR Little Endian transfer syntax
    undefined_lengths: bool = False  # sequences and items with delimiters instead of lengths


# --- content items ----------------------------------------------------------------------------

def code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def concept(meaning: str) -> Dataset:
    """A vendor-style concept: the meaning is what counts, the code is an invented private one."""
    return code(hashlib.sha1(meaning.encode()).hexdigest()[:8].upper(), PRIVATE_SCHEME, meaning)


def _named(value_type: str, name: Dataset, relationship: str) -> Dataset:
    item = Dataset()
    item.RelationshipType = relationship
    item.ValueType = value_type
    item.ConceptNameCodeSequence = Sequence([name])
    return item


def container(name: Dataset | str, children: Iterable[Dataset],
              relationship: str = "CONTAINS") -> Dataset:
    item = _named("CONTAINER", concept(name) if isinstance(name, str) else name, relationship)
    item.ContinuityOfContent = "SEPARATE"
    item.ContentSequence = Sequence(list(children))
    return item


def num(name: Dataset | str, value: float, unit: str | None,
        relationship: str = "CONTAINS") -> Dataset:
    """A NUM item; ``unit`` is a UCUM code, or None for a unit-less score."""
    item = _named("NUM", concept(name) if isinstance(name, str) else name, relationship)
    measured = Dataset()
    measured.NumericValue = format(value, ".6g")
    if unit is not None:
        measured.MeasurementUnitsCodeSequence = Sequence([code(unit, "UCUM", unit)])
    item.MeasuredValueSequence = Sequence([measured])
    return item


def text(name: Dataset | str, value: str, relationship: str = "CONTAINS") -> Dataset:
    item = _named("TEXT", concept(name) if isinstance(name, str) else name, relationship)
    item.TextValue = value
    return item


def code_item(name: Dataset | str, value: Dataset, relationship: str = "CONTAINS") -> Dataset:
    item = _named("CODE", concept(name) if isinstance(name, str) else name, relationship)
    item.ConceptCodeSequence = Sequence([value])
    return item


def date_item(name: str, iso: str) -> Dataset:
    item = _named("DATE", concept(name), "CONTAINS")
    item.Date = iso.replace("-", "")
    return item


YES = code("373066001", "SCT", "Yes")
NO = code("373067005", "SCT", "No")
LATERALITY = code("272741003", "SCT", "Laterality")
SIDE_CODES = {"left": code("7771000", "SCT", "Left"), "right": code("24028007", "SCT", "Right"),
              "mean": code("51440002", "SCT", "Bilateral")}


def _yes_no(answer: bool) -> str:
    return "Yes" if answer else "No"


def _score(name: str, value: float, score_vr: str, unicode_minus: bool) -> Dataset:
    if score_vr == "NUM":
        return num(name, value, None)
    if score_vr == "NUM1":
        return num(name, value, "1")
    written = f"{value:.1f}"
    return text(name, written.replace("-", "\u2212") if unicode_minus else written)


# --- header -----------------------------------------------------------------------------------

def _uid(*parts: object) -> str:
    return generate_uid(entropy_srcs=[repr(p) for p in parts])


def study_uid_for(report: ReportDocument) -> str:
    """The StudyInstanceUID the writers use: the case's own, else one derived from it."""
    return report.study.study_uid or _uid(report.patient.id, report.study.scan_date, "study")


def _dicom_date(iso: str | None) -> str | None:
    return iso.replace("-", "") if iso else None


def content_datetime(report: ReportDocument) -> str | None:
    """The ContentDate and ContentTime a writer gives the object, as the reader returns them
    (``source.created``): the case's own ``source.created``, else 10:16 on the scan date."""
    if report.source.created:
        return report.source.created
    return f"{report.study.scan_date}T10:16:00" if report.study.scan_date else None


def _split_device(device: str | None) -> tuple[str | None, str | None]:
    """'Lunar iDXA ME+200123' -> model 'Lunar iDXA', serial 'ME+200123'."""
    if not device:
        return None, None
    model, _, serial = device.rpartition(" ")
    return (model, serial) if model else (device, None)


def _header(ds: Dataset, report: ReportDocument, sop_class: str, modality: str,
            quirks: HeaderQuirks) -> None:
    patient, study, source = report.patient, report.study, report.source
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = _uid(patient.id, study.scan_date, sop_class, "instance")
    ds.StudyInstanceUID = study_uid_for(report)
    ds.SeriesInstanceUID = _uid(patient.id, study.scan_date, sop_class, "series")
    ds.Modality = modality
    ds.PatientName = PATIENT_NAME
    if patient.id:
        ds.PatientID = patient.id
    if patient.sex or quirks.empty_sex:
        ds.PatientSex = "" if quirks.empty_sex else patient.sex
    birth = "19560231" if quirks.bad_birth_date else _dicom_date(patient.birth_date)
    scan = None if quirks.no_study_date else _dicom_date(study.scan_date)
    date_vr = "LO" if quirks.wrong_vr else "DA"
    if birth:
        ds.add(DataElement(0x00100030, date_vr, birth))
    if scan:
        ds.add(DataElement(0x00080020, date_vr, scan))
    created = None if quirks.no_study_date else content_datetime(report)
    if created:
        ds.ContentDate = _dicom_date(created[:10])
    ds.StudyTime = "101530.123456" if quirks.fractional_tm else "101530"
    ds.ContentTime = "1015.5" if quirks.fractional_tm else \
        (created or "T10:16:00")[11:19].replace(":", "")
    if patient.age_years is not None:
        ds.PatientAge = f"{int(patient.age_years):03d}Y"
    if patient.height_cm is not None:
        metres = patient.height_cm / 100
        if quirks.wrong_vr:
            ds.add(DataElement(0x00101020, "FD", metres))
        else:
            ds.PatientSize = format(metres, ".4g")
    if patient.weight_kg is not None:
        if quirks.wrong_vr:
            ds.add(DataElement(0x00101030, "FL", patient.weight_kg))
        else:
            ds.PatientWeight = format(patient.weight_kg, ".5g")
    if patient.ethnicity:
        ds.EthnicGroup = patient.ethnicity
    if study.accession:
        ds.AccessionNumber = study.accession
    if source.vendor:
        ds.Manufacturer = source.vendor
    model, serial = _split_device(source.device)
    if model:
        ds.ManufacturerModelName = model
    if serial:
        ds.DeviceSerialNumber = serial
    if source.software:
        ds.SoftwareVersions = source.software


def _to_bytes(ds: Dataset, quirks: HeaderQuirks) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ImplicitVRLittleEndian if quirks.implicit_vr \
        else ExplicitVRLittleEndian
    ds.file_meta = meta
    if quirks.undefined_lengths:
        _undefined_lengths(ds)
    buffer = BytesIO()
    if quirks.no_preamble:
        ds.preamble = None
        dcmwrite(buffer, ds, enforce_file_format=False)
    else:
        dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def _undefined_lengths(ds: Dataset) -> None:
    for elem in ds:
        if elem.VR == "SQ":
            elem.is_undefined_length = True
            for item in elem.value:
                item.is_undefined_length_sequence_item = True
                _undefined_lengths(item)


def _sr(report: ReportDocument, sop_class: str, root: Dataset, children: list[Dataset],
        quirks: HeaderQuirks) -> bytes:
    ds = Dataset()
    _header(ds, report, sop_class, "SR", quirks)
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([root])
    ds.ContinuityOfContent = "SEPARATE"
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "UNVERIFIED"
    ds.ContentSequence = Sequence(children)
    return _to_bytes(ds, quirks)


# --- GE Lunar enCORE Enhanced SR --------------------------------------------------------------

_GE_REGIONS = {"femoral_neck": "Neck", "total_hip": "Total", "trochanter": "Troch",
               "intertrochanter": "Inter", "wards": "Wards", "femoral_shaft": "Shaft",
               "radius_33": "Radius 33%", "radius_mid": "Radius Mid",
               "radius_ultradistal": "Radius UD", "radius_total": "Radius Total",
               "ulna_33": "Ulna 33%", "ulna_ultradistal": "Ulna UD",
               "forearm_total": "Forearm Total", "total_body": "Total"}
_FAMILIES = {"lumbar_spine": "spine", "vertebra": "spine", "total_body": "total_body",
             "radius_33": "forearm", "radius_mid": "forearm", "radius_ultradistal": "forearm",
             "radius_total": "forearm", "ulna_33": "forearm", "ulna_ultradistal": "forearm",
             "forearm_total": "forearm"}


def _family(region: str) -> str:
    return _FAMILIES.get(region, "hip")


def _ge_container_names(sites: list[tuple[str, str | None]]) -> dict[str, str]:
    """Family -> GE container name: ``Left Femur`` for one side, ``DualFemur`` for several."""
    names = {"spine": "AP Spine", "total_body": "Total Body"}
    for family, single in (("hip", "Femur"), ("forearm", "Forearm")):
        sides = {side for region, side in sites if _family(region) == family}
        if len(sides) == 1 and next(iter(sides)) in ("left", "right"):
            names[family] = f"{next(iter(sides)).title()} {single}"
        else:
            names[family] = f"Dual{single}"
    return names


def _ge_region_name(site: Measurement | Prior, dual: bool) -> str:
    if site.region in ("lumbar_spine", "vertebra"):
        return site.levels or "Lumbar Spine"  # no levels stated: none invented
    name = _GE_REGIONS[site.region]
    return f"{name} {site.side.title()}" if dual and site.side else name


def ge_enhanced_sr(report: ReportDocument, *, score_vr: str = "TEXT", bmd_unit: str = "g/cm2",
                   unicode_minus: bool = False, quirks: HeaderQuirks = HeaderQuirks()) -> bytes:
    """A GE Lunar enCORE-style Enhanced SR (dxa-formats.md §1.3).

    ``score_vr``: ``TEXT`` (T/Z as strings), ``NUM`` (unit-less NUM) or ``NUM1`` (NUM, unit
    ``1``). ``bmd_unit``: ``g/cm2`` or ``mg/cm2``. ``unicode_minus`` writes ``−2.0``."""
    scale = 1000.0 if bmd_unit == "mg/cm2" else 1.0
    sites = [(m.region, m.side) for m in [*report.measurements, *report.priors]]
    family_names = _ge_container_names(sites)
    families: dict[str, list[Dataset]] = {}
    for m in report.measurements:
        family = _family(m.region)
        dual = family_names[family].startswith("Dual")
        items = [num("BMD", m.bmd_g_cm2 * scale, bmd_unit)] if m.bmd_g_cm2 is not None else []
        if m.t_score is not None:
            items.append(_score("BMD_TSCORE", m.t_score, score_vr, unicode_minus))
        if m.z_score is not None:
            items.append(_score("BMD_ZSCORE", m.z_score, score_vr, unicode_minus))
        if m.young_adult_pct is not None:
            items.append(num("YA %", m.young_adult_pct, "%"))
        if m.age_matched_pct is not None:
            items.append(num("AM %", m.age_matched_pct, "%"))
        if m.bmc_g is not None:
            items.append(num("BMC", m.bmc_g, "g"))
        if m.area_cm2 is not None:
            items.append(num("Area", m.area_cm2, "cm2"))
        items += [num("LSC", lsc.g_cm2 * scale, bmd_unit) for lsc in report.lsc
                  if (lsc.region, lsc.side, lsc.levels) == (m.region, m.side, m.levels)]
        families.setdefault(family, []).append(container(_ge_region_name(m, dual), items))
    trends: dict[tuple[str, str | None, str | None], list[Prior]] = {}
    for prior in report.priors:
        trends.setdefault((prior.region, prior.side, prior.levels), []).append(prior)
    for (region, side, levels), priors in trends.items():
        current = next((m for m in report.measurements
                        if (m.region, m.side, m.levels) == (region, side, levels)), None)
        points = [(p.scan_date, p.bmd_g_cm2) for p in priors if p.bmd_g_cm2 is not None]
        if current is not None and current.bmd_g_cm2 is not None and report.study.scan_date:
            points.append((report.study.scan_date, current.bmd_g_cm2))  # enCORE lists today too
        if not points:
            continue
        baseline = points[0][1]
        dated = [container(date.fromisoformat(when).strftime("%d-%b-%Y"), [
            num("AGE", 60.0, "a"),
            num("BMD", bmd * scale, bmd_unit),
            container("CHANGE_VS_BASELINE", [num("BMD", (bmd - baseline) * scale, bmd_unit)]),
        ]) for when, bmd in points]
        family = _family(region)
        dual = family_names[family].startswith("Dual")
        name = _ge_region_name(priors[0], dual)
        families.setdefault(family, []).append(container(f"Trend {name}", dated))
    children = [text("Reference Database", report.study.reference_database)] \
        if report.study.reference_database else []
    children += [container(family_names[f], items) for f, items in families.items()]
    children += _frax_items(report, ("MAJOR_OSTEO_FRAC_RISK", "HIP_FRAC_RISK", "FRAX Country",
                                     "FRAX With BMD"), coded=False)
    children += _history_items(report, ("Menopausal Status", "Previous Hip Fracture",
                                        "Previous Vertebral Fracture", "Other Fragility Fracture",
                                        "Osteoporosis Therapy"), coded=False)
    return _sr(report, ENHANCED_SR, concept("DXA Report"), children, quirks)


def _answer(value: bool, coded: bool, name: str) -> Dataset:
    return code_item(name, YES if value else NO) if coded else text(name, _yes_no(value))


def _frax_items(report: ReportDocument, names: tuple[str, str, str, str],
                coded: bool) -> list[Dataset]:
    frax = report.frax
    if frax is None:
        return []
    items = []
    if frax.major_osteoporotic_pct is not None:
        items.append(num(names[0], frax.major_osteoporotic_pct, "%"))
    if frax.hip_pct is not None:
        items.append(num(names[1], frax.hip_pct, "%"))
    if frax.country:
        items.append(text(names[2], frax.country))
    if frax.with_bmd is not None:
        items.append(_answer(frax.with_bmd, coded, names[3]))
    return [container("FRAX", items)]


_MENOPAUSE_WORDS = {"pre": "Premenopausal", "peri": "Perimenopausal", "post": "Postmenopausal"}


def _history_items(report: ReportDocument, names: tuple[str, str, str, str, str],
                   coded: bool) -> list[Dataset]:
    """Clinical facts, each only when the case states it."""
    items = []
    status = report.patient.menopausal_status
    if status:
        items.append(code_item(names[0], concept(_MENOPAUSE_WORDS[status])) if coded
                     else text(names[0], _MENOPAUSE_WORDS[status]))
    history = report.fracture_history
    for name, value in zip(names[1:4], (history.hip, history.vertebral,
                                        history.other_fragility), strict=True):
        if value is not None:
            items.append(_answer(value, coded, name))
    therapy = report.therapy
    if therapy.status == "untreated":
        items.append(text(names[4], "None"))
    elif therapy.status == "on_therapy" and therapy.current:
        items.append(text(names[4], therapy.current))
    return [container("Patient History", items)] if items else []


# --- generic names ----------------------------------------------------------------------------

_GENERIC_REGIONS = {"femoral_neck": "Femoral Neck", "total_hip": "Total Hip",
                    "trochanter": "Greater Trochanter", "intertrochanter": "Intertrochanteric",
                    "wards": "Ward's Triangle", "femoral_shaft": "Femoral Shaft",
                    "radius_33": "One Third Radius", "radius_mid": "Mid Radius",
                    "radius_ultradistal": "Ultradistal Radius", "radius_total": "Total Radius",
                    "ulna_33": "Ulna 1/3", "ulna_ultradistal": "Ultradistal Ulna",
                    "forearm_total": "Total Forearm", "total_body": "Total Body"}


def _generic_site(site: Measurement | Prior) -> str:
    if site.region == "lumbar_spine":
        return f"Lumbar Spine {site.levels or ''}".strip()
    if site.region == "vertebra":
        return f"Vertebra {site.levels or ''}".strip()
    side = {"left": "Left ", "right": "Right ", "mean": "Mean "}.get(site.side or "", "")
    return side + _GENERIC_REGIONS[site.region]


def generic_sr(report: ReportDocument, *, sop: str = "comprehensive",
               quirks: HeaderQuirks = HeaderQuirks()) -> bytes:
    """Generic concept names in any SR class (``sop``: comprehensive, comprehensive3d,
    enhanced, basic_text). Basic Text SR has no NUM items, so values are TEXT with units."""
    as_text = sop == "basic_text"

    def value(name: Dataset | str, amount: float, unit: str | None) -> Dataset:
        if as_text:
            return text(name, f"{amount:g} {unit}".strip() if unit else f"{amount:.1f}")
        return num(name, amount, unit)

    z_name = code("113071", "DCM", "Z-score")
    children = [text("Reference Population", report.study.reference_database)] \
        if report.study.reference_database else []
    for m in report.measurements:
        items = []
        for name, amount, unit in (("Bone Mineral Density", m.bmd_g_cm2, "g/cm2"),
                                   ("T-Score", m.t_score, None if as_text else "{T-score}"),
                                   (z_name, m.z_score, None if as_text else "{Z-score}"),
                                   ("Percent Young Adult", m.young_adult_pct, "%"),
                                   ("Percent Age Matched", m.age_matched_pct, "%"),
                                   ("Bone Mineral Content", m.bmc_g, "g"),
                                   ("Area", m.area_cm2, "cm2")):
            if amount is not None:
                items.append(value(name, amount, unit))
        items += [value("Least Significant Change", lsc.g_cm2, "g/cm2") for lsc in report.lsc
                  if (lsc.region, lsc.side, lsc.levels) == (m.region, m.side, m.levels)]
        children.append(container(_generic_site(m), items))
    trends: dict[str, list[Dataset]] = {}
    for prior in report.priors:
        if prior.bmd_g_cm2 is not None:
            trends.setdefault(_generic_site(prior), []).append(container("Prior Examination", [
                date_item("Study Date", prior.scan_date),
                value("Bone Mineral Density", prior.bmd_g_cm2, "g/cm2")]))
    children += [container(f"Trend {site}", scans) for site, scans in trends.items()]
    children += _frax_items(report, ("10-year probability of major osteoporotic fracture",
                                     "10-year probability of hip fracture", "FRAX model",
                                     "Calculated with BMD"), coded=not as_text)
    children += _history_items(report, ("Menopausal status", "History of hip fracture",
                                        "History of vertebral fracture",
                                        "History of fragility fracture",
                                        "Current osteoporosis treatment"), coded=not as_text)
    return _sr(report, SR_CLASSES[sop], concept("Bone Densitometry Report"), children, quirks)


# --- LOINC-coded (RIS bridge) -----------------------------------------------------------------

# dxa-formats.md §1.5: (system, side) -> (BMD, T-score, Z-score) codes; Femur = femoral neck,
# Hip = total hip (derived there).
_LOINC = {
    ("lumbar_spine", None): ("24966-4", "38267-1", "85394-5", "Lumbar spine"),
    ("femoral_neck", None): ("24701-5", "38263-0", "80934-3", "Femur"),
    ("femoral_neck", "left"): ("80954-1", "80948-3", "80940-0", "Femur-L"),
    ("femoral_neck", "right"): ("80953-3", "80947-5", "80939-2", "Femur-R"),
    ("total_hip", None): ("38261-4", "38264-8", "80933-5", "Hip"),
    ("total_hip", "left"): ("46278-8", "80946-7", "80938-4", "Hip-L"),
    ("total_hip", "right"): ("46279-6", "80945-9", "80937-6", "Hip-R"),
    ("forearm_total", None): ("24890-6", "38265-5", "80932-7", "Radius and Ulna"),
    ("forearm_total", "left"): ("80952-5", "80944-2", "80936-8", "Radius and Ulna-L"),
    ("forearm_total", "right"): ("80951-7", "80943-4", "80935-0", "Radius and Ulna-R"),
}


def loinc_expressible(m: Measurement) -> bool:
    return (m.region, m.side) in _LOINC


def loinc_sr(report: ReportDocument, *, quirks: HeaderQuirks = HeaderQuirks()) -> bytes:
    """LOINC-coded NUM items directly under a LOINC-titled root. LOINC has no spine levels
    and no femoral-neck code of its own: only the sites in ``_LOINC`` are written."""
    children = []
    for m in report.measurements:
        if not loinc_expressible(m):
            continue
        bmd, t, z, system = _LOINC[(m.region, m.side)]
        for loinc, kind, amount, unit in ((bmd, "ArMass BMD", m.bmd_g_cm2, "g/cm2"),
                                          (t, "T-score BMD", m.t_score, "{T-score}"),
                                          (z, "Z-score BMD", m.z_score, "{Z-score}")):
            if amount is not None:
                children.append(num(code(loinc, "LN", f"DXA {system} {kind}"), amount, unit))
    root = code("38269-7", "LN", "Study report Skeletal system DXA")
    return _sr(report, COMPREHENSIVE_SR, root, children, quirks)


# --- SNOMED-coded sites with a laterality modifier --------------------------------------------

_SNOMED_SITES = {"spine": code("122496007", "SCT", "Lumbar spine"),
                 "hip": code("71341001", "SCT", "Femur"),
                 "forearm": code("14975008", "SCT", "Forearm")}
_SNOMED_VERTEBRAE = {"L1": "66794005", "L2": "14293000", "L3": "36470004", "L4": "11994002"}


def snomed_sr(report: ReportDocument, *, quirks: HeaderQuirks = HeaderQuirks()) -> bytes:
    """Site containers named by SNOMED CT codes, the side as a HAS CONCEPT MOD Laterality item,
    the sub-region (``Neck``, ``Total``, levels) as a named container inside."""
    children = []
    for m in report.measurements:
        items = [num("Bone Mineral Density", m.bmd_g_cm2, "g/cm2")] \
            if m.bmd_g_cm2 is not None else []
        if m.t_score is not None:
            items.append(num("T-score", m.t_score, "{T-score}"))
        if m.z_score is not None:
            items.append(num(code("113071", "DCM", "Z-score"), m.z_score, "{Z-score}"))
        if m.region == "vertebra" and m.levels in _SNOMED_VERTEBRAE:
            children.append(container(code(_SNOMED_VERTEBRAE[m.levels], "SCT",
                                           f"{m.levels} vertebra"), items))
            continue
        family = _family(m.region)
        modifiers = [code_item(LATERALITY, SIDE_CODES[m.side], "HAS CONCEPT MOD")] \
            if m.side else []
        inner = _ge_region_name(m, dual=False)
        site = _SNOMED_SITES.get(family) or concept("Total Body")
        children.append(container(site, [*modifiers, container(inner, items)]))
    return _sr(report, COMPREHENSIVE_SR, concept("Bone Densitometry Report"), children, quirks)


# --- objects to hand on or reject -------------------------------------------------------------

def encapsulated_pdf(pdf_bytes: bytes, report: ReportDocument, *,
                     quirks: HeaderQuirks = HeaderQuirks()) -> bytes:
    """A DICOM Encapsulated PDF carrying ``pdf_bytes``, with ``report``'s header facts."""
    ds = Dataset()
    _header(ds, report, ENCAPSULATED_PDF, "DOC", quirks)
    ds.DocumentTitle = "Bone Densitometry Report"
    ds.BurnedInAnnotation = "YES"
    ds.ConceptNameCodeSequence = Sequence([])
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocument = pdf_bytes + (b"\x00" if len(pdf_bytes) % 2 else b"")
    ds.EncapsulatedDocumentLength = len(pdf_bytes)
    return _to_bytes(ds, quirks)


def _image(report: ReportDocument, sop_class: str, modality: str, quirks: HeaderQuirks,
           rgb: bool) -> Dataset:
    ds = Dataset()
    _header(ds, report, sop_class, modality, quirks)
    ds.Rows, ds.Columns = 4, 4
    if rgb:
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 3, "RGB"
        ds.PlanarConfiguration = 0
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
        ds.PixelData = bytes(4 * 4 * 3)
    else:
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
        ds.PixelData = struct.pack("<16H", *range(16))
    ds.PixelRepresentation = 0
    return ds


def secondary_capture(report: ReportDocument, *, quirks: HeaderQuirks = HeaderQuirks(),
                      page: Image | None = None, dpi: float = 150.0) -> bytes:
    """A Hologic-style report page: Secondary Capture, Modality OT, RGB (dxa-formats.md §1.2).
    Its pixels are ``page`` (a PIL image, with its pixel spacing from ``dpi``), else 4 x 4
    black pixels."""
    ds = _image(report, SECONDARY_CAPTURE, "OT", quirks, rgb=True)
    ds.Manufacturer = "HOLOGIC"
    ds.BodyPartExamined = "HIP"
    ds.Laterality = "L"
    if page is not None:
        import numpy as np

        pixels = np.ascontiguousarray(np.asarray(page.convert("RGB")))
        ds.Rows, ds.Columns = pixels.shape[:2]
        ds.PixelSpacing = [f"{25.4 / dpi:.6f}"] * 2
        ds.PixelData = pixels.tobytes()
    return _to_bytes(ds, quirks)


def ct_image(report: ReportDocument) -> bytes:
    ds = _image(report, CT_IMAGE, "CT", HeaderQuirks(), rgb=False)
    ds.Manufacturer = "SIEMENS"
    ds.BodyPartExamined = "CHEST"
    return _to_bytes(ds, HeaderQuirks())


def radiation_dose_sr(report: ReportDocument) -> bytes:
    """An X-Ray Radiation Dose SR (TID 10001 shape, abridged)."""
    event = container(code("113706", "DCM", "Irradiation Event X-Ray Data"), [
        code_item(code("123014", "DCM", "Target Region"), code("122496007", "SCT",
                                                                "Lumbar spine")),
        num(code("122130", "DCM", "Dose Area Product"), 0.0001, "Gy.m2"),
    ])
    root = code("113701", "DCM", "X-Ray Radiation Dose Report")
    return _sr(report, DOSE_SR, root, [event], HeaderQuirks())


def text_sr(report: ReportDocument, *, title: str = "Chest X-Ray Report",
            findings: str = "No acute cardiopulmonary process.") -> bytes:
    """A Basic Text SR that is not about bone density."""
    return _sr(report, BASIC_TEXT_SR, concept(title), [text("Findings", findings)],
               HeaderQuirks())


# --- what each writer conveys -----------------------------------------------------------------

def written_age(report: ReportDocument) -> float | None:
    """The age the header's PatientAge holds (whole years, as ``_patient_module`` writes it):
    the reader prefers it to the age the dates give (CONTRACT)."""
    age = report.patient.age_years
    return float(int(age)) if age is not None else None


def as_read(report: ReportDocument, data: bytes, path: str, *,
            kind: str = "dicom-sr") -> ReportDocument:
    """``report`` as a reader should return it for ``data``: source path, hash and kind set,
    and the study UID the writer filled in; the age is the header's PatientAge as written
    (whole years), which the reader prefers to the age the dates give (CONTRACT)."""
    doc = report.model_copy(deep=True)
    doc.patient.age_years = written_age(report)
    doc.source.path, doc.source.sha256 = path, hashlib.sha256(data).hexdigest()
    doc.source.kind = kind  # type: ignore[assignment]
    doc.source.created = content_datetime(report)
    doc.study.study_uid = study_uid_for(report)
    return doc


def coded_only(report: ReportDocument, *, loinc: bool) -> ReportDocument:
    """What ``loinc_sr`` (``loinc=True``) or ``snomed_sr`` write of a report: BMD, T and Z per
    site (LOINC: only the sites it has codes for, without spine levels), header facts, and
    nothing else."""
    measurements = [
        Measurement(region=m.region, side=m.side, levels=None if loinc else m.levels,
                    bmd_g_cm2=m.bmd_g_cm2, t_score=m.t_score, z_score=m.z_score)
        for m in report.measurements if not loinc or loinc_expressible(m)]
    return report.model_copy(deep=True, update={
        "measurements": measurements, "frax": None, "priors": [], "lsc": [],
        "fracture_history": type(report.fracture_history)(),
        "therapy": type(report.therapy)(),
        "patient": report.patient.model_copy(update={"menopausal_status": None}),
        "study": report.study.model_copy(update={"reference_database": None}),
    })
