"""OCR pages become the PDF reader's page words: boxes turned upright and shrunk to the ink."""

from __future__ import annotations

import math

from parsers.image import OcrLine, OcrPage, OcrWord
from parsers.pdf.layout import text_layer
from parsers.scanned.layer import page_skew, page_words, word_text


def _line(text: str, x0: float, y: float, width: float, index: int, *, degrees: float = 0.0,
          height: float = 9.0, centre: tuple[float, float] = (306.0, 396.0),
          score: float = 0.95) -> OcrLine:
    """A text box whose upright position is (x0, y), turned by ``degrees`` about ``centre``."""
    corners = [(x0, y), (x0 + width, y), (x0 + width, y + height), (x0, y + height)]
    a = math.radians(degrees)
    cx, cy = centre
    quad = tuple((cx + (x - cx) * math.cos(a) - (y_ - cy) * math.sin(a),
                  cy + (x - cx) * math.sin(a) + (y_ - cy) * math.cos(a)) for x, y_ in corners)
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    word = OcrWord(text, score, min(xs), min(ys), max(xs), max(ys), 0, index)
    return OcrLine(text, score, min(xs), min(ys), max(xs), max(ys), quad, 0, index, (word,))


def _page(lines: list[OcrLine]) -> OcrPage:
    return OcrPage(index=0, width=612.0, height=792.0, dpi=150.0, dpi_assumed=False, scale=1.5,
                   lines=tuple(lines), engine_seconds=0.0, seconds=0.0)


def _table(degrees: float) -> OcrPage:
    lines = []
    for row, (label, bmd, t) in enumerate([("L1-L4", "0.912", "-1.2"), ("L1", "0.801", "-2.1"),
                                           ("L2", "0.854", "-1.7")]):
        y = 300.0 + 12.0 * row
        lines += [_line(label, 60, y, 60, len(lines), degrees=degrees),
                  _line(bmd, 300, y, 30, len(lines) + 1, degrees=degrees),
                  _line(t, 520, y, 22, len(lines) + 2, degrees=degrees)]
    lines.append(_line("Lumbar spine results of the examination", 60, 250, 260, len(lines),
                       degrees=degrees))
    lines.append(_line("Reference curve and scores matched", 60, 270, 240, len(lines),
                       degrees=degrees))
    lines.append(_line("Total BMD CV 1.0% ACF 1.02", 60, 400, 240, len(lines), degrees=degrees))
    return _page(lines)


def _lines(page: OcrPage) -> list[str]:
    return [line.text for line in text_layer([page_words(page)]).lines]


def test_a_page_turned_one_degree_keeps_its_rows():
    texts = _lines(_table(1.0))
    assert "L1-L4 0.912 -1.2" in texts
    assert "L1 0.801 -2.1" in texts


def test_the_skew_of_an_upright_page_is_zero():
    assert page_skew(_table(0.0).lines) == 0.0
    assert math.isclose(math.degrees(page_skew(_table(1.0).lines)), 1.0, abs_tol=0.05)


def test_without_turning_back_a_skewed_row_would_split():
    """The look-alike: the same page with its skew ignored puts the row's cells on other
    lines (so the deskew above is what keeps them together)."""
    page = _table(1.0)
    flat = [(w.text, w.top) for w in page.words if w.text in ("L1-L4", "-1.2")]
    assert abs(flat[0][1] - flat[1][1]) > 6.0


def test_words_are_folded_like_pdf_words():
    assert _lines(_page([_line("T-score \u22121.2", 60, 300, 100, 0)])) == ["T-score -1.2"]


def test_boxes_are_shrunk_to_their_ink():
    """Two cells printed 4 pt apart come back as touching boxes grown by the detector; the
    words keep a gap between them (the layout reader splits header cells at gaps)."""
    page = _page([_line("T-Score", 270, 300, 34, 0, height=11.0),
                  _line("Young Ref. (%)", 304, 300, 52, 1, height=11.0)])
    first, second = page_words(page).words[:2]
    assert second.x0 - first.x1 >= 4.0
    assert first.bottom - first.top < 7.0


