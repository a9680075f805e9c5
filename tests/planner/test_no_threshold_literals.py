"""No threshold of clinical-rules.md is a literal in planner code: the numbers are in the rule
rows (``params``) and the code reads them through the rule set, so a threshold that creeps back
into the code fails here.

An AST walk over every numeric constant of ``planner/**/*.py`` (a unary minus folded in) and
every ``Decimal("...")`` literal: a decimal number (float or ``Decimal``) is never allowed; a
whole number is refused when it is one of the clinical numbers below or in any rule file's
params, unless the allow-list names it.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from planner import RULE_SETS, load_rule_set

PLANNER = Path(__file__).resolve().parents[2] / "planner"

# The numbers of clinical-rules.md §3-§4 that a rule decides with: T/Z cut-offs, FRAX
# thresholds, LSC percentages, ages, intervals (months and years), counts.
CLINICAL_NUMBERS = {Decimal(n) for n in (
    "-1.0", "-1.5", "-2.0", "-2.5", "-3.0", "-3.5",  # T- and Z-scores, Gourlay bins
    "3", "20", "30", "4.5", "1.6", "0.1", "10",  # FRAX %, NOGG multiple and MOF share
    "5.3", "5.0", "6.9", "1.9", "1.8", "2.5", "2.77",  # SER-4 / SER-6 precision and LSC %
    "1.0", "4",  # adjacent vertebral T difference, height loss cm
    "19", "20", "39", "40", "49", "50", "51", "60", "61", "64", "65", "66", "67", "69", "70",
    "71", "79", "80",  # ages of §3-§4
    "12", "24", "60", "180", "5", "15",  # intervals in months and years
)}

# Whole numbers that are arithmetic, not thresholds: (module or "*", value) -> why.
ALLOWED_INTS = {
    ("*", 0): "zero, first index",
    ("*", 1): "one, next index, +1",
    ("*", 2): "at least two vertebrae (SITE-4), multiple fractures, pairs",
    ("*", 100): "percent arithmetic",
    ("interval.py", 12): "months in a year (interval words)",
    ("render.py", 12): "months in a year (interval words)",
    ("devices.py", 4): "a token with 4 or more digits is a serial number, not a model",
    ("failures.py", 3): "a field path measurements/<i>/<score> has three steps",
}
# Decimal literals that are not thresholds: (module, text) -> why.
ALLOWED_DECIMALS = {
    ("inputs.py", "0.001"): "SER-6 rounds the fallback LSC to 3 decimals (round3's quantum)",
}


def _param_numbers() -> set[Decimal]:
    found: set[Decimal] = set()
    for name in RULE_SETS:
        for params in load_rule_set(name).numbers.values():
            for value in params.values():
                found.update(Decimal(v) for v in (value.values() if hasattr(value, "values")
                                                  else [value]))
    return found


def _literals(tree: ast.AST) -> list[tuple[int, object]]:
    """(line, value) of every numeric constant (sign folded) and Decimal("...") literal, in
    the order they are written."""
    found: list[tuple[int, int, object]] = []
    signed: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
                and type(node.operand.value) in (int, float)):
            found.append((node.lineno, node.col_offset, -node.operand.value))
            signed.add(id(node.operand))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "Decimal" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.col_offset, Decimal(node.args[0].value)))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and type(node.value) in (int, float)
                and id(node) not in signed):
            found.append((node.lineno, node.col_offset, node.value))
    return [(line, value) for line, _, value in sorted(found, key=lambda f: f[:2])]


def _violations(path: Path, thresholds: set[Decimal]) -> list[str]:
    module = path.name
    out = []
    for line, value in _literals(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(path.parents[1])}:{line}: {value!r}"
        if isinstance(value, Decimal):
            if (module, str(value)) not in ALLOWED_DECIMALS:
                out.append(f"{where} (a Decimal literal)")
        elif isinstance(value, float):
            out.append(f"{where} (a float literal)")
        elif Decimal(value) in thresholds and not (
                ("*", value) in ALLOWED_INTS or (module, value) in ALLOWED_INTS):
            out.append(f"{where} (a clinical number)")
    return out


MODULES = sorted(PLANNER.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PLANNER)) for p in MODULES])
def test_no_threshold_is_a_literal_in_planner_code(path: Path) -> None:
    violations = _violations(path, CLINICAL_NUMBERS | _param_numbers())
    assert not violations, ("thresholds belong in the rule rows' params (planner/rules/*.json),"
                            " read through the rule set:\n" + "\n".join(violations))


def test_the_check_finds_a_threshold_written_back_into_code(tmp_path: Path) -> None:
    sneaky = tmp_path / "classify.py"
    sneaky.write_text("from decimal import Decimal\n"
                      "LIMIT = Decimal('-2.5')\n"
                      "def old(t, age):\n"
                      "    return t <= -1.0 or age >= 65\n")
    found = _violations(sneaky, CLINICAL_NUMBERS)
    assert [v.split(": ", 1)[1] for v in found] == [
        "Decimal('-2.5') (a Decimal literal)", "-1.0 (a float literal)",
        "65 (a clinical number)"]
