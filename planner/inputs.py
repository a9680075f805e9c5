"""The planner's inputs: the report document read the way §0 and §2 of clinical-rules.md say
(exact decimals, completed-year ages, fracture, FRAX and reference-database facts). Pure
functions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dexa.contract import ReportDocument


def dec(value: float) -> Decimal:
    """A reported number as the exact decimal that was reported (shortest float repr)."""
    return Decimal(repr(float(value)))


def round3(value: Decimal) -> Decimal:
    """Round to 3 decimals, half away from zero (SER-6)."""
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def completed_years(birth: date, on: date) -> int:
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - (1 if before_birthday else 0)


def age_at_scan(report: ReportDocument) -> int | None:
    """Completed years at the scan date; else the whole part of the reported age; else None."""
    birth, scan = parse_date(report.patient.birth_date), parse_date(report.study.scan_date)
    if birth and scan and birth <= scan:
        return completed_years(birth, scan)
    age = report.patient.age_years
    return int(age) if age is not None and age >= 0 else None


@dataclass(frozen=True)
class FraxFacts:
    mof: Decimal | None
    hip: Decimal | None
    with_bmd: bool | None
    us_model: bool

    @property
    def available(self) -> bool:
        return self.mof is not None or self.hip is not None

    def meets_threshold(self, limits: Mapping[str, Decimal]) -> bool:
        """TX-B3: either reported value at or above its threshold (``limits``: the params
        ``frax_hip_pct`` and ``frax_mof_pct`` of TX-B3, or of CLS-7 under AACE)."""
        return (self.hip is not None and self.hip >= limits["frax_hip_pct"]) or (
            self.mof is not None and self.mof >= limits["frax_mof_pct"])

    def below_both(self, limits: Mapping[str, Decimal]) -> bool:
        """TX-B4: both reported and both below their thresholds."""
        return (self.hip is not None and self.mof is not None
                and self.hip < limits["frax_hip_pct"] and self.mof < limits["frax_mof_pct"])

    def describe(self) -> str:
        if not self.available:
            return "FRAX not reported"
        def pct(v: Decimal | None) -> str:
            return "not reported" if v is None else f"{v} %"
        return f"FRAX major osteoporotic {pct(self.mof)}, hip {pct(self.hip)}"


_US = re.compile(r"^\s*(us|usa|u\.s\.a?\.?|united states)\b", re.IGNORECASE)


def frax_facts(report: ReportDocument) -> FraxFacts:
    frax = report.frax
    if frax is None:
        return FraxFacts(None, None, None, False)
    return FraxFacts(
        mof=None if frax.major_osteoporotic_pct is None else dec(frax.major_osteoporotic_pct),
        hip=None if frax.hip_pct is None else dec(frax.hip_pct),
        with_bmd=frax.with_bmd,
        us_model=bool(frax.country and _US.match(frax.country)),
    )


def hip_or_vertebral_fracture(report: ReportDocument) -> bool:
    fx = report.fracture_history
    return fx.hip is True or fx.vertebral is True


def any_fragility_fracture(report: ReportDocument) -> bool:
    fx = report.fracture_history
    return True in (fx.hip, fx.vertebral, fx.other_fragility)


def fracture_history_unknown(report: ReportDocument) -> bool:
    """MISS-3 / TX-B10: hip or vertebral unknown and neither true."""
    fx = report.fracture_history
    return None in (fx.hip, fx.vertebral) and not hip_or_vertebral_fracture(report)


_MALE = re.compile(r"\bmale\b", re.IGNORECASE)


def male_reference(report: ReportDocument) -> bool:
    """POP-7: the reference database names a male reference (whole word)."""
    return bool(report.study.reference_database and _MALE.search(report.study.reference_database))