def test_numbers_of_an_unsure_box_are_left_out():
    sure = _page([_line("T-score -1.2", 60, 300, 100, 0)])
    unsure = _page([_line("T-score -7.2", 60, 300, 100, 0, score=0.6)])
    assert _lines(sure) == ["T-score -1.2"]
    assert _lines(unsure) == ["T-score"]


def test_an_unsure_box_without_a_word_is_left_out_whole():
    """``RR`` read at score 0.53 for a percentage is no word and no value: left out, so its
    table cell reads as empty and the row stays a row. An unsure word is kept (look-alike)."""
    garbled = _page([_line("RR", 60, 300, 100, 0, score=0.53), _line("Left", 60, 30, 50, 1)])
    assert _lines(garbled) == ["Left"]
    unsure_word = _page([_line("Total Left", 60, 30, 80, 0, score=0.6)])
    assert _lines(unsure_word) == ["Total Left"]


def test_an_unsure_first_half_of_a_two_line_score_header_is_kept():
    """'Z-' over 'score' at 100 dpi comes back at score 0.68-0.76: it is the column's label,
    not a value misread as letters; 'RR' (the look-alike) still goes."""
    for half in ("z-", "Z-", "T.", "T -"):
        header = _page([_line(half, 463, 390, 13, 0, score=0.7)])
        assert _lines(header) == [half.replace(" ", "")] or _lines(header) == [half], half
    assert _lines(_page([_line("RR", 463, 390, 13, 0, score=0.7)])) == []


def test_vertebral_labels_read_as_printed_values_untouched():
    assert [word_text(t) for t in ("L1.L4", "L.2-L3", "L.2.L4", "L1-L2.L4", "L1,L3-14")] == \
        ["L1,L4", "L2-L3", "L2,L4", "L1-L2,L4", "L1,L3-L4"]
    assert [word_text(t) for t in ("12-L3", "13-L4", "12,L4")] == ["L2-L3", "L3-L4", "L2,L4"]
    assert [word_text(t) for t in ("L1-L4", "L2", "1.023", "12", "L14", "-1.4", "12-13",
                                   "16-L3", "112-L3", "12-L")] == \
        ["L1-L4", "L2", "1.023", "12", "L14", "-1.4", "12-13", "16-L3", "112-L3", "12-L"]


def test_a_score_label_glued_to_the_next_header_at_a_damaged_seam_is_parted() -> None:
    """'T-Score' printed close before 'Young Ref. (%)': the detector joins them and the seam
    letter is misread; the label is parted off so that its column is found. Look-alikes stay."""
    assert [word_text(t) for t in ("T-Scoreoung", "T-Scoroung", "T-Scor&oung", "T-Scoréoung")] \
        == ["T-Score oung"] * 4
    assert [word_text(t) for t in ("Z-ScoAge", "Z-ScorAge", "T-Scoreung")] == \
        ["Z-Score Age", "Z-Score Age", "T-Score ung"]
    look_alikes = ("T-Score", "T-Scores", "T-Scored", "Z-Score", "TScore", "Scoreboard", "Z-Sco",
                   "T-Sc", "T-Score:", "TScdmaing", "Scdmaing")
    assert [word_text(t) for t in look_alikes] == list(look_alikes)


def test_a_score_label_printed_over_the_next_header_is_parted_where_it_smudges() -> None:
    """'T-Score' printed over 'Young Ref. (%)': the overlap reads as neither ('T-Scdmaing');
    the hyphenated 'T-Sc' is the label's own start and is parted off."""
    assert [word_text(t) for t in ("T-Scdmaing", "T-Scdimaing", "Z-Scomaing")] == \
        ["T-Score dmaing", "T-Score dimaing", "Z-Score maing"]


def _texts(page: OcrPage) -> list[str]:
    return [word.text for word in page_words(page).words]


