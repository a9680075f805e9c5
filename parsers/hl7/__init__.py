"""The HL7 v2 reader: a result message (``MSH|…``, ``PID``, ``OBR``, ``OBX`` segments) read
as a text report (``source.kind`` "text").

``is_message(head)`` says whether a text starts as a message; ``read_hl7(data, path=…,
sha256=…)`` reads it, ``read_message(text, source)`` a message another reader found (a PDF
that printed one). Modules: ``message`` (segments, separators, escapes, text and coded
results), ``reader`` (the text by the free-text reader, the coded results where it finds no
measurement).
"""

from parsers.hl7.message import is_message
from parsers.hl7.reader import read_hl7, read_message

__all__ = ["is_message", "read_hl7", "read_message"]
