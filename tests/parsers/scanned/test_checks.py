"""The report's own cross-checks drop OCR'd rows that contradict the rest of the report."""

from __future__ import annotations

from dexa.contract import Measurement
from parsers.scanned.checks import OCR_VALUE_DROPPED, checked


def _row(region: str, side: str | None = None, levels: str | None = None, **values: float
         ) -> Measurement:
    return Measurement(region=region, side=side, levels=levels, **values)  # type: ignore[arg-type]


def _sides(rows: list[Measurement]) -> list[str | None]:
    return [row.side for row in rows]


def test_consistent_rows_are_kept_without_warning():
    rows = [_row("femoral_neck", "left", t_score=-1.3, z_score=-1.1),
            _row("femoral_neck", "right", t_score=-1.9, z_score=-1.8),
            _row("femoral_neck", "mean", t_score=-1.6, z_score=-1.4)]
    kept, warnings = checked(rows)
    assert kept == rows
    assert warnings == []


def test_a_lost_minus_sign_is_caught_by_t_minus_z_across_the_sides():
    rows = [_row("total_hip", "left", t_score=-1.4, z_score=-1.2),
            _row("total_hip", "right", t_score=1.8, z_score=-1.6),  # "-1.8" read as "1.8"
            _row("total_hip", "mean", t_score=-1.6, z_score=-1.4)]
    kept, warnings = checked(rows)
    assert _sides(kept) == ["left", "mean"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{OCR_VALUE_DROPPED}: total_hip right")


def test_two_sides_that_disagree_are_both_dropped():
    rows = [_row("femoral_neck", "left", t_score=-1.3, z_score=-1.1),
            _row("femoral_neck", "right", t_score=-1.9, z_score=-0.8)]
    kept, warnings = checked(rows)
    assert kept == []
    assert len(warnings) == 2


def test_vertebrae_may_differ_in_t_minus_z():
    rows = [_row("vertebra", levels="L1", t_score=-1.0, z_score=0.1),
            _row("vertebra", levels="L2", t_score=-1.2, z_score=0.3),
            _row("vertebra", levels="L3", t_score=-0.9, z_score=0.5)]
    assert checked(rows)[0] == rows


def test_a_dropped_decimal_point_is_out_of_range():
    rows = [_row("lumbar_spine", levels="L1-L4", bmd_g_cm2=0.912, t_score=-23.0, z_score=-1.1)]
    kept, warnings = checked(rows)
    assert kept == []
    assert "t_score" in warnings[0]


def test_t_score_sign_must_agree_with_the_young_adult_percentage():
    wrong = _row("radius_33", "left", t_score=0.8, young_adult_pct=92.0)
    right = _row("radius_33", "left", t_score=-0.8, young_adult_pct=92.0)
    assert checked([wrong])[0] == []
    assert checked([right])[0] == [right]


def test_z_score_size_must_agree_with_the_age_matched_percentage():
    wrong = _row("femoral_neck", "left", z_score=-0.2, age_matched_pct=78.0)  # "-2.0" misread
    right = _row("femoral_neck", "left", z_score=-2.0, age_matched_pct=78.0)
    assert checked([wrong])[0] == []
    assert checked([right])[0] == [right]


def test_a_row_without_any_score_is_dropped():
    """Its score columns were not read; a row with one score is kept (the look-alike)."""
    assert checked([_row("total_hip", "left", bmd_g_cm2=0.812)])[0] == []
    kept = _row("total_hip", "left", bmd_g_cm2=0.812, t_score=-1.2)
    assert checked([kept])[0] == [kept]


def test_a_bmd_stated_in_a_sentence_stands_without_a_score():
    """A dictated report binds its BMD to its words, not to a column: kept without a score
    (its line may run past the picture's side). The same row from a table is dropped (the
    look-alike above), and ranges still hold."""
    neck = _row("femoral_neck", "left", bmd_g_cm2=0.665)
    assert checked([neck], in_sentences=True) == ([neck], [])
    assert checked([neck])[0] == []
    assert checked([_row("femoral_neck", "left", bmd_g_cm2=665.0)], in_sentences=True)[0] == []


def test_a_page_without_a_table_is_read_from_sentences():
    from parsers.pdf import PageWords
    from parsers.scanned.reader import _layout_facts
    dictated = [PageWords.from_boxes(612, 792, [
        ("The Left femoral neck bone mineral density measures 0.665 g/cm2, corresponding", 40,
         100, 611, 108),
        ("Total hip, left bone mineral density measures 0.724 g/cm2, corresponding to a", 40,
         112, 611, 120)])]
    assert _layout_facts(dictated) == (False, True)
    table = _table_words([(40, "Region"), (120, "BMD"), (200, "T-score"), (280, "Z-score")],
                         [[(40, "Neck Left"), (120, "0.741"), (205, "-2.1"), (285, "0.3")]])
    assert _layout_facts(table) == (False, False)


def test_a_bmd_only_row_vouched_for_by_its_bmc_is_kept_where_scores_were_read():
    """GE ancillary rows print ``-`` for the scores of the ulna or Ward's: the row is kept when
    BMD x area = BMC and the page's score columns were read (another row has a score, or the
    layout reader found a score column printed empty); not otherwise (a garbled header), and
    not when the three disagree (a neighbouring column's number)."""
    ulna = _row("ulna_33", "right", bmd_g_cm2=0.798, area_cm2=2.03, bmc_g=1.62)
    radius = _row("radius_33", "right", bmd_g_cm2=0.897, area_cm2=2.31, bmc_g=2.07,
                  t_score=0.1, z_score=1.5)
    assert checked([radius, ulna])[0] == [radius, ulna]
    assert checked([ulna], score_column_empty=True)[0] == [ulna]
    assert checked([ulna])[0] == []  # no score read anywhere: the header may be garbled
    misread = ulna.model_copy(update={"bmd_g_cm2": 2.03})  # the area's number under BMD
    assert checked([radius, misread])[0] == [radius]
    unvouched = ulna.model_copy(update={"bmc_g": None})
    assert checked([radius, unvouched])[0] == [radius]


def test_a_region_printed_without_scores_keeps_its_bmd_where_scores_were_read():
    """The femoral shaft has no reference curve (its score cells print '-'): a BMD alone is
    all it states, also in a table without BMC. The trochanter still needs a score or BMC, and
    where no row has a score the page's score columns were not read (the look-alikes)."""
    neck = _row("femoral_neck", "left", bmd_g_cm2=0.536, t_score=-2.4, z_score=-2.2)
    shaft = _row("femoral_shaft", "left", bmd_g_cm2=0.778)
    assert checked([neck, shaft]) == ([neck, shaft], [])
    assert checked([neck, _row("trochanter", "left", bmd_g_cm2=0.778)])[0] == [neck]
    assert checked([shaft])[0] == []


def test_regions_stated_without_reference_data_keep_their_bmd():
    """'No reference data for Left Forearm': the forearm rows print BMD and '-' only."""
    neck = _row("femoral_neck", "left", bmd_g_cm2=0.536, t_score=-2.4, z_score=-2.2)
    radius = _row("radius_33", "left", bmd_g_cm2=0.765)
    assert checked([neck, radius], unscored=frozenset({"radius_33"})) == ([neck, radius], [])
    assert checked([neck, radius])[0] == [neck]  # not stated: its scores were not read


def test_bmd_times_area_must_give_the_bmc():
    right = _row("total_hip", "left", bmd_g_cm2=0.812, area_cm2=36.10, bmc_g=29.31, t_score=-1.0)
    wrong = _row("total_hip", "left", bmd_g_cm2=0.612, area_cm2=36.10, bmc_g=29.31, t_score=-1.0)
    assert checked([right])[0] == [right]
    assert checked([wrong])[0] == []


def test_a_mean_row_printing_each_columns_mean_is_vouched_for_by_its_sides():
    """Hologic's mean row: each column's mean (BMC over area is 0.683, not 0.729); its BMD is
    the mean of the left and right BMDs. A mean BMD that is neither is dropped."""
    def rows(mean: float) -> list[Measurement]:
        return [_row("trochanter", "left", bmd_g_cm2=0.803, area_cm2=2.97, bmc_g=2.39, z_score=1.0),
                _row("trochanter", "right", bmd_g_cm2=0.655, area_cm2=13.05, bmc_g=8.55,
                     z_score=-0.4),
                _row("trochanter", "mean", bmd_g_cm2=mean, area_cm2=8.01, bmc_g=5.47,
                     z_score=0.3)]
    assert _sides(checked(rows(0.729))[0]) == ["left", "right", "mean"]
    assert _sides(checked(rows(0.792))[0]) == ["left", "right"]  # a misread digit
    alone = rows(0.729)[2:]
    assert checked(alone)[0] == []  # no sides to vouch for it


def test_a_composite_spine_bmd_lies_between_its_vertebrae():
    vertebrae = [_row("vertebra", levels=f"L{n}", bmd_g_cm2=bmd, t_score=-1.0)
                 for n, bmd in ((1, 0.801), (2, 0.854), (3, 0.902), (4, 0.930))]
    inside = _row("lumbar_spine", levels="L1-L4", bmd_g_cm2=0.879, t_score=-1.0)
    outside = _row("lumbar_spine", levels="L1-L4", bmd_g_cm2=0.579, t_score=-1.0)
    assert checked([*vertebrae, inside])[0] == [*vertebrae, inside]
    kept, warnings = checked([*vertebrae, outside])
    assert kept == vertebrae
    assert "composite" in warnings[0]


def _table_words(headers: list[tuple[float, str]], rows: list[list[tuple[float, str]]]):
    from parsers.pdf import PageWords
    boxes = [(text, x, 88, x + 5 * len(text), 96) for x, text in headers]
    for n, cells in enumerate(rows):
        top = 100 + 12 * n
        boxes += [(text, x, top, x + 5 * len(text), top + 8) for x, text in cells]
    return [PageWords.from_boxes(612, 792, boxes)]


def _scores_printed_empty(words) -> bool:  # noqa: ANN001
    from parsers.scanned.reader import _layout_facts
    return _layout_facts(words)[0]


def test_scores_printed_empty_needs_both_score_columns_empty():
    """GE ancillary rows print ``-`` under T and Z: the scores were read as absent. A table
    whose only score column found (T) is empty may hold Z values under an unread header."""
    both = _table_words([(40, "Region"), (120, "BMD"), (200, "T-score"), (280, "Z-score")],
                        [[(40, "Neck Left"), (120, "1.347"), (205, "-"), (285, "-")],
                         [(40, "Neck Right"), (120, "1.232"), (205, "-"), (285, "-")]])
    assert _scores_printed_empty(both)
    only_t = _table_words([(40, "Region"), (120, "BMD"), (200, "T-score"), (280, "score")],
                          [[(40, "Total"), (120, "0.986"), (285, "-1.6")]])
    assert not _scores_printed_empty(only_t)
    scored = _table_words([(40, "Region"), (120, "BMD"), (200, "T-score"), (280, "Z-score")],
                          [[(40, "Neck Left"), (120, "0.741"), (205, "-2.1"), (285, "0.3")]])
    assert not _scores_printed_empty(scored)
