"""What one statement says of each history field: a :class:`Finding` per fact it states.

Each reader takes a :class:`parsers.history.statements.Statement` and returns findings with the
clause they come from as evidence; a mention under a family, hypothetical, uncertain, unknown,
risk (FRAX, "probability") or generic (criteria, definitions) modifier states nothing about the
patient and gives none. Phrases are ``parsers/vocabulary/history.json``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from parsers.history.context import Modifier, Rule, categories, find_modifiers
from parsers.history.risk import AGO_PATTERN, POSTMENOPAUSAL_MONTHS, months_ago
from parsers.history.statements import BLOCKING_LABEL, Statement, answer_of
from parsers.kit.phrases import first_word_matcher, phrase_matcher, phrase_pattern
from parsers.kit.text import key
from parsers.kit.vocabulary import load

FRACTURE_KEYS = ("hip", "vertebral", "other_fragility")
NOT_THE_PATIENT = frozenset({"family", "hypothetical", "uncertain", "unknown", "risk", "generic"})


@dataclass(frozen=True)
class Finding:
    field: str  # sex, menopausal_status, fracture_history.<key>, therapy
    value: Any  # F/M; pre/peri/post; True/False; ("on_therapy", drug) or ("untreated", None, None)
    evidence: str  # the clause as written
    strength: int = 2  # 2 stated for this field; 1 by a blanket or a weaker wording
    # the year of a last menstrual period ("LMP 2017"): post only where the scan is two or more
    # years later (then 12 months have passed for certain; ``reader.read_history``)
    since: int | None = None
    # a denial of every fracture ("No previous fractures", not "no other fractures"): a
    # fracture of the same rank the report states beside it contradicts it on that key
    # (``reader.read_history``)
    absolute: bool = False


@cache
def _vocabulary() -> dict[str, Any]:
    return load("history")


@cache
def _matcher(*names: str) -> re.Pattern[str]:
    data = _vocabulary()
    return phrase_matcher(tuple(p for name in names for p in data[name]))


@cache
def _keyed_set(name: str) -> frozenset[str]:
    return frozenset(key(p).strip() for p in _vocabulary()[name])


def _targets(keyed: str, words: str, not_words: str) -> list[re.Match[str]]:
    """Mentions of the phrases ``words`` that are not part of a longer ``not_words`` phrase
    ("fracture liaison service", "estrogen deficiency")."""
    return [m for m in _matcher(not_words, words).finditer(keyed)
            if m.group(0) not in _keyed_set(not_words)]


def _reaching(modifiers: list[Modifier], start: int, end: int,
              others: list[re.Match[str]]) -> list[Modifier]:
    """The modifiers that may reach the mention ``start:end``: a modifier binds to the
    closest target (pyConText's pruning of modifier relations), so one with a target of
    another kind between it and the mention modifies that one ("prior vertebral fracture, on
    denosumab": "prior" is the fracture's; "not on alendronate, hip fracture 2019": "not"
    is the drug's)."""
    if not others:
        return modifiers
    return [m for m in modifiers if not any(
        m.end <= o.start() and o.end() <= start or end <= o.start() and o.end() <= m.start
        for o in others)]


@cache
def _phrase_table(name: str) -> dict[str, str]:
    """A table of phrase lists (``{"post": [...], ...}``) as keyed phrase -> entry."""
    return {key(p).strip(): entry for entry, items in _vocabulary()[name].items() for p in items}


def corrects(statement: Statement) -> bool:
    """Whether a statement opens or stands under a correction of the report ("ADDENDUM:",
    "ADDENDUM (26/08/2024): History corrected ...", "Correction to medication history:";
    history.json correction_labels)."""
    found = _matcher("correction_labels")
    opening = found.search(statement.keyed, 0, 40)
    return (bool(statement.label.strip()) and found.search(statement.label) is not None) \
        or (opening is not None and opening.start() <= 1)


def corrects_before(statement: Statement) -> bool:
    """Whether a statement says the clauses before it correct the report ("This supersedes
    the history above."; history.json correction_after)."""
    return _matcher("correction_after").search(statement.keyed) is not None


def label_blocks(statement: Statement, blocking: frozenset[str] = BLOCKING_LABEL) -> bool:
    """A label under which nothing is the patient's own (``Family history:``,
    ``Recommendations:``, ``FRAX risk factors:``). A risk-factor label that also names the
    history section ("Clinical details / risk factors:") or the patient's drugs
    ("MEDICATIONS/RISKS:") heads the patient's own history."""
    label = statement.label
    if not label.strip():
        return False
    found = {m.rule.category for m in find_modifiers(label)} & blocking
    if found == {"risk"} and (_matcher("history_section_labels").search(label)
                              or _is_therapy_label(label)):
        return False  # "Clinical details / risk factors:", "MEDICATIONS/RISKS:"
    return bool(found)


@cache
def _trigger_words() -> tuple[str, ...]:
    data = _vocabulary()
    return (*data["fracture_words"], *data["hip_fracture_surgery"], *data["drugs"],
            *data["untreated_phrases"], *data["untreated_parts"]["treatments"],
            *data["supplements"], *_phrase_table("menopause"), *_phrase_table("sex_words"),
            *_lmp_labels(), *data["amenorrhoea"], *data["menopause_age_labels"],
            *data["period_ended"], *data["menstrual_labels"],
            "menopaus*", "status", "therapy", "treatment", "medication*")


@cache
def _triggers() -> re.Pattern[str]:
    return phrase_matcher(_trigger_words())


_SENTENCE_WORDS = 3  # words of a clause that is a sentence, not a name's part


def may_state(statement: Statement) -> bool:
    """Whether the statement holds any word a history reader looks for (a fast first test)."""
    if statement.label.strip() in _keyed_set("not_history_labels") \
            and not _INNER_SEX_RE.search(statement.text) \
            and not _inner_menopause_age_re().search(statement.keyed) \
            and (statement.first or len(statement.keyed.split()) < _SENTENCE_WORDS):
        # "Referring physician: Dr Hip", "Name: ..." (not "Name: X Sex: F", "Name: X MP
        # age: 50"); a sentence after the label's value may be the report's ("Address on
        # file: 1 Mill Lane. Started teriparatide in 2020."), a name's word after an initial
        # is not ("Dr P. Hip"), and no fracture is read there (``fractures``: "Dr P. Hip
        # Fracture Clinic")
        return False
    return statement.answer is not None or _triggers().search(statement.whole) is not None \
        or _AGE_SEX_RE.match(statement.keyed) is not None \
        or _AGE_Y_SEX_RE.search(statement.text) is not None


def may_state_line(label: str, line: str, sex_labels: tuple[str, ...]) -> bool:
    """Whether a clause of ``line`` (as written) under ``label`` (keyed) may pass
    :func:`may_state` and give a finding: a word a reader looks for in the label and line, or
    a label whose bare answer a reader reads (therapy, menopause or sex: "Medication: none",
    "Sex: F"). The history readers' fast first test per line (``statements``' ``keep``): most
    lines of a printout (rows, names, dates) hold no trigger's first word, and are left out
    without making their key."""
    by_label = _label_decides(label, sex_labels)
    if by_label is False and (_sex_label_re(sex_labels).search(line) or (
            _MP_AGE_RE.search(line) and _inner_menopause_age_re().search(key(line)))):
        return True  # "Name: X Sex: F Height: 165 cm", "... MP age: 50": inside a header row
    if by_label is not None:
        return by_label
    if _AGE_SEX_LINE_RE.match(line) or _AGE_Y_SEX_RE.search(line):
        return True  # "85F, c/o back pain", "I saw this 75y M": an age and sex
    text = line.replace("%", " percent ")
    if text.isascii() and not _trigger_starts().search(text.lower()) \
            and not (label.strip() and _trigger_starts().search(label)):
        return False
    keyed = key(text)
    return _triggers().search(f"{label.rstrip()}{keyed}" if label.strip() else keyed) is not None


@lru_cache(maxsize=2048)
def _label_decides(label: str, sex_labels: tuple[str, ...]) -> bool | None:
    """False under a label that is never history, True under one whose bare answer a reader
    reads, else None (the line decides)."""
    plain = label.strip()
    if plain in _keyed_set("not_history_labels"):
        return False
    if plain and (_is_therapy_label(label) or "menopaus" in label or plain in sex_labels
                  or plain in _keyed_set("menopause_age_labels")
                  or plain in _keyed_set("menstrual_labels")):
        return True
    return None


# an age at menopause may be inside the line (a prefilter of _inner_menopause_age_re)
_MP_AGE_RE = re.compile(r"menopaus|\bmp\b", re.IGNORECASE)


@cache
def _trigger_starts() -> re.Pattern[str]:
    return first_word_matcher(_trigger_words())


# --- fractures -----------------------------------------------------------------------------

@cache
def _sites() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The site patterns per fracture key; a site word after a span of time is none ("# left
    wrist 2 yrs back": the back is when, not where)."""
    return tuple((name, re.compile(_NOT_AFTER_A_TIME + phrase_matcher(items).pattern))
                 for name, items in _vocabulary()["fracture_sites"].items())


_NOT_AFTER_A_TIME = "".join(f"(?<! {unit} )" for unit in (
    "years", "year", "yrs", "yr", "months", "month", "mths", "weeks", "week", "wks", "days"))


def _mentions(keyed: str) -> list[re.Match[str]]:
    """The fracture words of ``keyed``, but not one that is part of a name: a street's, a
    ward's, a register's ("14 Fracture Lane", "Hip Fracture Unit"; history.json
    fracture_name_words)."""
    names = _matcher("fracture_name_words")
    return [m for m in _targets(keyed, "fracture_words", "fracture_not_mentions")
            if names.match(keyed, m.end() + 1) is None]


_CHILD_AGE_RE = re.compile(r" (?:age|aged|at) (\d{1,2}) (?!(?:years|yrs) ago)")


def _excluded(keyed: str) -> bool:
    """Trauma, pathological, childhood or a non-fragility site (clinical-rules §0); a
    fragility qualifier ("low trauma", "fall from standing height") is not trauma."""
    keyed = _matcher("fragility_qualifiers").sub(" ", keyed)
    if any(phrase_matcher(items).search(keyed)
           for items in _vocabulary()["fracture_exclusions"].values()):
        return True
    return any(int(age) < 20 for age in _CHILD_AGE_RE.findall(keyed))


def _surgeries(keyed: str) -> list[re.Match[str]]:
    """Mentions of an operation of a hip fracture ("ORIF", "hemiarthroplasty", "pinning")."""
    return list(_matcher("hip_fracture_surgery").finditer(keyed))


def fractures(statement: Statement) -> list[Finding]:
    """Fracture history: each site with the nearest fracture word, negated where the word or
    the site is ("no hip, vertebral or wrist fractures"); a fracture word without a site is a
    blanket statement. An operation of a hip fracture (ORIF, pinning, hemiarthroplasty) of a
    hip site states a hip fracture ("s/p R hip ORIF 2019"); of another site, without a site,
    negated ("no hip surgery") or for arthritis, it states nothing. A fracture label's word
    is read with a value that answers it (:func:`_answers_fracture_label`); a relative's
    scope ends with their list item (:func:`_family_of_item`)."""
    if label_blocks(statement):
        return _risk_factor_answer(statement)
    if statement.label.strip() in _keyed_set("not_history_labels"):
        return []  # a later clause under a name's label (``may_state``)
    if statement.label.strip() and _choices(statement.keyed):
        return []  # a blank form: "Prior fracture: yes / no"
    label_mentions = _mentions(statement.label) if statement.label else []
    keyed = statement.keyed
    words = _mentions(keyed)
    # "Clinical history: No prior fractures." is a sentence of its own, not a bare answer
    if statement.answer is not None and (label_mentions or not words):
        if not label_mentions or statement.answer == "unknown":
            return []
        return _site_findings(statement.label, statement.answer == "yes", statement.text)
    if not words and not label_mentions and not _surgeries(keyed):
        return []
    if not words and label_mentions:
        if not _answers_fracture_label(keyed) or not statement.first and _other_topic(keyed):
            return []
        if answer_of(keyed.split()[0]) == "no" and not _denies_its_own_site(statement):
            return _site_findings(statement.label, False, statement.text)
        keyed = statement.whole  # "Previous fracture: hip (2019)"
        words = _mentions(keyed)
    modifiers = find_modifiers(keyed)
    mentions = sorted(words + _surgeries(keyed), key=lambda m: m.start())
    operations = {i for i, m in enumerate(mentions) if m not in words}
    sites: dict[int, list[tuple[str, re.Match[str]]]] = {i: [] for i in range(len(mentions))}
    for name, pattern in _sites():
        for site in pattern.finditer(keyed):
            nearest = min(range(len(mentions)), key=lambda i: 0 if (  # "vertebroplasty"
                site.start() < mentions[i].end() and mentions[i].start() < site.end()) else min(
                abs(mentions[i].start() - site.end()), abs(site.start() - mentions[i].end())))
            sites[nearest].append((name, site))
    for named in sites.values():
        _femur_of_the_hip(named)
    drugs = _targets(keyed, "drugs", "drug_not_mentions")
    items = [len(keyed) - len(statement.keyed) + at for at in _item_ends(statement)]

    def reaching(start: int, end: int) -> list[Modifier]:
        # a relative is the subject of their clause whatever drug it names between ("Brother
        # recently started denosumab after a wrist fracture")
        mods = _family_of_item(modifiers, start, items)
        kept = _reaching(mods, start, end, drugs)
        return kept + [m for m in mods if m.rule.category == "family" and m not in kept]

    if operations:
        denied = {i for i, m in enumerate(mentions) if i not in operations and "negated" in
                  categories(keyed, m.start(), m.end(), reaching(m.start(), m.end()))}
        _operated_sites_to_fracture(mentions, operations, operations | denied, sites)
    out: list[Finding] = []
    for index, mention in enumerate(mentions):
        found = categories(keyed, mention.start(), mention.end(),
                           reaching(mention.start(), mention.end()))
        if found & NOT_THE_PATIENT:
            continue
        clause = _own_clause(keyed, mention, modifiers)
        if index in operations:
            if "negated" not in found and any(name == "hip" for name, _ in sites[index]) \
                    and not _excluded(clause) \
                    and not _matcher("surgery_not_for_fracture").search(clause):
                out.append(Finding("fracture_history.hip", True, statement.text))
            continue
        if not sites[index]:
            if "negated" in found or not _excluded(clause):
                out += _site_findings(" ", "negated" not in found, statement.text)
            continue
        for name, site in sites[index]:
            site_found = categories(keyed, site.start(), site.end(),
                                    reaching(site.start(), site.end()))
            if site_found & NOT_THE_PATIENT:
                continue
            present = "negated" not in found | site_found
            if present and _excluded(clause):
                continue
            out.append(Finding(f"fracture_history.{name}", present, statement.text))
    if _sole_fracture(statement):  # no other fracture: a denial limited to the other keys
        named = {finding.field for finding in out}
        out += [Finding(f"fracture_history.{name}", False, statement.text, strength=1)
                for name in FRACTURE_KEYS if f"fracture_history.{name}" not in named]
    return out


@cache
def _anaphora() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {key(phrase).strip(): written for phrase, written in
             _vocabulary()["fracture_anaphora"].items()}
    return phrase_matcher(tuple(table)), table


def therapy_anaphor(statement: Statement, before: Statement | None) -> Statement:
    """A clause that says nothing was taken after the course named in the clause before it
    under the same label ("Alendronate 2010-2015; nothing since."), written out as the
    denial it is ("no osteoporosis treatment since"); any other statement as it is."""
    found = _matcher("nothing_since").search(statement.keyed)
    if found is None or before is None or statement.first or before.label != statement.label \
            or _targets(statement.keyed, "drugs", "drug_not_mentions") \
            or not _targets(before.keyed, "drugs", "drug_not_mentions"):
        return statement
    keyed = f"{statement.keyed[:found.start()]} no osteoporosis treatment since " \
        f"{statement.keyed[found.end():]}"
    return replace(statement, keyed=re.sub(" +", " ", keyed))


def fracture_anaphor(statement: Statement, before: Statement | None) -> Statement:
    """The statement with a denial that stands for the fracture named before it ("Mother had
    a hip fracture; she herself has had none", "Her sister broke a hip. She has never had
    one.") written out ("... has had no fractures"), so the denial is read as any other; the
    fracture named before is in the statement or in ``before``, the clause before it under the
    same label ("Smoker: never had any" answers its own label). Without a fracture word
    before, or with "since" after (an interval's denial), the statement as it is."""
    pattern, written = _anaphora()
    found = pattern.search(statement.keyed)
    if found is None or statement.keyed[found.end():].startswith(" since"):
        return statement
    if not _mentions(statement.keyed[:found.start() + 1]) and (
            before is None or statement.first or before.label != statement.label
            or not _mentions(before.keyed)):
        return statement
    phrase = found.group().strip()
    denial = written[phrase]
    if "{site}" in denial:  # "no such history": the site of the fracture named before
        earlier = statement.keyed[:found.start() + 1]
        texts = (before.keyed if before else "", earlier)
        named = [m for _, pattern in _sites() for text in texts for m in pattern.finditer(text)]
        if len({m.group().strip() for m in named}) != 1:
            return statement  # none named, or several: which one is denied is not said
        denial = denial.replace("{site}", named[0].group().strip())
    keyed = " ".join((statement.keyed[:found.start()], key(denial).strip(),
                      statement.keyed[found.end():]))
    return replace(statement, keyed=re.sub(" +", " ", keyed))


def _other_topic(keyed: str) -> bool:
    """Whether a clause speaks of a treatment or the menopause: a later clause under a
    fracture label that does ("Previous fracture: yes, ankle 2019. No prior osteoporosis
    treatment.") is a sentence of its own, no answer of the label."""
    return bool(_targets(keyed, "drugs", "drug_not_mentions")
                or _matcher("supplements").search(keyed)
                or phrase_matcher(_vocabulary()["untreated_parts"]["treatments"]).search(keyed)
                or _menopause_matcher().search(keyed))


def _sole_fracture(statement: Statement) -> bool:
    """Whether the statement gives the patient's one and only fracture ("Only fracture:
    pathological humerus fracture", "her only previous fracture was a traumatic ankle
    fracture"; history.json ``sole_fracture``): there is no other fracture, so each key
    without a fracture of its own stated is false (a blanket, which the fracture it names
    outranks; an excluded one gives none). "The only vertebral fracture" speaks of one site
    and says nothing of the others; a relative's only fracture is theirs."""
    whole = statement.whole
    found = _matcher("sole_fracture").search(whole)
    return found is not None and not categories(whole, found.start(), found.end()) \
        & (NOT_THE_PATIENT | {"negated"})


def _denies_its_own_site(statement: Statement) -> bool:
    """Whether a value's "no" denies the site the value names, not the label's fracture:
    "Fracture history: no hip" (the hip only), where "Prior fracture: no, 2019 was a sprain"
    and "Hip fracture: no (2019 was a wrist sprain)" answer their label."""
    def names_a_site(text: str) -> bool:
        return any(pattern.search(text) for _, pattern in _sites())
    return names_a_site(statement.keyed) and not names_a_site(key(statement.label))


# a site's symptom, which names no fracture's site: "back pain", "hip ache"
_SYMPTOM_RE = re.compile(r"(?<= )(?:back|hip|neck|wrist|shoulder|knee|rib) (?:pain|ache|aches"
                         r"|stiffness|discomfort)(?= )")
_DATE_WORDS_RE = re.compile(r"(?: (?:\d{1,4}|in|on|at|age|aged|years?|ago|yrs?|circa|ca))+ ")


def _answers_fracture_label(value: str) -> bool:
    """Whether a value with no fracture word of its own answers the fracture its label names
    ("Previous fracture: right hip (2019)", "Prior fracture: 2019", "Prior fracture: yes,
    2019"). A value that is not the patient's (a request, a hypothetical, a risk: "Fracture
    history: fracture risk assessment requested"), that names an operation or a disease that
    is no fracture's ("Fracture history: s/p total hip arthroplasty for osteoarthritis") or
    that names neither a site, a date, a fragility wording nor a denial ("Fracture history:
    hypertension") states no fracture."""
    # "Fractures: back pain": a symptom, no site; "X-ray requested": no tick mark's x
    value = _SYMPTOM_RE.sub(" ", value).replace(" x ray ", " xray ")
    found = {m.rule.category for m in find_modifiers(value)}
    if found & NOT_THE_PATIENT:
        return False
    if _targets(value, "not_fracture_operations", "hip_fracture_surgery") \
            or _matcher("surgery_not_for_fracture").search(value):
        return False
    words = value.split()
    return "negated" in found or (bool(words) and answer_of(words[0]) == "yes") \
        or any(pattern.search(value) for _, pattern in _sites()) \
        or _DATE_WORDS_RE.fullmatch(value) is not None \
        or _matcher("fragility_qualifiers").search(value) is not None


# a comma before a capitalised word parts the items of a list ("PMHx: HTN, Mother had early
# menopause, Low-trauma wrist fracture 2023"); "Mother had a hip fracture, and osteoporosis"
# is one item
_ITEM_END_RE = re.compile(r",\s+(?=[A-Z])")


def _item_ends(statement: Statement) -> list[int]:
    """Where the list items of a statement end, as offsets of its key text."""
    text = statement.text.replace("%", " percent ")
    return [len(key(text[:comma.start()]).rstrip()) for comma in _ITEM_END_RE.finditer(text)]


def _family_of_item(modifiers: list[Modifier], start: int, items: list[int]) -> list[Modifier]:
    """The modifiers without the relatives named in another list item than the mention at
    ``start``: a relative's scope ends with the item that names them."""
    return [m for m in modifiers if m.rule.category != "family" or not any(
        min(m.end, start) <= at <= max(m.start, start) for at in items)]


def _femur_of_the_hip(named: list[tuple[str, re.Match[str]]]) -> None:
    """The femur named with a hip site of one fracture is the hip's bone ("intertrochanteric
    femur fracture", "neck of femur fracture": one hip fracture, not also a femur one)."""
    if any(name == "hip" for name, _ in named):
        named[:] = [(name, site) for name, site in named if not (
            name == "other_fragility" and site.group(0).strip() in _keyed_set("hip_bone_words"))]


def _choices(keyed: str) -> bool:
    """Whether a value is a form's choices rather than an answer ("yes / no", "Y/N"): answer
    words only, and answers that differ ("none, denied" is one answer)."""
    if answer_of(keyed) is not None:
        return False  # one answer of several words: "none reported", "not known"
    answers = [answer_of(word) for word in keyed.split() if word != "or"]
    return len(answers) > 1 and None not in answers and len(set(answers)) > 1


def _risk_factor_answer(statement: Statement) -> list[Finding]:
    """Under a risk-factor label ("FRAX risk factors:"), an explicit answer on the patient's
    own prior fracture ("prior fracture - no", "previous hip fracture: yes") is a statement of
    their fracture history; any other item (a parent's hip fracture, a result, an unanswered
    item) and any other blocking label (family, recommendations) give nothing. A sentence that
    denies a fracture or dates one ("Clinical details / risk factors: - Negative for prior
    fracture.", "- Proximal humerus fracture 2015, tripped on a kerb.") is no legend's item:
    it is read as a statement of its own (a relative's fracture in it stays theirs)."""
    if {m.rule.category for m in find_modifiers(statement.label)} - {"risk"}:
        return []
    if _mentions(statement.keyed) and (_denies_fracture(statement.keyed)
                                       or _YEAR_RE.search(statement.keyed)):
        return fractures(replace(statement, label="", answer=None))
    words = statement.keyed.split()
    answer = answer_of(words[-1]) if len(words) > 1 else None
    if answer not in ("yes", "no"):
        return []
    trailing = len(words) - next((i for i, word in enumerate(reversed(words))
                                  if word != "or" and not answer_of(word)), len(words))
    if _choices(" ".join(words[trailing:])):
        return []  # the choices of a blank form: "prior fracture yes/no", "Y/N"
    item = f" {' '.join(words[:-1])} "
    if not _mentions(item) or {m.rule.category for m in find_modifiers(item)} != {"past"}:
        return []
    return _site_findings(item, answer == "yes", statement.text)


_YEAR_RE = re.compile(r" (?:19|20)\d\d ")


def _denies_fracture(keyed: str) -> bool:
    """Whether a negation reaches a fracture word of ``keyed`` ("negative for prior
    fracture", "no history of hip or vertebral fracture")."""
    modifiers = find_modifiers(keyed)
    return any("negated" in categories(keyed, m.start(), m.end(), modifiers)
               for m in _mentions(keyed))


def _operated_sites_to_fracture(mentions: list[re.Match[str]], operations: set[int],
                                skipped: set[int],
                                sites: dict[int, list[tuple[str, re.Match[str]]]]) -> None:
    """An operation's sites are the fracture's where a fracture word of the clause names
    none ("left hip hemiarthroplasty for fracture": one hip fracture, not also a fracture
    without a site); ``skipped``, the operations and the denied fracture words ("hip ORIF, no
    other fractures"), take none."""
    bare = [i for i in range(len(mentions)) if i not in skipped and not sites[i]]
    for index in sorted(operations):
        if bare and sites[index]:
            nearest = min(bare, key=lambda i: abs(mentions[i].start() - mentions[index].start()))
            sites[nearest], sites[index] = sites[index], []
            bare.remove(nearest)


def _own_clause(keyed: str, mention: re.Match[str], modifiers: list[Modifier]) -> str:
    """The part of ``keyed`` around one mention, between the terminating phrases before and
    after it."""
    stops = [m for m in modifiers if m.rule.category == "terminate"]
    start = max([s.end for s in stops if s.end <= mention.start()] + [0])
    end = min([s.start for s in stops if s.start >= mention.end()] + [len(keyed)])
    return f" {keyed[start:end].strip()} "


_OTHER_ITEM_RE = re.compile(r" (?:any )?other (?:\w+ )?(?:fracture|fractures|fx|broken|break)\b")


def _site_findings(keyed: str, present: bool, evidence: str) -> list[Finding]:
    """Findings of each site named in ``keyed``; none named: a blanket statement (a denial
    covers every key, a fracture without a site is an other fragility fracture)."""
    named = [name for name, pattern in _sites() if pattern.search(keyed)]
    if named:
        return [Finding(f"fracture_history.{name}", present, evidence) for name in named]
    if _OTHER_ITEM_RE.match(keyed):
        # a form's "Other fracture after age 50: No", "Any other broken bone?": the fractures
        # besides the hip and spine its other items ask of
        return [Finding("fracture_history.other_fragility", present, evidence)]
    if present:
        return [Finding("fracture_history.other_fragility", True, evidence, strength=1)]
    absolute = _LIMITED_DENIAL_RE.search(evidence) is None
    return [Finding(f"fracture_history.{name}", False, evidence, strength=1, absolute=absolute)
            for name in FRACTURE_KEYS]


# the words that limit a denial of fractures to some ("no other fractures", "no further
# fractures", "no new fractures since 2020")
_LIMITED_DENIAL_RE = re.compile(r"\b(?:other|others|further|additional|else|more|new|apart"
                                r"|except|besides|otherwise|since|recent|interval)\b",
                                re.IGNORECASE)


# --- therapy -------------------------------------------------------------------------------

_THERAPY_LABEL = ("therapy", "treatment", "medication", "medications", "meds", "drug", "drugs",
                  "osteoporosis", "bisphosphonate", "bisphosphonates", "antiresorptive")


def _drug_label_answered_yes(statement: Statement) -> str | None:
    """The drug a label names where its value answers yes ("HRT: Y (since 2019)", "Prolia:
    yes"): the drug is taken. A no says nothing of other drugs (see ``therapy``)."""
    words = statement.keyed.split()
    if not statement.label.strip() or not words or answer_of(words[0]) != "yes" \
            or statement.answer not in (None, "yes"):
        return None
    drugs = _targets(statement.label, "drugs", "drug_not_mentions")
    if len(drugs) != 1 or categories(statement.label, drugs[0].start(), drugs[0].end()):
        return None  # "Alendronate or denosumab: yes", "Previous HRT: yes"
    drug = drugs[0].group(0).strip()
    return drug.upper() if len(drug) <= 4 else drug.capitalize()


def _is_therapy_label(label: str) -> bool:
    """A label of the patient's bone drugs ("Medications:", "Bone protection:")."""
    return bool(set(label.split()) & set(_THERAPY_LABEL)) or " bone protect" in label


_DOSE = re.compile(
    r"(?:[ ,]{0,2}\d{1,4}(?:\.\d{1,2})? {0,2}(?:mg|mcg|ug|µg|μg|g|iu|units?)\b)?"
    r"(?:[ ,]{1,2}(?:(?:once|twice) {1,2})?(?:daily|weekly|monthly|yearly|annually|nightly"
    r"|(?:a|per|each|every) {1,2}(?:day|week|month|year|\d{1,2} {1,2}(?:days|weeks|months))"
    r"|twice[ -]yearly|biannually|semi[ -]?annually|q ?\d{1,2} {0,2}(?:months?|weeks?|mo)"
    r"|subcutaneous(?:ly)?|sc|s\.c\.|iv|i\.v\.|intravenous(?:ly)?|orally|po|by mouth)(?!\w))*",
    re.IGNORECASE)


def _as_written(text: str, drug: str) -> str:
    """The drug as the report writes it, with its dose and schedule ("Alendronate 70 mg
    weekly", "denosumab 60 mg every 6 months")."""
    plain = "".join((unicodedata.normalize("NFKD", c) or c)[0] for c in text)  # "Risédronate"
    match = re.search(r"[^A-Za-z0-9]{0,3}".join(re.escape(w) for w in drug.split()), plain,
                      re.IGNORECASE)
    if not match:
        return drug
    dose = _DOSE.match(text, match.end())
    return text[match.start():dose.end() if dose else match.end()].strip(" ,")


_AT_PRIOR = re.compile(r"at the time of (?:the|her|his) (?:prior|previous|last|baseline)"
                       r"|since before the (?:prior|previous|last)"
                       r"|at (?:the )?(?:prior|previous|baseline) (?:study|scan|exam)",
                       re.IGNORECASE)
_STARTED_AFTER = re.compile(r"(?:started|begun|began|initiated|since) (?:after|following) the "
                            r"(?:prior|previous|last)|since the (?:prior|previous|last) "
                            r"(?:study|scan|exam)", re.IGNORECASE)


def _at_prior(text: str) -> bool | None:
    """Whether the drug was taken at the prior scan, where the clause says so."""
    return True if _AT_PRIOR.search(text) else False if _STARTED_AFTER.search(text) else None


# between two drugs of one clause: the later one replaced the earlier ("alendronate 2015 2020
# now on denosumab", "switched to", "changed to", "switched from risedronate to prolia")
def _switch_to(keyed: str, start: int, end: int) -> bool:
    """A switch to the next drug between ``start`` and ``end`` (history.json
    ``drug_switch_to``: "now on", "switched to"), not one still to come ("to be switched to")."""
    return any(not keyed[:found.start()].endswith(" be ")
               for found in _matcher("drug_switch_to").finditer(keyed, start, end))


_ENDED_BY_A_SWITCH = frozenset({"stopped", "past", "negated", "not_taken"})


def _after_switch(keyed: str, previous_end: int, drug: re.Match[str],
                  modifiers: list[Modifier]) -> list[Modifier]:
    """The modifiers of a drug that a switch to it ("Denosumab was stopped in 2020 and she was
    switched to zoledronic acid, which she continues") leaves it: what ended the earlier drug
    (stopped, past, not taken) before the switch is that drug's, not this one's."""
    if previous_end == 0 or not _switch_to(keyed, previous_end, drug.start()):
        return modifiers
    switch = max(found.start() for found in _matcher("drug_switch_to").finditer(
        keyed, previous_end, drug.start()))
    return [m for m in modifiers
            if m.start >= switch or m.rule.category not in _ENDED_BY_A_SWITCH]


_FROM_TO_RE = re.compile(r" to ")  # "switched from risedronate to prolia"


# a drug's course given as a closed range of years ("Alendronate 2015-2020", "risedronate 70 mg
# weekly 2012 to 2017"): a course of the past, no current drug (and no status)
_YEAR_RANGE_RE = re.compile(r"(?: (?:\d{1,3}|x\d{1,2}|mg|mcg|ug|iu|units?|once|twice|daily|weekly"
                            r"|monthly|yearly|annually|po|iv|sc|orally|tablets?|infusions?|injections?))"
                            r"{0,4} (?:from )?((?:19|20)\d\d) (?:to |through |thru )?"
                            r"((?:19|20)\d\d) ")



def _ended(keyed: str, drug: re.Match[str]) -> int | None:
    """The last year of a closed range of years after the drug, where no "now on"/"currently
    taking" before it says the course goes on ("Currently on alendronate 2015-2024"); such a
    course is no current drug."""
    if _switch_to(keyed, 0, drug.start()):
        return None
    span = _YEAR_RANGE_RE.match(keyed, drug.end())
    return int(span.group(2)) if span is not None and span.group(1) < span.group(2) else None


# where a clause may open inside a statement: a comma, "and"
_CLAUSE_OPENING_RE = re.compile(r",|\band\b", re.IGNORECASE)
_STOP = Rule("terminate", "", 0)
# the subject and verb before a clause's opener: "..., and she was switched to Aclasta"
_CLAUSE_SUBJECT_RE = re.compile(r" (?:(?:she|he|they|the patient|patient|pt) )?"
                         r"(?:(?:was|is|has been|has|had) )?(?=\S)")


def _current_clause_stops(statement: Statement, keyed: str,
                          drugs: list[re.Match[str]]) -> list[Modifier]:
    """A clause that opens with the drug the patient is on (history.json
    ``current_clause_openers``: "Stopped alendronate, on denosumab", "..., now taking Prolia",
    "Off HRT and on raloxifene") ends the scopes of the modifiers before it, as a new
    sentence would: "stopped" is the earlier drug's, not the current one's. A clause that
    opens with such a word and no drug ("Alendronate, started 2015, stopped 2019") ends
    nothing."""
    if not drugs or not _CLAUSE_OPENING_RE.search(statement.text):
        return []
    offset = len(keyed) - len(statement.keyed)
    text = statement.text.replace("%", " percent ")
    starts = {drug.start() for drug in drugs}
    openers = _matcher("current_clause_openers")
    out = []
    for opening in _CLAUSE_OPENING_RE.finditer(text):
        at = offset + len(key(text[:opening.end()]).rstrip())
        subject = _CLAUSE_SUBJECT_RE.match(keyed, at)
        opener = openers.match(keyed, subject.end() if subject else at + 1)
        if opener is not None and opener.end() + 1 in starts:
            out.append(Modifier(_STOP, at, at))
    return out


def therapy(statement: Statement) -> list[Finding]:
    if label_blocks(statement):
        return []
    if (taken := _drug_label_answered_yes(statement)) is not None:
        return [Finding("therapy", ("on_therapy", taken, None), statement.text)]
    if statement.answer is not None:
        if statement.answer == "no" and _is_therapy_label(statement.label) \
                and not _matcher("hormone_drugs").search(statement.label):
            # "Bone medication: none"; "HRT: never" denies one class, not every bone drug
            return [Finding("therapy", ("untreated", None, None), statement.text)]
        return []
    keyed = statement.keyed
    if not _targets(keyed, "drugs", "drug_not_mentions") and _is_therapy_label(statement.label):
        keyed = statement.whole
    drugs = _targets(keyed, "drugs", "drug_not_mentions")
    modifiers = find_modifiers(keyed)
    modifiers += _current_clause_stops(statement, keyed, drugs)
    out: list[Finding] = []
    fractures_named = _mentions(keyed)
    drugs_end = 0
    declined = _matcher("not_taken_openers").match(statement.keyed, 1) is not None
    # the declined drugs are those before a current or terminating word ("Declined alendronate
    # and takes no bone medication", "Declined zoledronic acid, currently taking raloxifene")
    declined_end = min([m.start for m in modifiers if m.rule.category in ("current", "terminate")]
                       + [len(keyed)])
    for drug in drugs:
        found = categories(keyed, drug.start(), drug.end(), _after_switch(
            keyed, drugs_end, drug,
            _reaching(modifiers, drug.start(), drug.end(), fractures_named)))
        if declined and drug.start() < declined_end:
            found |= {"not_taken"}  # "Declined oral bisphosphonates."
        if statement.row == "stopped":  # a medication table's "Stopped" row
            found = found - {"current"} | {"stopped"}
        elif statement.row == "current":  # its "Active" row
            found = found - {"stopped", "past"} | {"current"}
        elif statement.row == "unknown":  # "Unknown": the table does not say
            found |= {"unknown"}
        if found & NOT_THE_PATIENT:
            continue
        if "negated" in found and _matcher("hormone_drugs").fullmatch(drug.group(0)):
            continue  # "not on HRT": one class, taken for the menopause, not every treatment
        if "negated" in found:
            out.append(Finding("therapy", ("untreated", None, None), statement.text))
        elif "stopped" in found or "current" not in found and (
                _ended(keyed, drug) is not None
                or "past" in found and _matcher("last_dose").search(keyed)):
            # a drug holiday is no bone drug now, as "no current treatment" says; a drug
            # stopped or a course ended says nothing of the others (CONTRACT: untreated only
            # where the report says no osteoporosis drug): not taken, and no status
            if _matcher("drug_holiday", "nothing_since").search(keyed) is not None:
                # "... currently on a drug holiday", "risedronate stopped, not restarted"
                out.append(Finding("therapy", ("untreated", None, None), statement.text))
        elif "not_taken" in found:
            pass  # "intolerant of alendronate", "declined denosumab": not taken, nor are others
        elif "past" not in found or "current" in found or _at_prior(statement.text):
            if out and (_switch_to(keyed, drugs_end, drug.start()) or (
                    _FROM_TO_RE.fullmatch(keyed, drugs_end, drug.start())
                    and _matcher("drug_switch_from").search(keyed, 0, drugs_end))):
                out = [f for f in out if f.value[0] != "on_therapy"]  # "X 2015-2020, now on Y"
            out.append(Finding("therapy", ("on_therapy", _as_written(
                statement.text, drug.group(0)), _at_prior(statement.text)), statement.text))
        drugs_end = drug.end()
    if any(f.value[0] == "on_therapy" for f in out):
        # "on denosumab (Prolia), not alendronate": a drug denied beside a current one denies
        # that drug only, not every treatment
        return [f for f in out if f.value[0] == "on_therapy"]
    if out:
        return out
    if not drugs and (holiday := _matcher("drug_holiday").search(keyed)) is not None \
            and holiday.group().strip() != "holiday" \
            and not categories(keyed, holiday.start(), holiday.end(), modifiers) \
            & (NOT_THE_PATIENT | {"negated"}):
        # "...; currently on a drug holiday with no active treatment": no bone drug now
        return [Finding("therapy", ("untreated", None, None), statement.text)]
    for untreated in _untreated(keyed):
        if _of_bone(keyed, untreated) and not categories(
                keyed, untreated.start(), untreated.end(), modifiers) & NOT_THE_PATIENT:
            return [Finding("therapy", ("untreated", None, None), statement.text)]
    supplement = _matcher("supplements").search(keyed)
    if supplement and (_matcher("supplements_only").search(keyed)
                       or _only_supplements(statement)):
        found = categories(keyed, supplement.start(), supplement.end(), modifiers)
        if not found & (NOT_THE_PATIENT | {"negated", "stopped"}):
            return [Finding("therapy", ("untreated", None, None), statement.text, strength=1)]
    return []


@cache
def _composed_untreated() -> re.Pattern[str]:
    """history.json untreated_parts as one pattern over key text: a negator, at most one
    other item and "or", at most two qualifiers, a kind of bone drug, at most one qualifier,
    a word of treatment."""
    parts = _vocabulary()["untreated_parts"]

    def alternatives(name: str) -> str:
        return "|".join(phrase_pattern(p) for p in sorted(parts[name], key=len, reverse=True))
    qualifier = f"(?: (?:{alternatives('qualifiers')}))"
    # one item of a list before them: "not on HRT or any bone medication"
    listed = "(?:(?: [a-z0-9]+){1,3} (?:or|nor))?"
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives('negators')}){listed}{qualifier}{{0,2}} "
                      rf"(?:{alternatives('kinds')}){qualifier}? "
                      rf"(?:{alternatives('treatments')})(?![a-z0-9])")


