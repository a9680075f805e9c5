"""The reading kit: what every reader needs to read printed text, written once.

* ``text`` -- :func:`fold` (NFKC plus every look-alike the reports produce: minus signs and
  dashes, deltas, ``²``, ``µ``/``μ``, no-break and thin spaces, zero-width characters,
  ligatures, curly quotes, fullwidth forms, bullets), :func:`fold_with_offsets` (the same with a
  map back to the original spans), :func:`key` (the matching form: folded, case-folded,
  accents dropped, whole words) and :func:`decode_text` (the bytes of a text file).
* ``numbers`` -- :func:`read_number` (a cell or value as one number), :func:`find_number` /
  :func:`find_numbers` (numbers standing on their own in running text), :func:`is_empty_mark`;
  a :class:`Number` keeps its printed digits, decimals and unit. Commas (:class:`Commas`),
  spaced signs and accepted units are the caller's policy.
* ``dates`` -- :func:`parse_date`, :func:`find_dates`, :func:`date_order` (day first or month
  first from the document's own evidence, :data:`DATE_ORDER_ASSUMED` when nothing decides) and
  :func:`order_by_age` (the printed age as evidence).
* ``phrases`` -- :func:`phrase_matcher`, :func:`has_phrase`, :func:`find_phrase`,
  :func:`first_entry`: phrase lists compiled once, matched as whole words on keys, longest
  first.
* ``units`` -- the factor from every printed or coded unit to the document's unit
  (:func:`convert` for measurements, :func:`to_document_unit`, :data:`INCH_CM`).
* ``vocabulary`` -- :func:`load` (``parsers/vocabulary/<name>.json``, checked against its
  declared schema; :class:`VocabularyError` names the file, entry and key).
* ``measures`` -- what a measured value can be (:func:`plausible`, :func:`bmc_agrees`: BMD x
  area = BMC) and :func:`checked_report`, the one check every reader's report passes in
  ``parsers.parse_bytes`` (a BMD of zero or below is dropped with a ``VALUE_DROPPED``
  warning); imported from its module.
* ``pdf`` -- :func:`open_pdf` (PDFium: ``encrypted`` for a password, ``corrupt`` for damage),
  for the PDF reader and the image decoder; imported from its module, so that readers without
  PDFs do not load PDFium.

Site and field labels are applied by ``parsers.labels`` on top of this kit.
"""

from parsers.kit.dates import (
    DATE_ORDER_ASSUMED,
    DateOrder,
    date_order,
    find_dates,
    order_by_age,
    parse_date,
)
from parsers.kit.numbers import (
    Commas,
    Number,
    find_number,
    find_numbers,
    is_empty_mark,
    read_number,
    unit_key,
)
from parsers.kit.phrases import find_phrase, first_entry, has_phrase, phrase_matcher
from parsers.kit.text import Folded, decode_text, fold, fold_with_offsets, key
from parsers.kit.vocabulary import VocabularyError, load

__all__ = [
    "DATE_ORDER_ASSUMED", "Commas", "DateOrder", "Folded", "Number", "VocabularyError",
    "date_order", "decode_text", "find_dates", "find_number", "find_numbers", "find_phrase",
    "first_entry", "fold", "fold_with_offsets", "has_phrase", "is_empty_mark", "key", "load",
    "order_by_age", "parse_date", "phrase_matcher", "read_number", "unit_key",
]