def test_a_vertebra_label_read_as_a_number_is_set_right_by_its_column() -> None:
    """'12' between 'L1' and 'L3' in the labels' column is L2; a '12' in a value column, or a
    label column without its neighbouring level, stays as read (the look-alikes)."""
    rows = [("L1", "1.002"), ("12", "1.124"), ("L3", "1.185")]
    lines = []
    for row, (label, bmd) in enumerate(rows):
        lines += [_line(label, 56, 300 + 11.0 * row, 12, len(lines)),
                  _line(bmd, 338, 300 + 11.0 * row, 21, len(lines) + 1)]
    assert _texts(_page(lines))[:4] == ["L1", "1.002", "L2", "1.124"]
    values = [_line("L1", 56, 300, 12, 0), _line("12", 338, 311, 21, 1),
              _line("L3", 56, 322, 12, 2)]
    assert "12" in _texts(_page(values))
    alone = [_line("L4", 56, 300, 12, 0), _line("12", 56, 311, 12, 1)]
    assert "12" in _texts(_page(alone))


def test_a_vertebra_label_read_as_a_number_is_set_right_across_an_unread_label() -> None:
    """'12' with 'L4' two rows under it, the 'L3' between them unread: L2. One level two rows
    away, or the spine's order turned, says nothing (a 'T12' with 'L1' unread stays '12')."""
    def texts(label: str, below: str, rows: int) -> list[str]:
        return _texts(_page([_line(label, 56, 300, 12, 0),
                             _line(below, 56, 300 + 11.0 * rows, 12, 1)]))
    assert texts("12", "L4", 2)[0] == "L2"
    assert texts("13", "L5", 2)[0] == "L3"
    assert texts("12", "L3", 2)[0] == "12"  # one level, two rows
    assert texts("12", "L4", 4)[0] == "12"  # two levels, four rows
    assert texts("14", "L2", 2)[0] == "14"  # the order turned


def test_an_l1_whose_one_was_read_as_a_small_l_is_set_right_by_its_column() -> None:
    """'Ll' over a left-aligned 'L2' is L1; alone, or over a value, it stays as read."""
    def texts(label: str, below: str, x: float = 56) -> list[str]:
        return _texts(_page([_line(label, 56, 300, 12, 0), _line(below, x, 311, 12, 1)]))
    assert texts("Ll", "L2")[0] == "L1"
    assert texts("LI", "L2")[0] == "L1"
    assert texts("Ll", "L3")[0] == "Ll"  # not the level after
    assert texts("Ll", "L2", x=338)[0] == "Ll"  # not in the labels' column


def test_a_spaced_vertebral_range_whose_l_was_misread_is_set_right() -> None:
    """'L2 - L4' printed spaced comes back as 'L12 - 14' (an 'L' read as 'L1' and as '1'): a
    range up the spine with one 'L' left is set right; numbers and ranges down are not."""
    def text(box: str) -> str:
        return " ".join(_texts(_page([_line(box, 56, 300, 40, 0)])))
    assert [text(box) for box in ("L12 - 14", "L1 - 14", "L2 -14", "12 - L4")] == \
        ["L2 - L4", "L1 - L4", "L2 - L4", "L2 - L4"]
    assert [text(box) for box in ("12 - 14", "L14 - 12", "1.2 - 1.4", "L3-14")] == \
        ["12 - 14", "L14 - 12", "1.2 - 1.4", "L3-L4"]


def test_a_two_line_header_over_close_columns_reads_its_scores_through_ocr() -> None:
    """OCR boxes of a results table whose score headers are printed on two lines over columns
    about 25 pt apart (``T-`` over ``Score``, ``Young`` over ``Ref. (%)``): each value lands in
    its own column; without the join the lower halves were one cell and no score was read."""
    from parsers.pdf import read_pages

    header = [("Region", 150, 22, 452), ("BMD", 178, 12, 452), ("(g/cm2)", 192, 24, 452),
              ("T-", 347, 6, 446), ("Young", 367, 18, 446), ("Z-", 399, 6, 446),
              ("Age", 422, 12, 446), ("Score", 343, 14, 452), ("Ref. (%)", 367, 19, 452),
              ("Score", 395, 14, 452), ("Match (%)", 413, 26, 452)]
    row = [("L1-L4", 150, 20, 465), ("0.912", 190, 18, 465), ("-1.6", 344, 12, 465),
           ("79.4", 370, 12, 465), ("-0.4", 396, 12, 465), ("93.2", 422, 12, 465)]
    lines = [_line(text, x0, y, width, i, height=10.0)
             for i, (text, x0, width, y) in enumerate(header + row)]
    doc = read_pages([page_words(_page(lines))], path="p.png", sha256="0" * 64)
    [m] = doc.measurements
    assert (m.bmd_g_cm2, m.t_score, m.z_score, m.young_adult_pct, m.age_matched_pct) == \
        (0.912, -1.6, -0.4, 79.4, 93.2)


