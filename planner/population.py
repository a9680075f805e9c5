"""§3.1: which score is interpreted (POP-1..7, MISS-4), in the order of the population notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dexa.contract import ReportDocument
from planner.inputs import age_at_scan
from planner.ruleset import RuleSet, load_rule_set

ScoreType = Literal["T", "Z", "indeterminate"]


@dataclass(frozen=True)
class Population:
    rule: str  # the deciding row: MISS-4, POP-1..POP-6
    score_type: ScoreType
    age: int | None
    sex: str | None
    flags: tuple[str, ...]
    reason: str

    @property
    def pediatric(self) -> bool:
        return self.rule == "POP-5"

    @property
    def undecidable(self) -> bool:
        return self.score_type == "indeterminate"

    @property
    def z_adult(self) -> bool:
        return self.rule == "POP-4"

    @property
    def t_population(self) -> bool:
        return self.rule in ("POP-1", "POP-2", "POP-3")

    @property
    def postmenopausal(self) -> bool:
        return self.rule == "POP-1"

    @property
    def adult(self) -> bool:
        """T- or Z-population: the SITE rows and their flags are evaluated."""
        return self.t_population or self.z_adult

    def describe(self) -> str:
        return self.reason


def select_population(age: int | None, sex: str | None, status: str | None,
                      rules: RuleSet | None = None) -> Population:
    """First match: age unknown, age < 20, sex unknown, POP-6 window, then POP-1..4 (ages from
    the rows POP-5, POP-3 and POP-6 of ``rules``, by default bhof-2022)."""
    rules = rules or load_rule_set()
    pediatric_below = rules.param("POP-5", "below_age")
    man_min = rules.param("POP-3", "men_min_age")
    window = rules.params("POP-6")
    low, high = window["women_min_age"], window["women_max_age"]
    sex_flag = ("SEX_UNKNOWN",) if sex is None else ()
    if age is None:
        return Population("MISS-4", "indeterminate", age, sex, ("AGE_UNKNOWN", *sex_flag),
                          "age unknown")
    if age < pediatric_below:
        return Population("POP-5", "Z", age, sex, (),
                          f"age {age} (< {pediatric_below}): pediatric")
    if sex is None:
        return Population("MISS-4", "indeterminate", age, sex, sex_flag, "sex unknown")
    if sex == "M":
        if age >= man_min:
            return Population("POP-3", "T", age, sex, (), f"man aged {age} (>= {man_min})")
        return Population("POP-4", "Z", age, sex, (), f"man aged {age} (< {man_min})")
    if status is None:
        if low <= age <= high:
            return Population("POP-6", "indeterminate", age, sex, ("MENOPAUSAL_STATUS_UNKNOWN",),
                              f"woman aged {age}, menopausal status unknown ({low}-{high})")
        if age < low:
            return Population("POP-4", "Z", age, sex, ("MENOPAUSAL_STATUS_ASSUMED",),
                              f"woman aged {age}, status unknown, read as premenopausal "
                              f"(< {low})")
        return Population("POP-1", "T", age, sex, ("MENOPAUSAL_STATUS_ASSUMED",),
                          f"woman aged {age}, status unknown, read as postmenopausal (> {high})")
    if status == "post":
        return Population("POP-1", "T", age, sex, (), f"postmenopausal woman aged {age}")
    if status == "peri":
        return Population("POP-2", "T", age, sex, (),
                          f"woman aged {age} in the menopausal transition")
    return Population("POP-4", "Z", age, sex, (), f"premenopausal woman aged {age}")


def population_of(report: ReportDocument, rules: RuleSet) -> Population:
    return select_population(age_at_scan(report), report.patient.sex,
                             report.patient.menopausal_status, rules)
