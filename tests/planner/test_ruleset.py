"""The rule-row loader: a row's numbers are data, read through the rule set, and a row that does
not have the documented shape is refused with the rule and the key named."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from planner import RULE_SETS, load_rule_set
from planner import ruleset as ruleset_module
from planner.ruleset import RULE_PARAMS, InvalidRuleSet, check_row


def test_a_rule_is_one_row_with_its_numbers() -> None:
    rule = load_rule_set("bhof-2022").rule("TX-B3")
    assert (rule.status, rule.source) == ("Q/U", "NOF 2014; BHOF 2022 (unconfirmed)")
    assert "{frax}" in (rule.text or "")
    assert dict(rule.params) == {"frax_hip_pct": Decimal("3.0"), "frax_mof_pct": Decimal("20.0")}


def test_numbers_are_exact_decimals_as_written() -> None:
    rules = load_rule_set("bhof-2022")
    assert rules.param("MON-3b", "t_above") == Decimal("-1.50")
    assert str(rules.param("CLS-3", "t_max")) == "-2.5"
    assert rules.param("MON-3a", "months") == 180 and isinstance(
        rules.param("MON-3a", "months"), int)
    assert rules.param("SER-6", "lsc_pct")["femoral_neck"] == Decimal("6.9")


def test_an_omitted_row_keeps_its_numbers_for_the_regime_that_extends_it() -> None:
    """nogg-2022 omits NP-1..NP-3 but tests their conditions for NP-3a."""
    nogg = load_rule_set("nogg-2022")
    assert not nogg.has("NP-1")
    assert nogg.param("NP-1", "women_min_age") == 51
    assert nogg.param("NOGG-5", "t_max") == Decimal("-3.5")


@pytest.mark.parametrize("rule_id", sorted(RULE_PARAMS))
def test_every_rule_the_code_reads_numbers_of_has_them_in_a_rule_file(rule_id: str) -> None:
    found = [name for name in RULE_SETS if rule_id in load_rule_set(name).numbers]
    assert found, f"{rule_id}: no rule file gives its params"
    for name in found:
        assert set(load_rule_set(name).params(rule_id)) == RULE_PARAMS[rule_id]


def test_an_unknown_key_in_a_row_is_refused() -> None:
    row = {"id": "CLS-3", "status": "Q", "source": "WHO 1994", "params": {"t_max": -2.5},
           "threshold": -2.5}
    with pytest.raises(InvalidRuleSet, match=r"CLS-3: unknown key 'threshold'"):
        check_row(row)


def test_an_unknown_param_is_refused() -> None:
    row = {"id": "TX-B3", "status": "Q/U", "source": "NOF 2014",
           "params": {"frax_hip_pct": 3, "frax_mof_pct": 20, "frax_hip": 3}}
    with pytest.raises(InvalidRuleSet, match=r"TX-B3: unknown param 'frax_hip'"):
        check_row(row)


def test_a_missing_required_param_is_refused() -> None:
    row = {"id": "TX-B3", "status": "Q/U", "source": "NOF 2014", "params": {"frax_hip_pct": 3}}
    with pytest.raises(InvalidRuleSet, match=r"TX-B3: missing param 'frax_mof_pct'"):
        check_row(row)


def test_a_row_without_the_params_its_code_reads_is_refused() -> None:
    row = {"id": "MON-4", "status": "P", "source": "pipeline policy"}
    with pytest.raises(InvalidRuleSet, match=r"MON-4: missing params \['cap_months'\]"):
        check_row(row)


def test_params_that_no_code_reads_are_refused() -> None:
    row = {"id": "NP-4", "status": "Q", "source": "BHOF 2022", "params": {"min_age": 65}}
    with pytest.raises(InvalidRuleSet, match=r"NP-4: params given, but no code reads"):
        check_row(row)


@pytest.mark.parametrize("value", ["3 %", True, None, {}, [3]])
def test_a_param_that_is_not_a_number_is_refused(value: object) -> None:
    row = {"id": "NP-3", "status": "Q", "source": "BHOF 2022", "params": {"min_age": value}}
    with pytest.raises(InvalidRuleSet, match=r"NP-3: param 'min_age' is not a number"):
        check_row(row)


@pytest.mark.parametrize("missing", ["id", "status", "source"])
def test_a_row_without_its_id_status_or_source_is_refused(missing: str) -> None:
    row = {"id": "NP-4", "status": "Q", "source": "BHOF 2022"}
    del row[missing]
    with pytest.raises(InvalidRuleSet, match=rf"missing key '{missing}'"):
        check_row(row)


def _edited_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(ruleset_module.RULES_DIR, rules_dir)
    path = rules_dir / "bhof-2022.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(ruleset_module, "RULES_DIR", rules_dir)
    return path


def test_the_loader_refuses_a_rule_file_with_an_unknown_param(tmp_path, monkeypatch) -> None:
    def edit(data: dict) -> None:
        row = next(r for r in data["rows"] if r["id"] == "MON-4")
        row["params"]["cap_years"] = 5

    _edited_rules(tmp_path, monkeypatch, edit)
    with pytest.raises(InvalidRuleSet, match=r"rules/bhof-2022.json: MON-4: unknown param "
                                             r"'cap_years'"):
        load_rule_set.__wrapped__("bhof-2022")  # not the cached, shipped rule set


def test_the_loader_refuses_an_unknown_file_key(tmp_path, monkeypatch) -> None:
    def edit(data: dict) -> None:
        data["thresholds"] = {}

    _edited_rules(tmp_path, monkeypatch, edit)
    with pytest.raises(InvalidRuleSet, match=r"rules/bhof-2022.json: unknown key 'thresholds'"):
        load_rule_set.__wrapped__("aace-2020")  # through the file it extends