def test_a_number_cut_by_the_side_of_the_picture_is_not_read() -> None:
    """A dictated line longer than the page image ends at its right side: its last number may
    have lost digits (``-2`` of ``-2.2``) and is not read; the same number ending a box clear of
    the side is read, and a box at the side keeps its words."""
    cut = _line("corresponding to a T-score of -2", 400, 300, 211.8, 0)  # ends at 611.8 of 612
    clear = _line("corresponding to a T-score of -2.2", 300, 320, 250, 1)
    words = _line("measures 0.819 g/cm2, corresponding", 420, 340, 191.9, 2)
    left = _line("2 g/cm2 lower than before", 0.0, 360, 150, 3)
    point = _line("corresponding to a T-score of 1.", 400, 380, 211.8, 4)
    whole = _line("and a Z-score of -0.9.", 450, 400, 161.8, 5)
    change = _line("from 0.929 to 0.905 g/cm2 (-2.6%", 400, 420, 211.8, 6)
    texts = _lines(_page([cut, clear, words, left, point, whole, change]))
    assert texts.count("corresponding to a T-score of") == 2
    assert "and a Z-score of -0.9." in texts
    assert "from 0.929 to 0.905 g/cm2 (-2.6%" in texts
    assert "corresponding to a T-score of -2.2" in texts
    assert "measures 0.819 g/cm2, corresponding" in texts
    assert "g/cm2 lower than before" in texts


def test_an_unsure_vertebra_label_confirmed_by_its_column_is_kept() -> None:
    """'L1' read at score 0.69 over 'L2' and 'L3' in the labels' column is the first row's
    label (left out, the row was lost); an unsure 'L1' the column does not confirm stays out:
    beside the labels, or in a column without the level after it (the look-alikes)."""
    def rows(first: tuple[str, float, float]) -> list[OcrLine]:
        label, x0, score = first
        lines = [_line(label, x0, 300, 12, 0, score=score), _line("0.835", 338, 300, 21, 1)]
        for row, (text, bmd) in enumerate([("L2", "0.891"), ("L3", "0.927")], start=1):
            lines += [_line(text, 56, 300 + 11.0 * row, 12, len(lines)),
                      _line(bmd, 338, 300 + 11.0 * row, 21, len(lines) + 1)]
        return lines

    assert _lines(_page(rows(("L1", 56, 0.69))))[0] == "L1 0.835"
    assert _lines(_page(rows(("L1", 200, 0.69))))[0] == "0.835"
    no_next = [_line("L1", 56, 300, 12, 0, score=0.69), _line("L3", 56, 311, 12, 1)]
    assert "L1" not in _texts(_page(no_next))
    assert _texts(_page([_line("L4", 56, 300, 12, 0, score=0.69),
                         _line("L3", 56, 311, 12, 1)])) == ["L3"]


def test_a_bmd_header_printed_over_a_change_header_is_read_as_both() -> None:
    """'BMD (g/cm2)' printed over 'Change vs Previous (g/cm2)' comes back as one box whose
    overlap is neither header; it is read as both headers. Look-alikes stay as read: a box
    without 'Previous', a first word of its own (BMC, BMI), a word not starting as BMD."""
    def text(read: str) -> list[str]:
        return _lines(_page([_line(read, 219, 360, 152, 0)]))

    assert text("BMhang/ems)Previous(g/cm2)") == ["BMD Change vs Previous(g/cm2)"]
    assert text("B@hangems)Previous (g/cm2)") == ["BMD Change vs Previous (g/cm2)"]
    assert text("BMDChaugm2vs Previous (g/cm2)") == ["BMD Change vs Previous (g/cm2)"]
    for garbled in ("Bhange/os2 Previous (g/cm2)", "Emange/os2Previous (g/cm2)",
                    "BMDÇg/ang vs Previous (g/cm2)",
                    "Bargécms)Previous (g/cm2)"):  # BMD's letters lost but its B (or E)
        assert text(garbled) == ["BMD Change vs Previous (g/cm2)"], garbled
    for look_alike in ("BMhang/ems)Prev(g/cm2)", "BMC Previous (g)", "BMI Previous",
                       "Bone Previous (g/cm2)", "Baseline vs Previous", "Bhange/os2 Previous",
                       "E.g. Previous value", "BMD (g/cnChange vs Previous (g/cm2)"):
        assert text(look_alike) == [look_alike], look_alike


