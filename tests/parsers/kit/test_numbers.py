"""parsers.kit.numbers: signs in every look-alike, spaced signs, units, empty marks, commas by
policy, precision kept, and the look-alikes that are not numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit.numbers import (
    DENSITY,
    PERCENT,
    SCORE,
    Commas,
    find_number,
    find_numbers,
    is_empty_mark,
    read_number,
    unit_key,
)
from tests.parsers.kit.test_text import MINUS_LOOK_ALIKES

T = Commas.THOUSANDS


@pytest.mark.parametrize("minus", [*MINUS_LOOK_ALIKES, "-", "\u00ad"])
def test_every_minus_look_alike_before_a_digit_is_a_minus(minus: str) -> None:
    assert read_number(f"{minus}1.2", commas=T).text == "-1.2"
    assert find_number(f"T-score {minus}1.2", commas=T).value == -1.2


@pytest.mark.parametrize("mark", ["-", "\u2212", "\u2013", "\u2014", "--", "---", "*", "",
                                  "  ", "n/a", "N/A", "NA", "n.a.", "none", "Nil", "\u2012",
                                  "not applicable"])
def test_empty_marks_are_no_value_never_a_number(mark: str) -> None:
    assert is_empty_mark(mark)
    assert read_number(mark, commas=T) is None
    assert find_number(mark, commas=T) is None


@pytest.mark.parametrize("text", ["-1.0", "0.891", "0", "n/a5", "L1", "nan", "inf"])
def test_values_are_not_empty_marks(text: str) -> None:
    assert not is_empty_mark(text)


def test_spaced_sign_only_where_the_caller_allows_it() -> None:
    assert read_number("- 1.2", commas=T) is None
    assert read_number("- 1.2", commas=T, spaced_sign=True).value == -1.2
    assert read_number("+ 0.3", commas=T, spaced_sign=True).value == 0.3
    assert read_number("\u2212 1.2", commas=T, spaced_sign=True).value == -1.2
    # in running text, a separator dash before a number is not its sign unless allowed
    assert find_number("Lumbar spine - 0.033 gm/cm2", commas=T).value == 0.033
    assert find_number("T-score: - 1.2", commas=T, spaced_sign=True).value == -1.2


@pytest.mark.parametrize(("text", "value", "decimals"), [
    ("-.8", -0.8, 1), ("+.25", 0.25, 2), (".891", 0.891, 3), ("-1.20", -1.2, 2),
    ("0.930", 0.93, 3), ("87", 87.0, 0), ("+0.3", 0.3, 1),
])
def test_signs_leading_dots_and_precision(text: str, value: float, decimals: int) -> None:
    number = read_number(text, commas=T)
    assert number.value == value
    assert number.decimals == decimals


def test_precision_is_kept_as_printed() -> None:
    number = read_number("-1.20", commas=T)
    assert number.text == "-1.20"
    assert number.decimal == Decimal("-1.20")
    assert str(number.decimal) == "-1.20"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("0.891 g/cm\u00b2", 0.891, "g/cm2"),
    ("0.891g/cm2", 0.891, "g/cm2"),
    ("0.891\u00a0g/cm2", 0.891, "g/cm2"),
    ("0.618 gm/cm2", 0.618, "g/cm2"),
    ("0.618 grams per square centimetre", 0.618, "g/cm2"),
    ("891 mg/cm2", 891.0, "mg/cm2"),
    ("12.3%", 12.3, "%"),
    ("87 %", 87.0, "%"),
    ("31.54 g", 31.54, "g"),
    ("37.75 cm\u00b2", 37.75, "cm2"),
    ("1.285*", 1.285, None),  # footnote star
    ("60.4 years", 60.4, "years"),
    ("-1.2 SD", -1.2, "sd"),
    ("65in", 65.0, "in"),
])
def test_units_attached_or_inside_the_cell(text: str, value: float, unit: str | None) -> None:
    number = read_number(text, commas=T)
    assert (number.value, number.unit) == (value, unit)


def test_commas_are_decided_by_the_caller() -> None:
    assert read_number("1,656", commas=Commas.THOUSANDS).value == 1656
    assert read_number("1,187", commas=Commas.DECIMAL).value == 1.187
    assert read_number("1.187", commas=Commas.DECIMAL).value == 1.187
    assert read_number("1,656", commas=Commas.NONE) is None
    assert read_number("1,5", commas=Commas.THOUSANDS) is None
    assert read_number("1,000.5", commas=Commas.DECIMAL) is None
    assert [n.value for n in find_numbers("0.8,0.9", commas=Commas.NONE)] == [0.8, 0.9]
    assert find_number("BMC 1,656 g", commas=Commas.THOUSANDS).value == 1656


def test_the_unit_a_caller_asks_for() -> None:
    assert read_number("2.5%", commas=T, units=SCORE) is None  # a percentage is not a T-score
    assert read_number("-2.5", commas=T, units=SCORE).value == -2.5
    assert read_number("87%", commas=T, units=PERCENT).value == 87
    assert read_number("0.891 g/cm2", commas=T, units=SCORE) is None
    assert read_number("0.891 g/cm2", commas=T, units=DENSITY).value == 0.891
    assert find_number("YA 87% T-score -1.3", commas=T, units=SCORE).value == -1.3


@pytest.mark.parametrize("text", [
    "L1-L4", "L1-4", "L2 - L4"[0:2], "A1204190D", "1/3", "1/3 radius", "12/04/2019",
    "04.12.2019", "2019-12-04", "1:51:17", "4th", "ages 20-30", "Z-1.0", "T12", "abc",
    "Version 13.6.0.5", "DF+500475",
])
def test_look_alikes_that_are_not_numbers(text: str) -> None:
    assert find_number(text, commas=T) is None


def test_a_level_range_is_never_a_negative_number() -> None:
    numbers = [n.value for n in find_numbers("L1-L4 0.930 -1.0 L2-L4", commas=T)]
    assert numbers == [0.93, -1.0]
    assert read_number("L1-L4", commas=T) is None


def test_a_spaced_in_is_a_word_not_inches() -> None:
    number = find_number("T-score -1.2 in the femoral neck", commas=T, units=SCORE)
    assert (number.value, number.unit) == (-1.2, None)


def test_an_unknown_unit_is_left_to_the_caller() -> None:
    number = find_number("11.87 kg/m2", commas=Commas.DECIMAL)
    assert (number.value, number.unit) == (11.87, None)
    assert number.end == 5


def test_exponent_only_where_asked() -> None:
    assert read_number("1.2E-01", commas=T, exponent=True).value == 0.12
    assert read_number("1.2E-01", commas=T) is None


def test_comparator_is_kept() -> None:
    number = read_number("<0.1", commas=T)
    assert (number.value, number.comparator) == (0.1, "<")


@pytest.mark.parametrize(("text", "unit"), [
    ("(g/cm\u00b2)", "g/cm2"), ("[%]", "%"), ("percent", "%"), ("cm2", "cm2"), ("in", "in"),
    ("lbs", "lb"), ("yrs", "years"), ("BMD", None), ("kg/m2", None),
])
def test_unit_key(text: str, unit: str | None) -> None:
    assert unit_key(text) == unit


@settings(deadline=None, max_examples=300)
@given(st.decimals(min_value=-9, max_value=9, places=3, allow_nan=False),
       st.sampled_from(["-", "\u2212", "\u2013", "\ufe63", "\uff0d"]))
def test_printed_numbers_round_trip(value: Decimal, minus: str) -> None:
    printed = f"{value:.3f}".replace("-", minus)
    number = read_number(printed, commas=T)
    assert number.decimal == value.quantize(Decimal("0.001"))
    assert number.decimals == 3


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises(text: str) -> None:
    for commas in Commas:
        read_number(text, commas=commas, spaced_sign=True, exponent=True)
        for number in find_numbers(text, commas=commas, spaced_sign=True, exponent=True):
            assert number.text == number.text.strip()
