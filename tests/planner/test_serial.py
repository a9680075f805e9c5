"""§3.9 serial comparison (SER-1..9, MISS-6, MISS-7, MISS-10)."""

from __future__ import annotations

import pytest

from dexa.contract import Lsc
from planner.devices import device_key, same_device
from tests.planner.builders import codes, m, plan, prior, report, text


def fn(bmd: float = 0.700, **kw: object):
    return report(measurements=[m("femoral_neck", -1.5, side="left", bmd=bmd),
                                m("total_hip", -1.0, side="left")], **kw)  # type: ignore


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Lunar iDXA ME+200123", "GE Healthcare iDXA", True),
    ("GE Lunar iDXA", "Lunar iDXA ME+211111", True),
    ("Lunar iDXA", "Lunar Prodigy", False),
    ("Hologic Horizon A S/N 301234", "Hologic Horizon A", True),
    ("Hologic Horizon A", "Hologic Discovery A", False),
    ("Hologic Horizon A", "Lunar Horizon A", False),
    ("GE Healthcare", "Lunar iDXA ME+200123", True),
    ("Hologic", "Lunar iDXA", False),
])
def test_same_device(a: str, b: str, same: bool) -> None:
    assert same_device(device_key(a), device_key(b)) is same


def test_most_recent_prior_before_the_scan() -> None:
    doc = fn(priors=[prior("femoral_neck", 0.800, side="left", date="2019-01-01"),
                     prior("femoral_neck", 0.720, side="left", date="2022-01-01"),
                     prior("femoral_neck", 0.600, side="left", date="2024-03-14"),
                     prior("femoral_neck", 0.600, side="right", date="2023-01-01"),
                     prior("femoral_neck", None, side="left", date="2023-06-01")])
    entry = plan(doc).trend[0]
    assert entry.prior_date == "2022-01-01" and entry.change_g_cm2 == -0.02


@pytest.mark.parametrize(("device", "calibrated", "status"), [
    (None, None, "stable"), ("GE Lunar iDXA", None, "stable"),
    ("Hologic Horizon A", None, "not-comparable"), ("Hologic Horizon A", True, "stable"),
    (None, False, "not-comparable"),
])
def test_device_rule(device: str | None, calibrated: bool | None, status: str) -> None:
    doc = fn(priors=[prior("femoral_neck", 0.690, side="left", device=device,
                           cross_calibrated=calibrated)])
    p = plan(doc)
    entry = p.trend[0]
    assert entry.status == status
    assert ("MISS-6" in codes(p)) is (status == "not-comparable")
    if status == "not-comparable":
        assert entry.change_g_cm2 is None and entry.lsc_g_cm2 is None
        assert "new baseline" in text(p, "MISS-6")


def test_lsc_exact_side_wins_over_null_side() -> None:
    doc = fn(priors=[prior("femoral_neck", 0.690, side="left")],
             lsc=[Lsc(region="femoral_neck", side=None, g_cm2=0.005),
                  Lsc(region="femoral_neck", side="left", g_cm2=0.02)])
    entry = plan(doc).trend[0]
    assert (entry.lsc_g_cm2, entry.status, entry.lsc_source) == (0.02, "stable", "report")


def test_spine_lsc_with_null_levels_reads_as_l1_l4() -> None:
    doc = report(measurements=[m("lumbar_spine", 0.0, levels="L2-L4", bmd=1.0)],
                 priors=[prior("lumbar_spine", 1.05, levels="L2-L4")],
                 lsc=[Lsc(region="lumbar_spine", g_cm2=0.03)])
    p = plan(doc)
    assert p.trend[0].status == "not-comparable" and "LSC_UNAVAILABLE" in p.flags


def test_other_levels_give_not_comparable() -> None:
    doc = report(measurements=[m("lumbar_spine", 0.0, levels="L1-L4", bmd=1.0)],
                 priors=[prior("lumbar_spine", 1.2, levels="L2-L4", date="2023-01-01"),
                         prior("lumbar_spine", 1.1, levels="L1-L4", date="2020-01-01")])
    entry = plan(doc).trend[0]
    assert (entry.prior_date, entry.status) == ("2020-01-01", "loss")
    doc.priors.pop()
    entry = plan(doc).trend[0]
    assert (entry.prior_date, entry.status) == ("2023-01-01", "not-comparable")


def test_mean_hip_trend_and_no_trend_without_prior() -> None:
    doc = report(measurements=[m("total_hip", -1.5, side="left", bmd=0.8),
                               m("total_hip", None, side="mean", bmd=0.81),
                               m("femoral_neck", -1.6, side="left", bmd=0.7)],
                 priors=[prior("total_hip", 0.86, side="mean")])
    p = plan(doc)
    assert [(t.region, t.side, t.lsc_g_cm2, t.status) for t in p.trend] == [
        ("total_hip", "mean", 0.043, "loss")]
    assert p.repeat_dxa_months == 12 and "MON-6" in codes(p) and "SER-9" in codes(p)
    assert "SEC-1" in codes(p) and "significant BMD loss" in text(p, "SEC-1")


def test_loss_on_therapy_and_response() -> None:
    loss = plan(fn(0.600, therapy="on_therapy", priors=[prior("femoral_neck", 0.7,
                                                              side="left")]))
    assert "adherence" in text(loss, "SER-9")
    kept = plan(fn(0.700, therapy="on_therapy", priors=[prior("femoral_neck", 0.69,
                                                              side="left")]))
    assert "response" in text(kept, "SER-9") and kept.repeat_dxa_months == 12
    assert "SER-9" not in codes(plan(fn(0.700, priors=[prior("femoral_neck", 0.69,
                                                             side="left")])))


def test_ser_explanations_name_the_lsc_source() -> None:
    p = plan(fn(0.690, priors=[prior("femoral_neck", 0.7, side="left")]))
    note = next(e for e in p.explanation if e.decision == "trend left femoral_neck")
    assert note.rule == "SER-5" and note.inputs["lsc_source"] == "fallback-SER-6"
    assert "0.048" in note.reason