def test_a_range_from_l1_read_with_a_small_l_is_set_right() -> None:
    assert [word_text(t) for t in ("Ll-L4", "LI-L3", "Ll,L3", "Li-L4):", "Ll-L4);")] == \
        ["L1-L4", "L1-L3", "L1,L3", "L1-L4):", "L1-L4);"]
    assert [word_text(t) for t in ("Ll", "Ll-4", "All-L4", "Ll-L6", "Li", "Ll-L4a")] == \
        ["Ll", "Ll-4", "All-L4", "Ll-L6", "Li", "Ll-L4a"]


def test_a_trend_table_under_a_garbled_bmd_header_gives_its_priors() -> None:
    """Through the OCR layer and the PDF reader: the trend's BMD header is one garbled box
    with the change header; the priors' BMDs are read from their own column."""
    from parsers.pdf import read_pages

    boxes = [("Region", 40, 100, 28), ("BMD (g/cm2)", 150, 100, 46), ("YA T-score", 294, 100, 44),
             ("L1-L4", 40, 112, 22), ("0.885", 175, 112, 22), ("-2.4", 320, 112, 18),
             ("Densitometry Trend: L1-L4", 40, 140, 105), ("Measured Date", 40, 152, 55),
             ("Age (years)", 154, 152, 44), ("BMhang/ems)Previous(g/cm2)", 233, 152, 133),
             ("Change vs Previous (%)", 418, 152, 86)]
    for n, (date, age, bmd, change, percent) in enumerate([
            ("15/07/2007", "79.7", "0.897", None, None),
            ("25/10/2010", "83.0", "0.902", "0.007", "0.8"),
            ("17/03/2013", "85.4", "0.885", "-0.017", "-1.9")]):
        top = 164 + 11 * n
        boxes += [(date, 40, top, 40), (age, 178, top, 17), (bmd, 260, top, 22)]
        boxes += [(change, 340, top, 24), (percent, 488, top, 14)] if change else []
    lines = [_line(text, x0, y, width, i) for i, (text, x0, y, width) in enumerate(boxes)]
    doc = read_pages([page_words(_page(lines))], path="p.png", sha256="0" * 64)
    assert sorted((p.scan_date, p.levels, p.bmd_g_cm2) for p in doc.priors) == [
        ("2007-07-15", "L1-L4", 0.897), ("2010-10-25", "L1-L4", 0.902)]


def test_a_number_glued_to_the_date_after_it_is_parted_only_where_one_cut_fits() -> None:
    """A score box and the next column's date joined by the detector: parted where only one cut
    leaves a number with decimals and a possible date. Where two cuts give two dates
    (79.0 + 23/05 or 79.02 + 3/05), the word stays as read (a look-alike is never guessed)."""
    def text(read: str) -> list[str]:
        return _lines(_page([_line(read, 300, 300, 70, 0)]))

    assert text("-1.271/24/2012") == ["-1.27 1/24/2012"]
    assert text("99.04/8/2010") == ["99.0 4/8/2010"]
    for look_alike in ("79.023/05/2013", "12.512/31/2019", "1/24/2012", "0.911", "1.2/3/2004"):
        assert text(look_alike) == [look_alike], look_alike


