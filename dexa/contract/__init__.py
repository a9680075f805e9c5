"""The ground every package stands on: what crosses a boundary of dexa.

* the report and plan documents of CONTRACT.md as typed models (``documents``), and their JSON
  Schemas as package data (``schemas``);
* one rejection class per CONTRACT error code (``errors``);
* the result of validating a scan and the field paths that name its values (``validation``);
* what became of an input file, the ledger's ``Outcome`` (``outcomes``).

``parsers``, ``planner`` and ``expectations`` import nothing else of ``dexa`` (the import
contracts in ``pyproject.toml`` check it); this package imports nothing of the project.
"""

from dexa.contract.documents import (
    SCHEMA_VERSION,
    Classification,
    Explanation,
    FractureHistory,
    Frax,
    IsoDate,
    Lowest,
    Lsc,
    Measurement,
    MenopausalStatus,
    Patient,
    Pharmacotherapy,
    PlanDocument,
    Prior,
    Recommendation,
    Region,
    ReportDocument,
    RiskFactors,
    ScanRef,
    ScoreType,
    Sex,
    Side,
    Source,
    SourceKind,
    Study,
    Therapy,
    TherapyStatus,
    TrendEntry,
    TrendStatus,
    Validation,
    VisitRef,
)
from dexa.contract.errors import (
    ERROR_CODES,
    Corrupt,
    Empty,
    Encrypted,
    NoMeasurements,
    NotDicom,
    NotDxa,
    NoTextLayer,
    ReportRejected,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from dexa.contract.outcomes import Outcome
from dexa.contract.schemas import load_schema
from dexa.contract.validation import (
    FailedValue,
    ScanValidation,
    field_parts,
    without_failed_values,
)

__all__ = [
    "ERROR_CODES",
    "SCHEMA_VERSION",
    "Classification",
    "Corrupt",
    "Empty",
    "Unreadable",
    "Encrypted",
    "Explanation",
    "FailedValue",
    "FractureHistory",
    "Frax",
    "IsoDate",
    "Lowest",
    "Lsc",
    "Measurement",
    "MenopausalStatus",
    "NoMeasurements",
    "NoTextLayer",
    "NotDicom",
    "NotDxa",
    "Outcome",
    "Patient",
    "Pharmacotherapy",
    "PlanDocument",
    "Prior",
    "Recommendation",
    "Region",
    "ReportDocument",
    "ReportRejected",
    "RiskFactors",
    "ScanRef",
    "ScanValidation",
    "ScoreType",
    "Sex",
    "Side",
    "Source",
    "SourceKind",
    "Study",
    "Therapy",
    "TherapyStatus",
    "TooLarge",
    "TrendEntry",
    "TrendStatus",
    "UnsupportedFormat",
    "Validation",
    "VisitRef",
    "field_parts",
    "load_schema",
    "without_failed_values",
]
