"""The one clinical-history reader of every format (issue #13).

* ``statements`` -- text (a report, a section, an SR item's value with its concept name) to
  :class:`Statement` clauses, keyed, with their label and a bare answer ("Hip fracture: no");
* ``context`` -- the ConText algorithm: which modifiers (negation, family, hypothetical,
  uncertain, unknown, risk, generic, past, stopped) cover a mention;
* ``findings`` -- what one statement says of sex, menopausal status, each fracture key and
  therapy;
* ``reader`` -- :func:`read_history`: the findings merged into the document's fields, null
  plus a ``HISTORY_CONFLICT:<field>`` warning where statements disagree;
  :func:`read_text_history` the same from a text, skipping lines no reader can read.

Phrases are data: ``parsers/vocabulary/history.json``.
"""

from parsers.history.reader import CONFLICT, History, read_history, read_text_history
from parsers.history.statements import Statement, statements

__all__ = ["CONFLICT", "History", "Statement", "read_history", "read_text_history", "statements"]
