"""The free-text reader: dictated, transcribed or machine-written DXA reports, and the text
layer of a PDF that has no vendor table.

``read_text(data, path=…, sha256=…)`` reads a text file; ``read_prose(text, source=…)`` reads
text already decoded (the PDF reader uses it); ``looks_like_dxa(text)`` says whether a text is
about bone densitometry. Modules: ``reader`` (bytes -> document or rejection), ``measurements``
(BMD, T- and Z-scores by site, priors, LSC), ``facts`` (patient, study, FRAX, fractures,
therapy, risk factors), ``values`` (numbers as written), ``text`` (preparation, sections,
sentences, phrase lists from ``prose.json``).
"""

from parsers.prose.reader import looks_like_dxa, read_prose, read_text

__all__ = ["looks_like_dxa", "read_prose", "read_text"]