def test_a_glued_number_and_date_with_two_cuts_takes_the_one_the_page_repeats() -> None:
    """'79.023/05/2013' is 79.0 and 23/05 or 79.02 and 3/05; the table row under the score
    block prints 79.0 on its own: that cut is taken. Where both numbers (or neither) are
    printed again, the word stays as read."""
    def texts(*others: str) -> list[str]:
        lines = [_line("79.023/05/2013", 300, 300, 70, 0)]
        lines += [_line(other, 300, 340 + 12 * i, 20, i + 1) for i, other in enumerate(others)]
        return _lines(_page(lines))

    assert texts("79.0")[0] == "79.0 23/05/2013"
    assert texts("79.0", "79.02")[0] == "79.023/05/2013"
    assert texts("79.1")[0] == "79.023/05/2013"


def test_a_percent_unit_run_into_the_next_header_is_parted() -> None:
    """'(%)' printed over 'LT Change' loses its bracket: '(%T' would name a young-adult
    percentage column (%T) and take the change values; parted it names nothing of its own.
    Alone, '(%' after 'Z-Score ge Match' made the Z column an age-matched percentage.
    A unit that closes, and '%T' without a bracket, stay as read."""
    assert [word_text(t) for t in ("(%T", "(%ST", "(%")] == ["(%) T", "(%) ST", "(%)"]
    assert [word_text(t) for t in ("(%)", "%T", "(%)T", "(g/cm2)")] == \
        ["(%)", "%T", "(%)T", "(g/cm2)"]


def test_october_read_with_a_zero_is_set_right() -> None:
    """'25-0ct-2023': the capital O of Oct read as a zero; no word starts with '0ct'. A zero
    inside a number or a word stays."""
    assert [word_text(t) for t in ("25-0ct-2023", "0ctober", "0ct.")] == \
        ["25-Oct-2023", "October", "Oct."]
    assert [word_text(t) for t in ("10ct", "0.0ct", "0cta", "30ct")] == \
        ["10ct", "0.0ct", "0cta", "30ct"]


def test_an_identifier_printed_over_its_labels_second_name_is_its_value() -> None:
    """'Patient ID / MRN:' with the id printed over 'MRN:': the box reads 'Patient ID /
    0009125760'. Digits only hold none of the hidden name's letters: the label's value. An id
    with letters may hold them ('MRMRN217817'), and a slash after another label is no id."""
    def text(read: str) -> list[str]:
        return _lines(_page([_line(read, 40, 60, 100, 0)]))

    assert text("Patient ID / 0009125760") == ["Patient ID: 0009125760"]
    for look_alike in ("Patient ID / MRMRN217817", "Patient ID /MR0008610726", "Height / 1234",
                       "Patient ID: 0009125760"):
        assert text(look_alike) == [look_alike], look_alike


def test_a_vertebral_label_glued_to_its_value_is_parted() -> None:
    """'Spine L1-L41.208 g/cm2': the label and the BMD after it in one word; a level is one
    digit, so the cut is the only one. A value of one decimal, a longer range, a label alone
    stay as read."""
    assert [word_text(t) for t in ("L1-L41.208", "L41.208", "L2-L40.9841")] == \
        ["L1-L4 1.208", "L4 1.208", "L2-L4 0.9841"]
    assert [word_text(t) for t in ("L12.5", "L1-L45", "L1-L4:", "L1-L40.9")] == \
        ["L12.5", "L1-L45", "L1-L4:", "L1-L40.9"]


def test_a_date_or_the_bmd_unit_glued_to_the_next_value_is_parted() -> None:
    """Narrow columns joined by the detector: '27/06/202381.8' (scan date, age) and 'g/cm20.6'
    (the BMD's unit, a T-score). A four-digit year and the squared unit leave one cut; a
    two-digit year, a number without decimals, the unit alone stay as read."""
    assert [word_text(t) for t in ("27/06/202381.8", "g/cm20.6", "g/cm2-1.2")] == \
        ["27/06/2023 81.8", "g/cm2 0.6", "g/cm2 -1.2"]
    assert [word_text(t) for t in ("27/06/2381.8", "27/06/20238", "g/cm22", "1.297g/cm2")] == \
        ["27/06/2381.8", "27/06/20238", "g/cm22", "1.297g/cm2"]
