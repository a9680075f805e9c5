"""Header cells by meaning (``parsers.pdf.headers``): spacing neither joins nor splits a
column header; a qualifier joins its head word, a unit the header before it."""

from __future__ import annotations

import pytest

from parsers.pdf import PageWords, read_pages
from parsers.pdf.headers import header_cells, stacked
from parsers.pdf.layout import Line, Word
from parsers.pdf.tables import build_columns, header_kind

_JOINED = frozenset({"bmd_g_cm2", "t_score", "z_score", "young_adult_pct", "age_matched_pct"})

_CHAR = 4.5  # points per character of these hand-set lines


def _line(*cells: tuple[float, str], space: float = _CHAR) -> Line:
    """A header line: each cell's words start at its x, words ``space`` apart."""
    words = []
    for x, text in cells:
        for token in text.split():
            words.append(Word(token, x, x + _CHAR * len(token), 100.0, 106.0))
            x += _CHAR * len(token) + space
    return Line(0, words)


def _roles(line: Line) -> list[tuple[str, str]]:
    return [(text, header_kind(text)) for _, _, _, text in header_cells(line, header_kind)]


def test_widely_spaced_words_of_one_header_are_one_column() -> None:
    line = _line((40, "Region"), (120, "BMD (g/cm2)"), (230, "T - score"), (320, "Z - score"),
                 space=9.0)
    assert _roles(line) == [("Region", "label"), ("BMD (g/cm2)", "bmd_g_cm2"),
                            ("T - score", "t_score"), ("Z - score", "z_score")]


def test_headers_close_together_are_split_by_what_they_name() -> None:
    line = _line((40, "Region BMD T-score Z-score"), space=2.0)
    assert _roles(line) == [("Region", "label"), ("BMD", "bmd_g_cm2"), ("T-score", "t_score"),
                            ("Z-score", "z_score")]


def test_a_young_adult_percent_column_is_not_a_t_score() -> None:
    line = _line((40, "Region"), (100, "BMD"), (150, "YA (%)"), (200, "YA T-score"),
                 (270, "Young Ref. (%)"), (350, "AM Z-score"))
    assert [role for _, role in _roles(line)] == [
        "label", "bmd_g_cm2", "young_adult_pct", "t_score", "young_adult_pct", "z_score"]


def _trend_page(change_header_x: float) -> PageWords:
    """A trend table whose right-aligned headers run over each other: ``Change vs Previous
    (g/cm2)`` starts left of the end of ``BMD (g/cm2)``."""
    def box(text: str, x1: float, top: float) -> tuple[str, float, float, float, float]:
        return (text, x1 - _CHAR * len(text), top, x1, top + 6)
    rows = [box("AP Spine Bone Density", 200, 20), ("Region", 40, 36, 70, 42),
            box("BMD", 260, 36), box("T-score", 330, 36), ("L1-L4", 40, 48, 65, 54),
            box("1.100", 260, 48), box("-0.6", 330, 48)]
    rows += [box("Densitometry Trend: L1-L4", 200, 80)]
    rows += [("Measured Date", 40, 100, 100, 106), box("Age (years)", 180, 100),
             box("BMD (g/cm2)", 260, 100), (
                 "Change vs Previous (g/cm2)", change_header_x, 100, 350, 106)]
    for top, date, age, bmd, change in ((112, "1/25/2023", "47.5", "1.099", "-"),
                                         (124, "9/15/2024", "49.2", "1.100", "0.001")):
        rows += [(date, 40, top, 85, top + 6), box(age, 180, top), box(bmd, 260, top),
                 box(change, 350, top)]
    return PageWords.from_boxes(612, 792, rows)


# the change header starts left of the BMD header, over it, touching its head word, after it
@pytest.mark.parametrize("change_x", [209.0, 215.0, 224.8, 226.5])
def test_headers_printed_over_each_other_keep_bmd_and_change_apart(change_x: float) -> None:
    page = _trend_page(change_x)
    roles = _roles(Line(0, [w for w in page.words if 99 < w.top < 101]))
    assert ("BMD (g/cm2)", "bmd_g_cm2") in roles
    assert ("Change vs Previous (g/cm2)", "change") in roles
    doc = read_pages([page], path="p.png", sha256="0" * 64)
    assert [(p.scan_date, p.bmd_g_cm2) for p in doc.priors] == [("2023-01-25", 1.099)]
    assert [m.bmd_g_cm2 for m in doc.measurements] == [1.100]  # trend rows are no measurement


