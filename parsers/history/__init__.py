"""The one clinical-history reader of every format (issue #13).

* ``statements`` -- text (a report, a section, an SR item's value with its concept name) to
  :class:`Statement` clauses, keyed, with their label and a bare answer ("Hip fracture: no");
* ``context`` -- the ConText algorithm: which modifiers (negation, family, hypothetical,
  uncertain, unknown, risk, generic, past, stopped) cover a mention;
* ``findings`` -- what one statement says of sex, menopausal status, each fracture key and
  therapy;
* ``reader`` -- :func:`read_history`: the findings merged into the document's fields, null
  plus a ``HISTORY_CONFLICT:<field>`` warning where statements disagree; a reader of coded
  items (an SR's "Hip fracture = No") hands its answers over as :class:`Finding` so that they
  meet the text's in the same merge; :func:`read_text_history` the same from a text,
  skipping lines no reader can read;
* ``frax`` -- :func:`read_frax`: FRAX results as written (probabilities, with or without BMD,
  TBS, country model);
* ``risk`` -- :func:`read_risk_factors` (smoking, glucocorticoids, alcohol, height loss, TBS)
  and :func:`menopause_from_lmp` (a last menstrual period's date).

Phrases are data: ``parsers/vocabulary/history.json`` and ``frax.json``.
"""

from parsers.history.findings import Finding
from parsers.history.frax import read_frax
from parsers.history.reader import CONFLICT, History, read_history, read_text_history
from parsers.history.risk import menopause_from_lmp, read_risk_factors
from parsers.history.statements import Statement, statements

__all__ = ["CONFLICT", "Finding", "History", "Statement", "menopause_from_lmp", "read_frax",
           "read_history", "read_risk_factors", "read_text_history", "statements"]
