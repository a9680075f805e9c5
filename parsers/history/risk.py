"""Clinical risk factors a report states (smoking, glucocorticoids, alcohol, height loss, TBS)
and the menopausal status a last menstrual period gives: history facts of clinical-rules §2
that are not fractures, therapy or a stated status.

Each reader hands over its clauses (the free-text reader's sentences cut at "but", "; ",
", no ..."); phrases are ``parsers/vocabulary/history.json`` (``smoker_yes``, ``smoker_no``,
``glucocorticoid_words``, ``drug_not_history``, ``negations``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from dexa.contract import RiskFactors
from parsers.kit.dates import parse_date
from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import key
from parsers.kit.units import INCH_CM
from parsers.kit.vocabulary import load


@cache
def _data() -> dict[str, Any]:
    return load("history")


@cache
def _matcher(name: str) -> re.Pattern[str]:
    return phrase_matcher(tuple(_data()[name]))


def _has(name: str, keyed: str) -> bool:
    return _matcher(name).search(keyed) is not None


def _negated(keyed: str, target: re.Match[str]) -> bool:
    """A negation in the eight words before ``target`` ("no history of steroid use"), a
    "none" / "negative" just after it ("Steroids: none") or a bare "no" ending the clause
    ("glucocorticoids - no")."""
    before = keyed[max(0, target.start() - 60):target.start()].split()[-8:]
    after = keyed[target.end():target.end() + 30].split()[:2]
    return any(w in _data()["negations"] for w in before) or any(
        w in ("none", "negative", "denied") for w in after) or after == ["no"]


_ALCOHOL_RE = re.compile(r"(\d{1,2}(?:\.\d)?) {0,2}(?:or more )?(?:units?|drinks?)(?: of alcohol)?"
                         r" {0,2}(?:per|a|/|each) {0,2}(day|d|week|wk)\b", re.IGNORECASE)
_TBS_RE = re.compile(r"\b(?:TBS|trabecular bone score)\b(?: {0,2}\([^)\n]{0,20}\))?[^\d\n%]{0,25}?"
                     r"(?<![\d.])([01]\.\d{2,3})\b(?! {0,2}%)", re.IGNORECASE)
_HEIGHT_LOSS_RE = re.compile(
    r"height loss(?: of)? {0,3}(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches)\b"
    r"|(?:lost|loss of) {0,3}(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches)(?: of| in)? height"
    r"|(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches) (?:of )?height loss", re.IGNORECASE)


def read_risk_factors(clauses: Iterable[str]) -> RiskFactors:
    """The first statement of each risk factor among the clauses; null where none states it."""
    smoker: bool | None = None
    glucocorticoids: bool | None = None
    alcohol: float | None = None
    height_loss: float | None = None
    tbs: float | None = None
    for clause in clauses:
        if tbs is None and (m := _TBS_RE.search(clause)):
            tbs = float(m.group(1))
        keyed = key(clause)
        if smoker is None and _has("smoker_no", keyed):
            smoker = False
        elif smoker is None and _has("smoker_yes", keyed) and not _has("negations", keyed):
            smoker = True
        steroid = _matcher("glucocorticoid_words").search(keyed)
        if glucocorticoids is None and steroid and not _has("drug_not_history", keyed):
            glucocorticoids = not _negated(keyed, steroid)
        drinks = _ALCOHOL_RE.search(clause)
        if alcohol is None and drinks:
            per_week = drinks.group(2).lower().startswith("w")
            alcohol = round(float(drinks.group(1)) / (7 if per_week else 1), 2)
        loss = _HEIGHT_LOSS_RE.search(clause)
        if height_loss is None and loss:
            number, unit = next((loss.group(i), loss.group(i + 1)) for i in (1, 3, 5)
                                if loss.group(i))
            height_loss = round(float(number) * (1 if unit.lower() == "cm" else INCH_CM), 1)
    return RiskFactors(smoker=smoker, alcohol_units_per_day=alcohol,
                       glucocorticoids=glucocorticoids, height_loss_cm=height_loss, tbs=tbs)


POSTMENOPAUSAL_MONTHS = 12  # of amenorrhoea: the standard definition of menopause
# a time before the scan ("2 years ago", "18 months ago", "a year ago"), keyed or as written
AGO_PATTERN = r"(\d{1,2}|a|one|two|three|four|five|six|ten) (years?|yrs?|months?|mos?) ago"
_AGO_RE = re.compile(rf"\b{AGO_PATTERN}\b", re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "ten": 10}


def months_ago(match: re.Match[str]) -> int:
    """Months of a match of ``AGO_PATTERN`` (number, unit)."""
    count, unit = match.group(match.lastindex - 1), match.group(match.lastindex)
    number = _NUMBER_WORDS.get(count.lower()) or int(count)
    return number * 12 if unit.lower().startswith("y") else number


def _months_between(earlier: str, later: str) -> int:
    """Whole months from one ISO date to a later one."""
    months = (int(later[:4]) - int(earlier[:4])) * 12 + int(later[5:7]) - int(earlier[5:7])
    return months - (later[8:10] < earlier[8:10])


def menopause_from_lmp(values: Iterable[str], scan_date: str | None,
                       day_first: bool | None) -> str | None:
    """Menopausal status from a last menstrual period as written after its label (``LMP:``):
    12 months or more before the scan (a date, or "2 years ago") is post (12 months of
    amenorrhoea, the standard definition). A more recent period states nothing: it fits a
    premenopausal woman and one in the menopausal transition alike, and the two take different
    rules; a date without a scan date to measure it against states nothing either."""
    for value in values:
        date = parse_date(value, day_first=day_first)
        if date and scan_date and _months_between(date, scan_date) >= POSTMENOPAUSAL_MONTHS:
            return "post"
        if (ago := _AGO_RE.search(value)) is not None and \
                months_ago(ago) >= POSTMENOPAUSAL_MONTHS:
            return "post"
    return None