def test_header_words_printed_without_a_space_are_split() -> None:
    line = _line((40, "Region"), (100, "T-ScoreYoung Ref. (%)Z-Score"), space=3.0)
    assert _roles(line) == [("Region", "label"), ("T-Score", "t_score"),
                            ("Young Ref. (%)", "young_adult_pct"), ("Z-Score", "z_score")]


def test_a_value_beside_a_header_is_not_part_of_it() -> None:
    line = _line((200, "93.0 Date"), (300, "Value"))
    assert _roles(line)[0] == ("93.0", "")


def test_a_percent_unit_beside_a_score_is_the_next_columns() -> None:
    """Two-level headers printed close together: ``(%)`` after ``T-Score`` belongs to the
    age-matched percent column, never to the T-score (a score has no unit)."""
    line = _line((40, "Region"), (100, "(g/cm2)"), (136, "(%)"), (153, "T-Score"),
                 (188, "(%)"), (205, "Z-Score"), space=2.0)
    roles = _roles(line)
    assert ("T-Score", "t_score") in roles and ("Z-Score", "z_score") in roles
    assert not any(role == "young_adult_pct" or "T-Score (%)" in text for text, role in roles)


def test_two_level_percent_and_score_headers_read_their_own_values() -> None:
    """``Young-Adult`` over ``(%)`` and ``T-Score``, ``Age-Matched`` over ``(%)`` and
    ``Z-Score``, the unit line close together (as OCR boxes of a GE ancillary table come
    back): each value lands in its own column."""
    def box(text: str, x0: float, x1: float, top: float) -> tuple[str, float, float, float,
                                                                  float]:
        return (text, x0, top, x1, top + 5)
    rows = [box("BMD", 248, 262, 255), box("Young-Adult", 285, 330, 255),
            box("Age-Matched", 336, 381, 255), box("Region", 158, 182, 264),
            box("(g/cm2)", 244, 268, 264), box("(%)", 285, 297, 264),
            box("T-Score", 306, 331, 264), box("(%)", 336, 348, 264),
            box("Z-Score", 357, 381, 264)]
    rows += [box("L1-L4", 169, 186, 277), box("1.146", 246, 266, 277), box("97", 287, 296, 277),
             box("-0.3", 309, 324, 277), box("101", 335, 348, 277), box("0.1", 362, 374, 277)]
    doc = read_pages([PageWords.from_boxes(612, 792, rows)], path="p.png", sha256="0" * 64)
    [row] = doc.measurements
    assert (row.bmd_g_cm2, row.t_score, row.z_score) == (1.146, -0.3, 0.1)
    assert row.young_adult_pct in (None, 97.0) and row.age_matched_pct in (None, 101.0)


def _band_roles(*lines: list[tuple[str, float, float]], top: float = 100.0,
                pitch: float = 5.0) -> list[tuple[str, str]]:
    """The columns of a header band of hand-set lines of ``(text, x0, x1)`` words, ``pitch``
    points apart (OCR lines of a two-line header come back closer than a line height)."""
    band = [Line(0, [Word(text, x0, x1, top + i * pitch, top + i * pitch + 6)
                     for text, x0, x1 in words]) for i, words in enumerate(lines)]
    return [(column.label, column.role) for column in build_columns(band)]


# two-line headers close together: alone, "Score Ref. (%) Score Match (%)" names no column
_UPPER = [("T-", 347, 353), ("Young", 367, 385), ("Z-", 399, 405), ("Age", 422, 434),
          ("ST", 445, 452), ("Change", 454, 476)]
_LOWER = [("Score", 343, 357), ("Ref.", 367, 378), ("(%)", 379, 386), ("Score", 395, 409),
          ("Match", 413, 428), ("(%)", 429, 439), ("(%)", 456, 465)]
_LEFT = [("Region", 150, 172), ("BMD", 178, 190), ("(g/cm2)", 192, 216)]
_SCORES = [("T- Score", "t_score"), ("Young Ref. (%)", "young_adult_pct"),
           ("Z- Score", "z_score"), ("Age Match (%)", "age_matched_pct")]


def test_a_header_printed_on_two_lines_close_together_is_joined_by_meaning() -> None:
    roles = _band_roles(_UPPER, _LEFT + _LOWER)
    assert [r for r in roles if r[1] in ("t_score", "young_adult_pct", "z_score",
                                         "age_matched_pct")] == _SCORES
    assert ("BMD (g/cm2)", "bmd_g_cm2") in roles
    assert not any(role for label, role in roles if "Change" in label)  # no value column


