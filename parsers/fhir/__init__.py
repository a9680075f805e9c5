"""The FHIR R4 JSON reader: a DiagnosticReport (alone, or in a Bundle with its Patient and
Observations) read as a text report (``source.kind`` "text").

``fhir_resource(data)`` says whether a file is FHIR JSON (JSON that is not FHIR stays a text
report); ``read_fhir(resource, path=…, sha256=…)`` reads it. Modules: ``reader`` (the words
by the text and PDF readers, the structured facts filling their gaps), ``resources`` (the
report, its patient, observations and presented forms in the JSON), ``narrative`` (XHTML to
the lines of a text report).
"""

from parsers.fhir.reader import fhir_resource, read_fhir

__all__ = ["fhir_resource", "read_fhir"]
