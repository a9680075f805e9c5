"""Site LSC policy as data: profiles per facility / device / region with validity dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa.contract import Lsc
from planner import InvalidLscProfiles, load_lsc_profiles
from tests.planner.builders import m, plan, prior, report

EXAMPLE = Path(__file__).parents[2] / "planner" / "lsc_profiles.example.json"
PROFILES = load_lsc_profiles(EXAMPLE)


def fn_scan(date: str = "2024-06-01", device: str = "Lunar iDXA ME+200987", **kw: object):
    return report(scan_date=date, device=device, measurements=[
        m("lumbar_spine", -1.2, levels="L1-L4", bmd=1.000),
        m("femoral_neck", -1.6, side="left", bmd=0.700)], priors=[
        prior("lumbar_spine", 1.040, levels="L1-L4", date="2023-01-01"),
        prior("femoral_neck", 0.730, side="left", date="2023-01-01")], **kw)  # type: ignore


def test_example_file_is_marked_as_example() -> None:
    assert "EXAMPLE ONLY" in EXAMPLE.read_text()


def test_profile_lsc_is_used_and_named() -> None:
    p = plan(fn_scan(), lsc_profiles=PROFILES, facility="Example Clinic")
    assert p.lsc_profile == "example-clinic-lunar-idxa-2024"
    spine, neck = p.trend
    assert (spine.change_g_cm2, spine.lsc_g_cm2, spine.status) == (-0.04, 0.031, "loss")
    assert spine.lsc_source == neck.lsc_source == "profile:example-clinic-lunar-idxa-2024"
    assert (neck.change_g_cm2, neck.lsc_g_cm2, neck.status) == (-0.03, 0.033, "stable")
    assert "LSC_FALLBACK" not in p.flags


def test_report_lsc_wins_over_the_profile() -> None:
    doc = fn_scan(lsc=[Lsc(region="lumbar_spine", levels=None, g_cm2=0.045)])
    spine = plan(doc, lsc_profiles=PROFILES, facility="Example Clinic").trend[0]
    assert (spine.lsc_g_cm2, spine.lsc_source, spine.status) == (0.045, "report", "stable")


@pytest.mark.parametrize(("date", "device", "facility", "name"), [
    ("2025-02-01", "GE Lunar iDXA", "Example Clinic", "example-clinic-lunar-idxa-2025"),
    ("2024-06-01", "Hologic Horizon A S/N 301234", "example clinic",
     "example-clinic-hologic-horizon"),
    ("2024-06-01", "Lunar Prodigy Advance", "Example Clinic", None),
    ("2024-06-01", "Lunar iDXA", "Other Hospital", None),
    ("2024-06-01", "Lunar iDXA", None, None),
    ("2023-06-01", "Lunar iDXA", "Example Clinic", None),
])
def test_profile_selection(date: str, device: str, facility: str | None, name: str | None
                           ) -> None:
    p = plan(fn_scan(date, device), lsc_profiles=PROFILES, facility=facility)
    assert p.lsc_profile == name
    if name is None:
        assert {t.lsc_source for t in p.trend} == {"fallback-SER-6"}


def test_side_specific_profile_row() -> None:
    p = plan(fn_scan("2025-02-01"), lsc_profiles=PROFILES, facility="Example Clinic")
    assert p.trend[1].lsc_g_cm2 == 0.031


def test_toml_profiles(tmp_path: Path) -> None:
    path = tmp_path / "lsc.toml"
    path.write_text('[[profiles]]\nname = "toml-example"\nvalid_from = 2024-01-01\n'
                    '[[profiles.sites]]\nregion = "femoral_neck"\nlsc_g_cm2 = 0.05\n')
    p = plan(fn_scan(), lsc_profiles=load_lsc_profiles(path))
    assert p.lsc_profile == "toml-example"
    assert p.trend[1].lsc_source == "profile:toml-example" and p.trend[1].lsc_g_cm2 == 0.05
    assert p.trend[0].lsc_source == "fallback-SER-6"


def test_malformed_profiles_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"profiles": [{"name": "x", "valid_from": "soon", "sites": []}]}')
    with pytest.raises(InvalidLscProfiles):
        load_lsc_profiles(path)
    path.write_text('{"profiles": [{"sites": []}]}')
    with pytest.raises(InvalidLscProfiles):
        load_lsc_profiles(path)