def test_the_halves_of_a_two_line_header_join_across_a_line_between() -> None:
    """OCR may put the row-label header (``Region BMD``) on a line of its own between them."""
    roles = _band_roles(_UPPER, _LEFT, _LOWER, pitch=3.5)
    assert [r for r in roles if r[1] in ("t_score", "young_adult_pct", "z_score",
                                         "age_matched_pct")] == _SCORES


def test_a_unit_does_not_jump_over_a_whole_header_to_a_score() -> None:
    """``Z- Score`` touching ``Age Match (%)`` (OCR boxes overlap by a point): the ``(%)`` of
    the change column after them is not the Z-score's unit (a score with a percent unit names
    nothing, and the Z-scores would be lost)."""
    lower = [(t, 415 if t == "Match" else x0, 416 if x0 == 395 else x1)
             for t, x0, x1 in _LOWER]
    roles = _band_roles(_UPPER, _LEFT + lower)
    assert ("Z- Score", "z_score") in roles and ("Age Match (%)", "age_matched_pct") in roles


@pytest.mark.parametrize(("upper", "lower"), [
    ([("BMD", 180, 195)], [("(g/cm2)", 176, 200)]),  # a unit under its header: a second level
    ([("ST", 444, 451), ("Change", 453, 476)], [("(%)", 454, 464)]),  # names no value
    ([("Left", 340, 352)], [("T-score", 336, 360)]),  # the lower half names the column alone
    ([("Young-Adult", 285, 330)], [("(%)", 285, 297), ("T-Score", 306, 331)]),  # two columns
])
def test_words_over_each_other_that_name_no_new_value_column_stay_apart(
        upper: list[tuple[str, float, float]], lower: list[tuple[str, float, float]]) -> None:
    top, bottom = (Line(0, [Word(t, x0, x1, y, y + 6) for t, x0, x1 in words])
                   for words, y in ((upper, 100.0), (lower, 106.0)))
    assert stacked(top, bottom, header_kind, _JOINED) == (top, bottom)


def _copy(line: Line) -> Line:
    """The same words at the same places, as other objects (the same template header in
    another report)."""
    return Line(line.page, [Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in line.words])


def test_a_header_line_printed_again_reads_the_same() -> None:
    """Header cells and two-line joins are remembered by content: a line printed again reads
    as the first, and a line that differs by one word or one place is read on its own."""
    line = _line((40, "Region"), (120, "BMD (g/cm2)"), (230, "T - score"), space=9.0)
    first = header_cells(line, header_kind)
    assert header_cells(_copy(line), header_kind) == first
    moved = _line((40, "Region"), (120, "BMD (g/cm2)"), (230, "T - score"), space=2.0)
    assert header_cells(moved, header_kind) != first
    other = _line((40, "Region"), (120, "BMD (g/cm2)"), (230, "Z - score"), space=9.0)
    assert [header_kind(c[3]) for c in header_cells(other, header_kind)] == [
        "label", "bmd_g_cm2", "z_score"]


def test_a_two_line_header_printed_again_joins_its_own_words() -> None:
    upper = Line(0, [Word(text, x0, x1, 100.0, 106.0) for text, x0, x1 in _UPPER])
    lower = Line(0, [Word(text, x0, x1, 105.0, 111.0) for text, x0, x1 in _LOWER])
    first_rest, first_lower = stacked(upper, lower, header_kind, _JOINED)
    again_upper, again_lower = _copy(upper), _copy(lower)
    rest, joined = stacked(again_upper, again_lower, header_kind, _JOINED)
    assert joined.text == first_lower.text and "T- Score" in joined.text
    assert (rest.text if rest else None) == (first_rest.text if first_rest else None)
    kept = {id(w) for w in again_lower.words}  # the words of this line, not the first one's
    assert all(id(w) in kept for w in joined.words if " " not in w.text)
    assert not {id(w) for w in first_lower.words} & {id(w) for w in joined.words}


def test_a_unit_ends_a_header_so_two_change_headers_stay_two() -> None:
    """'Change vs Previous (g/cm2)' and 'Change vs Previous (%)' set close together (one OCR box)
    are two columns: the unit closes the first. Without a unit, neighbouring words of one
    role are one header (the look-alike: 'Measured' 'Date')."""
    line = _line((40, "Change vs Previous (g/cm2) Change vs Previous (%)"), space=2.0)
    assert [text for text, _ in _roles(line)] == ["Change vs Previous (g/cm2)",
                                                  "Change vs Previous (%)"]
    assert [text for text, _ in _roles(_line((40, "Measured Date"), space=6.0))] == \
        ["Measured Date"]