def _untreated(keyed: str) -> list[re.Match[str]]:
    """The untreated statements of a clause: history.json untreated_phrases, and the ones
    composed of untreated_parts, in order."""
    found = [*_matcher("untreated_phrases").finditer(keyed),
             *_composed_untreated().finditer(keyed)]
    return sorted(found, key=lambda m: m.start())


_PURPOSE_RE = re.compile(r" (?:for|of|to treat|to prevent) ((?:\S+ ?){1,4})")


def _of_bone(keyed: str, untreated: re.Match[str]) -> bool:
    """Whether an untreated phrase speaks of bone: a generic one ("not on any medication")
    followed by what it is for speaks of bone only where that is bone ("not on any
    medication for osteoporosis"; "... for blood pressure" says nothing of bone drugs)."""
    if _matcher("bone_purposes").search(untreated.group(0)):
        return True
    purpose = _PURPOSE_RE.match(keyed, untreated.end())
    return purpose is None or _matcher("bone_purposes").search(purpose.group(1)) is not None


# what a medication list of supplements alone holds besides them ("calcium 600 mg + vit D
# 1000 IU daily")
_SUPPLEMENT_FILLER_RE = re.compile(r" (?:\d+|and|with|plus|mg|mcg|ug|g|iu|units?|daily|a day"
                                   r"|per day|tablets?|carbonate|citrate|supplements?|d3|d2"
                                   r"|forte|chewable|caplets?|effervescent|one|two|once|twice"
                                   r"|bd|od)(?= )")


