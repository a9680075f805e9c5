"""Patient, study and device facts from the DICOM header, read tolerantly.

A header value that cannot be read (a bad date, an empty sex, a wrong VR) becomes null with a
warning code; it never costs the file. The patient's name is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pydicom.dataset import Dataset

from dexa.contract import Patient, Study
from parsers.dicom.values import iso_date, number, text

SOP_CLASS = 0x00080016
MEDIA_SOP_CLASS = 0x00020002
MODALITY = 0x00080060
MANUFACTURER = 0x00080070
MODEL = 0x00081090
SERIAL = 0x00181000
SOFTWARE = 0x00181020
PATIENT_ID = 0x00100020
PATIENT_SEX = 0x00100040
BIRTH_DATE = 0x00100030
PATIENT_AGE = 0x00101010
PATIENT_SIZE = 0x00101020
PATIENT_WEIGHT = 0x00101030
ETHNIC_GROUP = 0x00102160
ADDITIONAL_HISTORY = 0x001021B0  # Additional Patient History (Patient Study module)
STUDY_DATE = 0x00080020
SERIES_DATE = 0x00080021
ACQUISITION_DATE = 0x00080022
CONTENT_DATE = 0x00080023
CONTENT_TIME = 0x00080033
INSTANCE_CREATION_DATE = 0x00080012
INSTANCE_CREATION_TIME = 0x00080013
ACCESSION = 0x00080050
STUDY_UID = 0x0020000D
BODY_PART = 0x00180015
STUDY_DESCRIPTION = 0x00081030
SERIES_DESCRIPTION = 0x0008103E

_TIME_RE = re.compile(r"^(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?(?:\.(\d{1,6}))?$")
_AGE_RE = re.compile(r"^\s*(\d{1,3})\s*([DWMY]?)\s*$", re.IGNORECASE)
_AGE_UNIT_YEARS = {"D": 1 / 365.25, "W": 7 / 365.25, "M": 1 / 12, "Y": 1.0, "": 1.0}
_SEXES = {"F": "F", "FEMALE": "F", "M": "M", "MALE": "M"}


@dataclass
class Header:
    sop_class: str | None
    modality: str | None
    vendor: str | None
    software: str | None
    device: str | None
    patient: Patient
    study: Study
    descriptions: str  # body part, study and series descriptions, for recognising DXA images
    warnings: list[str] = field(default_factory=list)
    created: str | None = None  # ISO date-time the object states it was made (Source.created)
    history: str | None = None  # Additional Patient History: the request's clinical history


def sop_class_of(ds: Dataset) -> str | None:
    meta = getattr(ds, "file_meta", None)
    return text(ds, SOP_CLASS) or (text(meta, MEDIA_SOP_CLASS) if meta is not None else None)


def _age_years(raw: str | None, birth: str | None, scan: str | None,
               warnings: list[str]) -> float | None:
    """PatientAge as stated ("068Y"), else the age derived from the birth and study dates
    (CONTRACT: the printed age, derived only when none is printed). A stated age more than a
    year from the dates' age is kept and flagged ``PATIENT_AGE_MISMATCH``."""
    stated: float | None = None
    if raw:
        match = _AGE_RE.match(raw)
        if match:
            stated = int(match.group(1)) * _AGE_UNIT_YEARS[match.group(2).upper()]
        else:
            warnings.append("BAD_PATIENT_AGE")
    if birth and scan:
        computed = round((date.fromisoformat(scan) - date.fromisoformat(birth)).days / 365.25, 1)
        if computed < 0:
            warnings.append("BIRTH_DATE_AFTER_SCAN")
            return round(stated, 1) if stated is not None else None
        if stated is not None and abs(computed - stated) > 1.1:
            warnings.append("PATIENT_AGE_MISMATCH")
        if stated is None:
            return computed
    return round(stated, 1) if stated is not None else None


def _height_cm(raw: str | None, warnings: list[str]) -> float | None:
    """PatientSize is in metres; a value that can only be centimetres is kept with a warning."""
    value = number(raw)
    if value is None or value <= 0:
        return None
    if value < 3:
        return round(value * 100, 1)
    if 30 <= value <= 280:
        warnings.append("PATIENT_SIZE_IN_CM")
        return round(value, 1)
    warnings.append("BAD_PATIENT_SIZE")
    return None


def _created(ds: Dataset) -> str | None:
    """When the object says it was made: ContentDate/ContentTime, else InstanceCreationDate/
    Time, as ISO ``YYYY-MM-DDTHH:MM:SS[.ffffff]`` (the date alone without a readable time).
    Orders the scans of one kind in a visit: a re-export or an amended report is newer."""
    for date_tag, time_tag in ((CONTENT_DATE, CONTENT_TIME),
                               (INSTANCE_CREATION_DATE, INSTANCE_CREATION_TIME)):
        day = iso_date(text(ds, date_tag))
        if day is None:
            continue
        match = _TIME_RE.match(text(ds, time_tag) or "")
        if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59 \
                or int(match.group(3) or 0) > 60:
            return day
        hours, minutes, seconds, fraction = match.groups()
        clock = f"{hours}:{minutes or '00'}:{seconds or '00'}"
        return f"{day}T{clock}.{fraction.ljust(6, '0')}" if fraction else f"{day}T{clock}"
    return None


def _date(ds: Dataset, tag: int, bad_code: str, warnings: list[str]) -> str | None:
    raw = text(ds, tag)
    value = iso_date(raw)
    if raw and value is None:
        warnings.append(bad_code)
    return value


def read_header(ds: Dataset) -> Header:
    warnings: list[str] = []
    birth = _date(ds, BIRTH_DATE, "BAD_BIRTH_DATE", warnings)
    scan = None
    for tag in (STUDY_DATE, CONTENT_DATE, ACQUISITION_DATE, SERIES_DATE):
        scan = _date(ds, tag, "BAD_STUDY_DATE", warnings)
        if scan:
            break
    if scan is None:
        warnings.append("NO_SCAN_DATE")
    weight = number(text(ds, PATIENT_WEIGHT))
    patient = Patient(
        id=text(ds, PATIENT_ID),
        sex=_SEXES.get((text(ds, PATIENT_SEX) or "").upper()),  # type: ignore[arg-type]
        birth_date=birth,
        age_years=_age_years(text(ds, PATIENT_AGE), birth, scan, warnings),
        height_cm=_height_cm(text(ds, PATIENT_SIZE), warnings),
        weight_kg=weight if weight is not None and 0 < weight < 500 else None,
        ethnicity=text(ds, ETHNIC_GROUP),
    )
    study = Study(scan_date=scan, accession=text(ds, ACCESSION), study_uid=text(ds, STUDY_UID))
    model, serial = text(ds, MODEL), text(ds, SERIAL)
    software = text(ds, SOFTWARE)
    return Header(
        sop_class=sop_class_of(ds),
        modality=(text(ds, MODALITY) or "").upper() or None,
        vendor=text(ds, MANUFACTURER),
        software=software.replace("\\", ", ") if software else None,
        device=" ".join(part for part in (model, serial) if part) or None,
        patient=patient,
        study=study,
        descriptions=" ".join(filter(None, (text(ds, BODY_PART), text(ds, STUDY_DESCRIPTION),
                                            text(ds, SERIES_DESCRIPTION)))),
        warnings=warnings,
        created=_created(ds),
        history=text(ds, ADDITIONAL_HISTORY),
    )
