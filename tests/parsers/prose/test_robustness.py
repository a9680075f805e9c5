"""Arbitrary and mangled text only ever gives a valid report document or a ``ReportRejected``
with a CONTRACT code, in bounded time (no catastrophic regex backtracking)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexa.contract import ERROR_CODES, ReportRejected
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth.cases import ALL_CASES
from tests.synth.text import DATE_FORMATS, STYLES, dictated_text

# A guard against catastrophic backtracking (which takes hours), not a speed measurement: the bound
# is loose so that a loaded CI machine never fails it. Speed: benchmarks/bench_text.py.
BACKTRACKING_BOUND_S = 60

SETTINGS = settings(deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse(data: bytes, *, text: bool = True) -> None:
    try:
        doc = parse_bytes(data, "fuzz.txt")
    except ReportRejected as exc:
        assert exc.code in ERROR_CODES
        if text:  # the text reader never fails by a defect (which surfaces as corrupt)
            assert exc.code != "corrupt", exc.message
        return
    assert_valid_report(doc.to_dict())


@SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text(text: str) -> None:
    _parse(text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    _parse(data, text=False)


_texts = st.builds(
    lambda case, style, fmt, day_first: dictated_text(ALL_CASES[case](), style=style,
                                                      date_format=fmt, day_first=day_first),
    st.sampled_from(sorted(ALL_CASES)), st.sampled_from(STYLES), st.sampled_from(DATE_FORMATS),
    st.booleans())


@st.composite
def mangled(draw: st.DrawFn) -> str:
    text = draw(_texts)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 200)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "upper", "swap"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] * draw(st.integers(1, 20)) + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=40)) + text[i:]
        elif op == "upper":
            text = text[:i] + text[i:j].upper() + text[j:]
        else:
            lines = text.split("\n")
            text = "\n".join(draw(st.permutations(lines)))
    return text


@SETTINGS
@given(mangled())
def test_mangled_reports(text: str) -> None:
    _parse(text.encode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "DXA T-score " * 80_000,
        "Bone mineral density L1-L4 " + "L1-" * 300_000,
        "BMD T-score= " + "1." * 450_000,
        "DXA bone density T-score" + " " * 900_000 + "x",
        "DXA BMD: " + "9" * 900_000,
        "DXA T-score\n" * 80_000,
        "".join(f"DXA line {i} T-score\n" for i in range(40_000)),
        "DXA bone density " + "(" * 450_000 + " T-score -1.0",
        "FRAX major osteoporotic fracture hip " * 50_000,
        "No history of fracture; " * 50_000 + "DXA L1-L4 T-score -1.0",
        "HISTORY: " + "12/12/2012 " * 80_000 + " DXA L1-L4 T-score -1.0",
    ],
    ids=["t_score", "levels", "decimals", "spaces", "digits", "lines", "distinct_lines", "parens",
         "frax",
         "negations", "dates"],
)
def test_pathological_inputs_are_fast(text: str) -> None:
    start = time.perf_counter()
    _parse(text.encode("utf-8"))
    assert time.perf_counter() - start < BACKTRACKING_BOUND_S


def test_prose_bounds_its_input() -> None:
    """The PDF reader hands ``read_prose`` whole text layers: a huge one is read up to a bound."""
    from dexa.contract import Source
    from parsers.prose import read_prose

    text = "L1-L4 BMD values= 1.000 T-score= -1.0\n" + "DXA filler line\n" * 400_000
    start = time.perf_counter()
    doc = read_prose(text, source=Source(path="p", sha256="0" * 64, kind="pdf"))
    assert time.perf_counter() - start < BACKTRACKING_BOUND_S
    assert doc.measurements[0].t_score == -1.0


def test_too_large_text_is_rejected_quickly() -> None:
    with pytest.raises(ReportRejected) as info:
        parse_bytes(b"DXA T-score -1.0\n" * 100_000, "big.txt")
    assert info.value.code == "too_large"