def _only_supplements(statement: Statement) -> bool:
    """Whether a medication list ("Medications: calcium, vitamin D3") names supplements and
    nothing else: the list is the patient's medicines, so no osteoporosis drug is taken
    (clinical-rules §2)."""
    words = statement.keyed.split()
    if _is_therapy_label(statement.label):
        listed = words
    elif words and _is_therapy_label(words[0]):
        listed = words[1:]  # "History: Medications: calcium, vitamin D3."
    else:
        return False
    rest = _SUPPLEMENT_FILLER_RE.sub(" ", _matcher("supplements").sub(" ", f" {' '.join(listed)} "))
    return not rest.strip()


# --- menopause and sex ---------------------------------------------------------------------

def _menopause_matcher() -> re.Pattern[str]:
    return phrase_matcher(tuple(_phrase_table("menopause")))


@cache
def _lmp_labels() -> tuple[str, ...]:
    return tuple(key(p).strip() for p in load("report_labels")["lmp"])


@cache
def _lmp_ago_re() -> re.Pattern[str]:
    """A last menstrual period a number of months or years before ("LMP 2 years ago",
    "last menstrual period was 18 months ago")."""
    labels = "|".join(re.escape(p) for p in _lmp_labels())
    return re.compile(rf" (?:{labels})(?: was| about| approximately| approx){{0,2}} "
                      rf"{AGO_PATTERN} ")


_NOT_HERS = frozenset({"family", "hypothetical"})


def menopause(statement: Statement) -> list[Finding]:
    """Menopausal status as stated, or post where the last menstrual period was 12 months
    or more before (the standard definition: 12 months of amenorrhoea); a more recent or
    undated one states nothing ("LMP 3 months ago" may be the transition). Under a list of
    the patient's risk factors ("RISK FACTORS: - Menopause at 49.") the menopause is hers; a
    relative's or a hypothetical label's is not."""
    if label_blocks(statement, _NOT_HERS) or " frax " in statement.label \
            and label_blocks(statement):
        return []  # a FRAX form's factors ("FRAX risk factors: postmenopausal") are its own
    values = _phrase_table("menopause_answers")
    label_status = _menopause_matcher().search(statement.label) if statement.label else None
    if statement.label.strip() in _keyed_set("menopause_years_labels"):
        # "Years since menopause: 6": the menopause is past
        return [Finding("menopausal_status", "post", statement.text)] \
            if re.match(r"\s*\d{1,2}\b", statement.text) else []
    if statement.label.strip() in _keyed_set("menopause_age_labels"):
        # "MP age: 47" (GE): an age at menopause printed is post; "MP age: -" states nothing
        return [Finding("menopausal_status", "post", statement.text)] \
            if re.match(r"\s*\d{2}\b", statement.text) else []
    if statement.label and (label_status or "menopaus" in statement.label
                            or statement.label.strip() in ("status", "mp status")):
        value = statement.keyed.strip()
        if _QUERIED_RE.match(statement.text):
            return []  # "Menopausal status: ?perimenopausal": uncertain
        if value in values:
            return [Finding("menopausal_status", values[value], statement.text)]
        words = value.split()
        if words and _HOW_OR_WHEN_RE.fullmatch(" ".join(words[1:])) and (
                words[0] in values or not label_status and answer_of(words[0]) == "yes"):
            # "Menopause: Surgical, 2018", "Menopause: Yes, age 53": how or when it came
            return [Finding("menopausal_status", values.get(words[0], "post"), statement.text)]
        if label_status and statement.answer in ("yes", "no"):
            status = _phrase_table("menopause")[label_status.group(0)]
            return [Finding("menopausal_status", status, statement.text)] \
                if statement.answer == "yes" else []
    if statement.label.strip() in _keyed_set("menstrual_labels"):
        # "Periods: Regular [ ] Irregular [x]" (the ticked item), "Menses: irregular"
        status = _phrase_table("menstrual_answers").get(statement.keyed.strip())
        if status is not None:
            return [Finding("menopausal_status", status, statement.text)]
    if statement.answer == "yes" and _ended_a_year_ago(statement.label):
        # "Have your periods stopped for more than 12 months? [X] Yes": 12 months without
        return [Finding("menopausal_status", "post", statement.text)]
    if statement.answer is not None:
        return []
    table = _phrase_table("menopause")
    out = []
    age = _inner_menopause_age_re().search(statement.keyed)
    if age and not categories(statement.keyed, age.start(), age.end()) \
            & (NOT_THE_PATIENT | {"negated"}) \
            and not _family_before(statement.keyed, statement.keyed[age.start():]):
        # "G2P2, age at menopause 51": an age at menopause given is post, as its label's is
        out.append(Finding("menopausal_status", "post", statement.text))
    # periods stopped by a contraceptive, a pregnancy or a hysterectomy date no menopause
    caused = _matcher("amenorrhoea_causes").search(statement.whole) is not None
    ended = None if caused else _period_age_re().search(statement.keyed)
    if ended and not categories(statement.keyed, ended.start(), ended.end()) \
            & (NOT_THE_PATIENT | {"negated"}) \
            and not _family_before(statement.keyed, statement.keyed[ended.start():]):
        # "Periods ceased at 51", "LMP age 50": the last period at an age is past
        out.append(Finding("menopausal_status", "post", statement.text))
    lmp = None if caused else _lmp_ago_re().search(statement.whole)
    if lmp and months_ago(lmp) >= POSTMENOPAUSAL_MONTHS and not categories(
            statement.whole, lmp.start(), lmp.end()) & (NOT_THE_PATIENT | {"negated"}):
        out.append(Finding("menopausal_status", "post", statement.text))
    reached = _MENOPAUSE_YEAR_RE.search(statement.whole)
    if reached and not categories(statement.whole, reached.start(), reached.end()) \
            & (NOT_THE_PATIENT | {"negated"}) \
            and not _family_before(statement.whole, statement.whole[reached.start():]):
        # "Natural menopause 2013", "went through the menopause in 2012": a menopause dated
        out.append(Finding("menopausal_status", "post", statement.text))
    year = None if caused else _lmp_year_re().search(statement.whole)
    if year and not categories(statement.whole, year.start(), year.end(), [
            m for m in find_modifiers(statement.whole) if m.start < year.start()
            or m.end > year.end()]) & (NOT_THE_PATIENT | {"negated"}):
        # the words of the match are its own ("no periods since 2016", "periods stopped")
        out.append(Finding("menopausal_status", "post", statement.text, since=int(year.group(1))))
    if (inner := _inner_status_re().search(statement.keyed)) is not None:
        # "52 y/o lady with menopausal status: Pre": the label's answer, never its own word
        # (N/A, unknown, not recorded: null; another answer is read as any words are)
        answer = next((values[value] for value in (inner.group(2), inner.group(1))
                       if value in values), None)
        if _QUERIED_STATUS_RE.search(statement.text):
            return []  # "menopausal status: ?post"
        if answer:
            return [Finding("menopausal_status", answer, statement.text)]
    since = _years_since_re().search(statement.keyed)
    if since and not categories(statement.keyed, since.start(), since.end()) \
            & (NOT_THE_PATIENT | {"negated"}) \
            and not _family_before(statement.keyed, statement.keyed[since.start():]):
        # "She reports: Years since menopause: 14", "10 years since menopause"
        out.append(Finding("menopausal_status", "post", statement.text))
    if (stopped := _amenorrhoea_re().search(statement.keyed)) is not None \
            and months_ago(stopped) >= POSTMENOPAUSAL_MONTHS and not caused and not categories(
                statement.keyed, stopped.start(), stopped.end()) & NOT_THE_PATIENT \
            and not _family_before(statement.keyed, statement.keyed[stopped.start():]):
        # "No period for 18 months": 12 months of amenorrhoea, as an LMP that long ago
        out.append(Finding("menopausal_status", "post", statement.text))
    whole = statement.keyed
    for item in _list_items(statement.text):
        if _QUERIED_RE.search(item):
            continue  # "?perimenopausal", "query post-menopausal": uncertain
        keyed = key(item)
        modifiers = find_modifiers(keyed)
        for match in _menopause_matcher().finditer(keyed):
            found = categories(keyed, match.start(), match.end(), modifiers)
            if found & (NOT_THE_PATIENT | {"negated"}) or _family_before(whole, keyed) \
                    or _matcher("not_done_yet").match(keyed, match.end() + 1) \
                    or keyed.startswith("status ", match.end() + 1) \
                    or stopped and match.group(0) in _keyed_set("amenorrhoea"):
                continue  # a status label's own word; a duration of no periods decides
            out.append(Finding("menopausal_status", table[match.group(0)], statement.text))
    return out


# how or when a menopause came, after its answer: "age 53", "2018", "10 years ago", "surgical"
_HOW_OR_WHEN_RE = re.compile(r"(?:(?:surgical|surgically induced|natural|medical|chemical|induced"
                             r"|premature|early) ?)?(?:(?:at |in |since |approx |about )?"
                             r"(?:age |aged )?\d{2,4}(?: (?:years?|yrs?) ago)?)?")


# a queried status: "?perimenopausal", "? post-menopausal", "query menopausal"
_QUERIED_RE = re.compile(r"\s*(?:\?|\bquery\b|\bqueried\b)\s*(?:[a-z]{2,5}[\s-]?)?menopaus",
                         re.IGNORECASE)


_QUERIED_STATUS_RE = re.compile(r"status\s*[:=]?\s*\?", re.IGNORECASE)


def _alternation(phrases: Iterable[str]) -> str:
    """Key phrases as one regex alternation, the longest first (a phrase wins over its start)."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@cache
def _inner_status_re() -> re.Pattern[str]:
    """A menopausal-status label inside a clause, with the one or two words of its answer."""
    labels = _alternation(_keyed_set("menopause_status_labels"))
    return re.compile(rf" (?:{labels}) (\w+)(?: (\w+))?")


@cache
def _amenorrhoea_re() -> re.Pattern[str]:
    """No periods for a number of months or years ("no period for 18 months")."""
    phrases = _alternation(_keyed_set("amenorrhoea"))
    return re.compile(rf" (?:{phrases}) (?:for|in|x|over|since) (?:the (?:last|past) |over )?"
                      rf"{AGO_PATTERN.removesuffix(' ago')} ")


_LIST_ITEM_RE = re.compile(r"(?<=[A-Za-z0-9)\]])[,.]\s+")


def _list_items(text: str) -> list[str]:
    """The items of a clause cut at commas and at a period before a lower-case word ("HTN,
    hypothyroidism, post menopausal, Evaluate fracture risk"; "no prescription osteoporosis
    medication. post menopausal"): a menopausal status is an item of its own, which a
    modifier of another item (the next item's "risk", the last one's "no") does not reach."""
    return _LIST_ITEM_RE.split(text)


def _family_before(whole: str, item: str) -> bool:
    """Whether a family modifier before ``item`` in the clause makes it a relative's
    ("mother had hip fracture, early menopause")."""
    at = whole.find(item)
    return at > 0 and any(m.rule.category == "family" and m.rule.direction != "backward"
                          for m in find_modifiers(whole[:at + 1]))


# a menopause with the year it came: "Natural menopause 2013", "menopause in 2010"
_MENOPAUSE_YEAR_RE = re.compile(r" menopause(?: (?:was|in|occurred|reached|around|about|approx"
                                r"|approximately|circa|c|ca)){0,2} (?:(?:19|20)\d\d (?!years? ago)"
                                r"|\d{1,2} (?:years?|yrs?) ago )")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec")


@cache
def _lmp_year_re() -> re.Pattern[str]:
    """A last menstrual period given as a year or a date ("LMP 2017", "LMP: 03/2016", "LMP
    Feb 2016"), or the year the periods ended ("periods stopped in 2012", "no periods since
    2016"; history.json ``period_ended``, and ``amenorrhoea`` with "since"): post where the
    scan is at least two calendar years later (``reader.read_history``)."""
    ended = (*_lmp_labels(), *_keyed_set("period_ended"),
             *(f"{p} since" for p in _keyed_set("amenorrhoea")))
    labels = _alternation(ended)
    months = "|".join(_MONTHS)
    return re.compile(rf" (?:{labels})(?: was| in| about| approximately| approx| around"
                      rf"| circa| c| ca| since| year){{0,2}}(?: \d{{1,2}}| (?:{months})){{0,2}}"
                      rf" ((?:19|20)\d\d) (?!years? ago|yrs? ago)")


_A_YEAR_OR_MORE_RE = re.compile(r" (?:1[2-9]|[2-9]\d) months | (?:a|one|1) years? | \d{1,2} years ")


def _ended_a_year_ago(label: str) -> bool:
    """Whether a question asks if the periods ended a year or more ago ("Have your periods
    stopped for more than 12 months", "No periods for over a year")."""
    return bool(label.strip()) and _A_YEAR_OR_MORE_RE.search(label) is not None and (
        _matcher("period_ended").search(label) is not None
        or _matcher("amenorrhoea").search(label) is not None)


@cache
def _years_since_re() -> re.Pattern[str]:
    """The years since the menopause inside a clause (history.json menopause_years_labels)."""
    labels = _alternation(_keyed_set("menopause_years_labels"))
    return re.compile(rf" (?:(?:{labels}) \d{{1,2}}|\d{{1,2}} (?:{labels})) ")


@cache
def _period_age_re() -> re.Pattern[str]:
    """The last period given by the age it came at ("periods stopped at 53", "LMP age 50";
    history.json ``period_ended`` and the LMP labels), not a time since ("LMP 12 days ago")."""
    ended = sorted({*_lmp_labels(), *_keyed_set("period_ended")}, key=len, reverse=True)
    labels = "|".join(re.escape(p) for p in ended)
    return re.compile(rf" (?:{labels})(?: was)? (?:at age|aged|age|at) \d{{2}} "
                      rf"(?!(?:days?|weeks?|months?|years?|yrs?) )")


@cache
def _inner_menopause_age_re() -> re.Pattern[str]:
    """An age at menopause inside a clause ("G2P2, age at menopause 51"; history.json
    ``menopause_age_labels``): the label, perhaps "was"/"of"/"at"/"about", and two digits."""
    labels = _alternation(_keyed_set("menopause_age_labels"))
    return re.compile(rf" (?:{labels})(?: was| of| at| about| approx| approximately| around)?"
                      rf"(?: age)? \d{{2}} (?!(?:years?|yrs?|months?) ago)")


_AGE_PHRASE_RE = re.compile(
    r" \d{1,3}(?: \d)? (?:years? old|year old|yrs? old|yo|y o|years? of age|yr old) "
    r"| (?:aged?|age) \d{1,3} ")


_TITLES = ("mrs", "miss", "ms", "mr")
# an age in years written short with F/M after it: "75y M", "51 yo F", "44 y/o F" (not "10y F/U")
# or without the years after "this" or "a": "in this 85F.", "a 67F with back pain"
AGE_Y_SEX = (r"(?:(?<![\w.])(\d{2,3}) ?(?:[yY]|yo|y/o|yrs?|years?)\.? ?"
             r"|(?:(?<=\b[Tt]his )|(?<=\b[Aa] )|(?<=\b[Aa]n ))(\d{2,3}) ?)([FM])(?![\w/])")
_AGE_Y_SEX_RE = re.compile(AGE_Y_SEX)
# sex and age in brackets after a name in a letter's header: "Patient: S. Brennan (F, 55y)"
SEX_Y_AGE = r"\(([FM]), ?(\d{2,3}) ?(?:y|yo|y/o|yrs?|years?)\.?\)"
_SEX_Y_AGE_RE = re.compile(SEX_Y_AGE)
# a sex label with its value inside a line: "Name: X Sex: F Height: 165 cm"
_INNER_SEX_RE = re.compile(r"\b(?:sex|gender) {0,2}: {0,2}(?:female|male|f|m)\b(?! {0,2}[:/])",
                           re.IGNORECASE)
_CHOICES_RE = re.compile(r" {0,3}[A-Za-z]{1,6} {0,2}/ {0,2}[A-Za-z]"
                         # both sexes offered, the boxes printed elsewhere: "Sex: F M"
                         r"| {0,3}(f|m|female|male) {1,3}(?!\1\b)(?:f|m|female|male)\b",
                         re.IGNORECASE)


def blank_choices(value: str) -> bool:
    """Whether a sex label's value is a blank form's choices ("M / F", "Male/Female"), which
    state nothing: one rule for the text, PDF and OCR readers."""
    return _CHOICES_RE.match(value) is not None


@lru_cache(maxsize=8)
def _sex_label_re(sex_labels: tuple[str, ...]) -> re.Pattern[str]:
    """A ``Sex:``/``Gender:`` label (the report's sex labels, key form) and the word after it,
    inside another label's line ("Patient age: 78 Sex: M")."""
    labels = "|".join(r"\W+".join(map(re.escape, label.split())) for label in sex_labels)
    return re.compile(rf"\b(?:{labels}) {{0,2}}: {{0,2}}(female|male|f|m)\b(?! {{0,2}}[:/])",
                      re.IGNORECASE)


@cache
def _history_labels() -> frozenset[str]:
    return frozenset(key(p).strip() for p in load("sections")["sections"]["history"])


def sex(statement: Statement, sex_labels: tuple[str, ...]) -> list[Finding]:
    """Sex where the report states it: a ``Sex:``/``Gender:`` value (also inside another
    label's line: "Patient age: 78 Sex: M"), or a sex word describing
    the patient beside the age ("68 year old woman", "83 years old Male", "female, aged 70"),
    or a later clause under a history label that is that word alone ("Clinical information:
    Age 67. Female."). Never from a menopause word, a pronoun, a title or a reference
    population."""
    words = _phrase_table("sex_words")
    if statement.label.strip() in sex_labels:
        first = statement.keyed.split()[:1]
        value = words.get(first[0]) if first else None
        if blank_choices(statement.text):
            return []  # a blank form's choices: "Sex: M/F"
        return [Finding("sex", value, statement.text)] if value else []
    inner = _sex_label_re(sex_labels).search(statement.text)
    if inner and inner.group(1).lower() in words and not blank_choices(
            statement.text[inner.start(1):]) and not (
            {m.rule.category for m in find_modifiers(statement.whole)} & NOT_THE_PATIENT):
        return [Finding("sex", words[inner.group(1).lower()], statement.text)]  # "Age: 78 Sex: M"
    keyed = statement.keyed
    alone = keyed.split()
    if len(alone) > 1 and " ".join(alone[:-1]) in sex_labels and alone[-1] in words \
            and not {m.rule.category for m in find_modifiers(statement.whole)} & NOT_THE_PATIENT:
        return [Finding("sex", words[alone[-1]], statement.text)]  # "...; sex F; scanned ..."
    if set(statement.label.split()) & set(sex_labels) \
            and (paired := _AGE_THEN_SEX_RE.match(statement.text)
                 or _SEX_THEN_AGE_RE.match(statement.text)):
        # "Age/Sex : 64 Y / F", "Sex/Age: F/67"
        return [Finding("sex", words[paired.group(1).lower()], statement.text)]
    if (subject := _SEX_SUBJECT_RE.match(_after_history_label(keyed))) \
            and subject.group(1) in words and subject.group(1) not in _TITLES \
            and not {m.rule.category for m in find_modifiers(statement.whole)} & _NOT_A_PERSON:
        return [Finding("sex", words[subject.group(1)], statement.text)]  # "Lady referred by"
    if (this := _THIS_PERSON_RE.search(keyed)) and this.group(1) in words \
            and this.group(1) not in _TITLES \
            and not {m.rule.category for m in find_modifiers(statement.whole)} & NOT_THE_PATIENT:
        return [Finding("sex", words[this.group(1)], statement.text)]  # "I reviewed this lady"
    if len(alone) == 1 and len(alone[0]) > 2 and alone[0] in words and alone[0] not in _TITLES \
            and (not statement.first and statement.label.strip() in _history_labels()
                 or _matcher("history_section_labels").fullmatch(statement.label.strip())) \
            and not {m.rule.category for m in find_modifiers(statement.whole)} & NOT_THE_PATIENT:
        # "History: Age 67. Female.": a later clause under a history label; a line that is the
        # word alone may be a wrapped reference population ("Z-score vs. White" / "Female.")
        return [Finding("sex", words[alone[0]], statement.text)]
    if (found := _described(statement, words)) is not None:
        return [Finding("sex", found, statement.text)]
    compact = _AGE_Y_SEX_RE.search(statement.text)
    if compact and not label_blocks(statement) \
            and not _modified(key(statement.text[:compact.end()])) & NOT_THE_PATIENT:
        return [Finding("sex", compact.group(3), statement.text)]  # "I saw this 75y M in ..."
    bracketed = _SEX_Y_AGE_RE.search(statement.text)
    if bracketed and not label_blocks(statement) \
            and not _modified(key(statement.text[:bracketed.end()])) & NOT_THE_PATIENT:
        return [Finding("sex", bracketed.group(1), statement.text)]  # "Patient: X (F, 55y)"
    for age in _AGE_PHRASE_RE.finditer(keyed):
        after = keyed[age.end():age.end() + 2]
        following = keyed[age.end() - 1:age.end() + 40].split()
        preceding = keyed[max(0, age.start() - 30):age.start()].split()[::-1]
        for word in following + preceding:
            if word in words and (len(word) > 2 or f"{word} " == after) \
                    and word not in _TITLES:
                modifiers = find_modifiers(keyed)
                if "generic" in categories(keyed, age.start(), age.end(), modifiers):
                    return []
                return [Finding("sex", words[word], statement.text)]
    return []


# what makes a sentence's subject another person than the patient, or people in general (a
# hypothetical scope, "referred for assessment of ...", speaks of what follows, not the subject)
_NOT_A_PERSON = frozenset({"family", "generic", "risk"})
# the value of a label that pairs age and sex ("Age/Sex : 64 Y / F"), the age left out or
# blank ("Age/Sex : F", "Age/Sex : - / F")
_AGE_THEN_SEX_RE = re.compile(r"\s{0,3}(?:\d{1,3}(?:\.\d)? ?(?:y|yrs?|years?)?\.? {0,2}[/,] {0,2}"
                              r"|[-/]? {0,2}[/,] {0,2}|(?=[FfMm]))"
                              r"(female|male|f|m)\b(?! {0,2}/)", re.IGNORECASE)
# the value of a label that pairs sex and age ("Sex/Age: F/67")
_SEX_THEN_AGE_RE = re.compile(r"\s{0,3}(female|male|f|m) {0,2}[/,] {0,2}\d{1,3}\b", re.IGNORECASE)
# a sex word opening a sentence as its subject: "Lady referred by her GP", "Woman with low bone
# mass", "Gentleman presenting with back pain" (not "Male reference population")
_SEX_SUBJECT_RE = re.compile(r" (\w{3,9}) (?:referred|with|aged|presenting|presents|attending"
                         r"|attended|who|seen|sent|undergoing) ")


# the patient named by a demonstrative and a sex noun in a letter or note: "I reviewed this lady
# in clinic", "Evaluate bone mineral density in this gentleman" (a relative's sentence is not)
_THIS_PERSON_RE = re.compile(r" this (\w{3,9}) (?!s )")


def _after_history_label(keyed: str) -> str:
    """Key text without the history heading that opens it with no colon, as a narrative's
    table cell prints it ("INDICATIONS     Lady referred by her GP")."""
    for label in _history_labels():
        if keyed.startswith(f" {label} "):
            return keyed[len(label) + 1:]
    return keyed


def _modified(keyed: str) -> frozenset[str]:
    """The categories of the modifiers that reach the last word of ``keyed``."""
    last = keyed.rstrip().rfind(" ") + 1
    return categories(keyed, last, len(keyed.rstrip()))


# a sex word describing the patient: "Female patient", "a 67-year-old male patient"
_PATIENT_RE = re.compile(r" (\w{3,9}) patient ")
# an age and F/M as one word or two opening an indication: "85F, c/o back pain", "61 F"
_AGE_SEX_RE = re.compile(r" (\d{2,3}) ?([fm]) ")
_AGE_SEX_LINE_RE = re.compile(r"\s{0,3}\d{2,3} ?[FMfm]\b")


def _described(statement: Statement, words: dict[str, str]) -> str | None:
    """The sex of a "female patient" / "male patient" wording, or of an age with F/M
    opening a history item ("INDICATION: 85F, ..."); not a relative's, and never from a
    reference population ("Caucasian women"), "M/F" or "F/U" (no patient word, no age)."""
    keyed = statement.keyed
    described = _PATIENT_RE.search(keyed)
    value = words.get(described.group(1)) \
        if described and described.group(1) not in _TITLES else None
    if value is None and statement.first and statement.label.strip() in _history_labels():
        compact = _AGE_SEX_RE.match(keyed)
        if compact and 0 < int(compact.group(1)) < 120 \
                and not _CHOICES_RE.match(statement.text.lstrip()[len(compact.group(1)):]):
            value = words.get(compact.group(2))
    if value is None or {m.rule.category for m in find_modifiers(statement.whole)} \
            & NOT_THE_PATIENT:
        return None
    return value
