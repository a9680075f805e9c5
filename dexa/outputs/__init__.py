"""Downstream outputs of a planned visit: a FHIR R4 Bundle for the EHR (``fhir``) and the
clinician's self-contained HTML page (``html``). Pure builders: they read documents and write
text; the commands and the store decide which visits to pass."""

from __future__ import annotations

from dexa.outputs.visit import VisitView

__all__ = ["VisitView"]
