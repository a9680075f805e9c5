"""A FHIR narrative's XHTML as the lines of a text report."""

from __future__ import annotations

from parsers.fhir.narrative import narrative_lines
from parsers.prose.tables import read_header, row_cells


def test_paragraphs_breaks_and_lists_are_lines_with_blank_lines_between_blocks() -> None:
    lines = narrative_lines("<div><h3>Findings</h3><p>First line<br/>second &amp; last</p>"
                            "<ul><li>one</li><li>two</li></ul><p>End.</p></div>")
    assert lines == ["Findings", "", "First line", "second & last", "", "one", "two", "",
                     "End."]


def test_table_rows_are_pipe_rows_the_table_reader_reads() -> None:
    lines = narrative_lines("<table><thead><tr><th>Region</th><th>BMD</th><th>T-score</th>"
                            "</tr></thead><tr><td>Total hip</td><td>0.8 g/cm&#178;</td>"
                            "<td></td></tr></table>")
    assert lines == ["Region | BMD | T-score", "Total hip | 0.8 g/cm\u00b2 | "]
    columns = read_header(lines[0])
    assert columns is not None
    assert row_cells(lines[1], columns) == ["Total hip", "0.8 g/cm\u00b2", ""]


def test_pre_keeps_its_lines_and_scripts_are_no_text() -> None:
    lines = narrative_lines("<div><script>var x = 1;</script><style>p {}</style>"
                            "<pre>Note:\n  - kept  as written\n\nlast</pre>after</div>")
    assert lines == ["Note:", "  - kept  as written", "", "last", "", "after"]


def test_a_line_break_inside_a_cell_stays_in_its_cell() -> None:
    assert narrative_lines("<table><tr><td>Left<br/>femur</td><td>0.7</td></tr></table>") == [
        "Left femur | 0.7"]


def test_broken_markup_is_read_as_far_as_it_goes() -> None:
    assert narrative_lines("<div><p>BMD 0.9<td>cell</p></tr><table><tr>") == [
        "BMD 0.9", "cell"]
    assert narrative_lines("") == []
