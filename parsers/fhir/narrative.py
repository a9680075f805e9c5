"""A FHIR narrative (``text.div``, an XHTML fragment) or an HTML attachment as the lines of a
text report, for the free-text reader (``parsers.prose``).

Paragraphs, headings, list items and ``<br>`` end a line, and a paragraph, heading, list, table
or ``<pre>`` is followed by a blank line; ``<pre>`` keeps its own lines; a
table row is one line with its cells parted by `` | `` (a separator the prose table reader
keeps blank cells by, ``parsers.prose.tables.cells_of``), so a results table reads as the
pipe table it is and a key-value row (``DOB | 10/02/1974``) as a labelled value. Scripts and
styles are not text. Entities and character references are decoded by the parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAKS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "section", "table",
    "tbody", "tfoot", "thead", "ul",
})
_BLOCKS = frozenset({  # a blank line after them, as between the paragraphs of a text report
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "p", "pre", "table", "ul",
})
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
CELL_SEPARATOR = " | "


class _Lines(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []  # text of the line being built
        self._cells: list[str] | None = None  # the cells of the open table row
        self._cell: list[str] | None = None
        self._pre = 0
        self._hidden = 0
        self._lone_cell = False  # a cell outside any row: a row of its own

    def _end_block(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def _end_line(self) -> None:
        text = _SPACES.sub(" ", "".join(self._line)).strip()
        if text:
            self.lines.append(text)
        self._line = []

    def _end_cell(self) -> None:
        if self._cell is not None and self._cells is not None:
            self._cells.append(_SPACES.sub(" ", "".join(self._cell)).strip())
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        self._lone_cell = False
        if self._cells and any(self._cells):
            self.lines.append(CELL_SEPARATOR.join(self._cells))
        self._cells = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "tr":
            self._end_line()
            self._end_row()
            self._cells = []
        elif tag in _CELLS:
            self._end_cell()
            if self._cells is None:
                self._end_line()
                self._cells, self._lone_cell = [], True
            self._cell = []
        elif tag == "pre":
            self._end_line()
            self._pre += 1
        elif tag in _BREAKS and self._cell is None:
            self._end_line()
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "tr" or tag == "table":
            self._end_row()
            self._end_line()
        elif tag in _CELLS:
            self._end_cell()
            if self._lone_cell:
                self._end_row()
        elif tag == "pre":
            self._end_line()
            self._pre = max(0, self._pre - 1)
        elif tag in _BREAKS and self._cell is None:
            self._end_line()
        if tag in _BLOCKS and self._cell is None:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._pre:
            *whole, rest = data.split("\n")
            for part in whole:
                self._line.append(part)
                self.lines.append("".join(self._line).rstrip())
                self._line = []
            self._line.append(rest)
        else:
            self._line.append(data)

    def close(self) -> None:
        super().close()
        self._end_row()
        self._end_line()
        while self.lines and not self.lines[-1]:
            self.lines.pop()


def narrative_lines(markup: str) -> list[str]:
    """The lines of an XHTML narrative or an HTML document (see the module's docstring).
    Markup that is not well formed is read as far as it goes; it never raises."""
    parser = _Lines()
    parser.feed(markup)
    parser.close()
    return parser.lines
