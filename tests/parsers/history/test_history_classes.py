"""History wordings by class (parsers.history): names that hold a fracture word, excluded
sites and falls, drugs not taken, status rows, menopause wordings; each with the look-alike
that must read otherwise. Sentences written here from the notes of each class."""

from __future__ import annotations

import pytest

from parsers.history import read_history, read_text_history, statements


def _fractures(text: str) -> tuple[bool | None, bool | None, bool | None]:
    history = read_text_history(text)
    assert history == read_history(statements(text))  # the first test leaves out nothing
    fx = history.fracture_history
    return fx.hip, fx.vertebral, fx.other_fragility


@pytest.mark.parametrize(
    "text",
    ["Home address: 7 Broken Road, Leeds.",
     "HISTORY: 61 year old woman. Lives at 22 Fracture Street. Asthma.",
     "Address on file: 3 Hip Fracture Avenue",
     "Referred from the Orthogeriatric Hip Fracture Unit for a scan.",
     "Data sent to the National Hip Fracture Database."],
)
def test_a_name_that_holds_a_fracture_word_is_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the look-alikes: a fracture word before another word of the sentence
        ("Wrist fracture 2020, ward nurse informed.", (None, None, True)),
        ("Hip fracture in 2018. Lives at 4 Mill Lane.", (True, None, None)),
    ],
)
def test_a_fracture_beside_a_name_word_stays(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No spine or hip fractures; he broke three metacarpals in a fight in 2012.",
         (False, False, None)),
        ("Fractured humerus after falling down the stairs at home in 2021.",
         (None, None, None)),
        ("Broke her ankle falling down a flight of steps in 2020.", (None, None, None)),
        # look-alike: a fall on the level near stairs is a fall from standing
        ("Wrist fracture 2019 after tripping on the bottom stair.", (None, None, True)),
    ],
)
def test_excluded_sites_and_falls_from_a_height(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


def _therapy(text: str) -> tuple[str | None, str | None]:
    history = read_text_history(text)
    assert history == read_history(statements(text))
    return history.therapy.status, history.therapy.current


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hormone therapy denied says nothing of the osteoporosis drugs
        ("Menopause at 50, never on HRT.", (None, None)),
        ("No oestrogen replacement since her hysterectomy.", (None, None)),
        ("Alendronate 70 mg weekly. Went through menopause at 49; not on HRT.",
         ("on_therapy", "Alendronate 70 mg weekly")),
        # look-alikes: a hormone therapy denied beside a denial of bone drugs, and taken
        ("Not on HRT or any osteoporosis medication.", ("untreated", None)),
        ("No HRT and no bone-protective treatment.", ("untreated", None)),
        ("Remains on HRT (estradiol patch).", ("on_therapy", "HRT")),
        ("Not on alendronate.", ("untreated", None)),
    ],
)
def test_a_hormone_therapy_denied(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Refused oral bisphosphonates last year and takes no bone medication.",
         ("untreated", None)),
        ("Declined denosumab in 2020 and is currently taking raloxifene 60 mg daily.",
         ("on_therapy", "raloxifene 60 mg daily")),
        # look-alikes: the declined drug alone states nothing
        ("Declined zoledronic acid infusion.", (None, None)),
        ("Patient declined alendronate.", (None, None)),
    ],
)
def test_a_declined_drug_and_what_follows(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a later clause under a fracture label that speaks of treatment is its own sentence
        ("Prior fracture: yes, left wrist after a trip in 2018. No previous bone treatment.",
         (None, None, True)),
        # look-alikes: a later clause that answers the label, and a first clause that denies
        ("Previous fractures: yes. Left wrist 2018.", (None, None, True)),
        ("Previous fracture: none. Not on any bone medication.", (False, False, False)),
    ],
)
def test_a_later_clause_under_a_fracture_label(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label with a bare answer nested in the line's label
        ("Referral notes: Fractures: nil. Spine and both hips scanned.", (False, False, False)),
        ("Indication: Vertebral fracture: yes.", (None, True, None)),
        # look-alike: a nested fracture label answered unknown states nothing
        ("Indication: Fractures: not known.", (None, None, None)),
    ],
)
def test_a_nested_label_with_a_bare_answer(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X vs Y" and a trailing "indeterminate" leave the finding uncertain
        ("T11: wedge deformity versus Schmorl's node, indeterminate.", (None, None, None)),
        ("Height loss at L1, fracture vs degenerative change.", (None, None, None)),
        # look-alikes: a fracture of indeterminate age is a fracture; another finding's doubt
        ("Wedge fracture of T6 of indeterminate age on VFA.", (None, True, None)),
        ("L3 crush fracture 2021. Indeterminate lung nodule on CT.", (None, True, None)),
    ],
)
def test_an_indeterminate_finding(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a denial limited to the interval since the last scan says nothing of before
        ("Follow-up scan. No interval fractures reported.", (None, None, None)),
        ("No new vertebral fractures since 2021; on alendronate.", (None, None, None)),
        # look-alikes: a new fracture is a fracture, and a denial without a limit denies
        ("Reports a new ankle fracture since the previous scan (trip on a step).",
         (None, None, True)),
        ("No fractures to date.", (False, False, False)),
    ],
)
def test_a_denial_limited_to_an_interval(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected
