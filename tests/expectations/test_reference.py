"""Properties of the reference arithmetic behind the cross-field checks (no GX: fast)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from expectations import reference as ref

SCALES = tuple(ref.REFERENCES)
SITES = ("femoral_neck", "total_hip", "lumbar_spine")
t_scores = st.integers(-50, 40).map(lambda i: i / 10)  # printed to one decimal


def bmd_for(scale: str, site: str, t: float) -> float:
    mean, sd = ref.REFERENCES[scale][site]
    return round(mean + t * sd, 3)  # printed to three decimals


@given(st.sampled_from(SCALES), st.sampled_from(SITES), t_scores, st.booleans())
def test_printed_pair_agrees_under_its_own_scale(scale, site, t, male):
    assert ref.t_agrees_with_bmd(site, bmd_for(scale, site, t), t, (scale,), male)


@given(st.sampled_from(SCALES), st.sampled_from(SITES), t_scores,
       st.floats(0.05, 3.0), st.sampled_from([-1, 1]))
def test_t_off_by_more_than_the_tolerance_fails_under_its_scale(scale, site, t, excess, sign):
    bmd = bmd_for(scale, site, t)
    wrong = t + sign * (ref.T_TOLERANCE[site] + 0.01 + excess)
    assert not ref.t_agrees_with_bmd(site, bmd, wrong, (scale,), male=False)


@given(st.sampled_from(SCALES), st.sampled_from(SITES), t_scores, t_scores)
def test_unknown_vendor_never_flags_what_a_known_vendor_accepts(scale, site, t, printed):
    bmd = bmd_for(scale, site, t)
    if ref.t_agrees_with_bmd(site, bmd, printed, (scale,), male=False):
        assert ref.t_agrees_with_bmd(site, bmd, printed, ref.scales_for([None]), male=False)


@given(st.sampled_from(SCALES), st.sampled_from(SITES), st.integers(50, 140))
def test_young_adult_pct_printed_by_the_vendor_agrees(scale, site, ya):
    mean, sd = ref.REFERENCES[scale][site]
    t = round((ya / 100 * mean - mean) / sd, 1)
    assert ref.score_agrees_with_pct(t, ya, ref.ratio_band(site, (scale,)))
    assert ref.score_agrees_with_pct(t, ya, ref.ratio_band(site, SCALES))


def test_vendor_words():
    assert ref.scales_for(["GE Healthcare", "Lunar iDXA ME+200123", None]) == ("lunar",)
    assert ref.scales_for(["HOLOGIC", "Horizon A"]) == ("hologic",)
    assert ref.scales_for(["Norland", None]) == ("norland",)
    assert ref.scales_for([None, None]) == SCALES
    assert ref.scales_for(["Hologic", "Lunar Prodigy"]) == SCALES  # contradictory: unknown
