"""History wordings by class (parsers.history): names that hold a fracture word, excluded
sites and falls, drugs not taken, status rows, menopause wordings; each with the look-alike
that must read otherwise. Sentences written here from the notes of each class."""

from __future__ import annotations

import pytest

from parsers.history import read_history, read_text_history, statements
from tests.parsers.history.reading import fractures


def _fractures(text: str) -> tuple[bool | None, bool | None, bool | None]:
    return fractures(text)


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a form's row with each answer before its box
        ("Prior fractures:\n  Hip fracture .......... Yes [ ]  No [x]\n"
         "  Spine fracture ........ Yes [x]  No [ ]\n  Other fragility fracture  Yes [ ]  No [x]",
         (False, True, False)),
        # an item ended by a colon, long and with a number, its boxes after it
        ("Broken a bone after age 50 from a trip or slip: [ ] Yes [x] No", (False, False, False)),
        ("Other fracture after age 50 from a simple fall: [ ] Yes [X] No", (None, None, False)),
        # look-alikes: boxes left blank state nothing; "no other fractures" still covers all
        ("Hip fracture ........ Yes [ ]  No [ ]", (None, None, None)),
        ("Wrist fracture 2017. No other fractures.", (False, False, True)),
    ],
)
def test_form_rows_with_boxes(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


def _menopause(text: str, scan_date: str | None = "2022-05-01") -> str | None:
    return read_text_history(text, scan_date=scan_date).menopausal_status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spontaneous menopause 2009, no HRT.", "post"),
        ("She went through the menopause in 2015.", "post"),
        ("Menopause: 2016", "post"),
        # look-alikes: a relative's, a denied one, a year of something else
        ("Sister: premature menopause 2001.", None),
        ("No menopause as of 2021.", None),
        ("Hysterectomy 2012, ovaries conserved.", None),
    ],
)
def test_a_menopause_with_its_year(text: str, expected: str | None) -> None:
    assert _menopause(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an answer of several words is one answer, not a form's choices
        ("Osteoporotic fractures: none reported.", (False, False, False)),
        ("Past fractures: none known", (False, False, False)),
        # look-alike: a blank form's choices state nothing
        ("Past fractures: yes / no", (None, None, None)),
    ],
)
def test_an_answer_of_several_words(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a heading in capitals run into a relative's label: the relative has the first
        # clause, the patient the rest
        ("HISTORY Father: hip fracture at 79. Started denosumab 60 mg in 2024.",
         (None, ("on_therapy", "denosumab 60 mg"))),
        # look-alike: under a family label the later clauses stay the family's
        ("Family history: Sister hip fracture. Takes alendronate.", (None, (None, None))),
    ],
)
def test_a_heading_run_into_a_relative_label(text: str, expected: tuple) -> None:
    history = read_text_history(text)
    assert (history.fracture_history.hip, (history.therapy.status, history.therapy.current)) \
        == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a drug booked or awaited is still to come
        ("Denosumab injection is booked for May; no osteoporosis treatment so far.",
         ("untreated", None)),
        ("Awaiting romosozumab approval.", (None, None)),
        # look-alikes: a current drug beside something else booked; a fracture awaiting review
        ("On risedronate since 2020, repeat DXA booked.", ("on_therapy", "risedronate")),
    ],
)
def test_a_drug_still_to_come(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


def test_a_fracture_beside_a_booked_review() -> None:
    assert _fractures("Wrist fracture 2022, awaiting clinic review.") == (None, None, True)


def test_a_sentence_after_an_identity_label_is_read() -> None:
    text = "Address on file: 9 Mill Lane. Started abaloparatide 80 mcg daily in 2023."
    assert _therapy(text) == ("on_therapy", "abaloparatide 80 mcg daily")


@pytest.mark.parametrize(
    "text", ["Referred by: Dr J. Hip Fracture, Trauma and Orthopaedics.",
             "Referring physician: Dr A. Broke"])
def test_a_name_after_an_initial_is_no_fracture(text: str) -> None:
    assert _fractures(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the sentences after an identity label's value are the section's
        ("INDICATION Address on file: 3 Elm Road. No hip fracture; L1 wedge fracture on VFA 2022.",
         (False, True, None)),
        ("Home address: 3 Elm Road. Fractured her wrist on the ice in 2021.", (None, None, True)),
    ],
)
def test_sentences_after_an_identity_label(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a drug holiday is no bone drug now: beside a current drug it is a contradiction
        ("On a bisphosphonate holiday since 2022. Takes alendronate 70 mg weekly.", (None, None)),
        ("Finished 5 years of risedronate in 2019, drug holiday since.", ("untreated", None)),
        # look-alikes: a drug stopped beside a current one, a holiday then a switch in a clause
        ("Stopped ibandronate in 2018. Remains on denosumab.", ("on_therapy", "denosumab")),
        ("Alendronate 2012-2017, drug holiday, now on zoledronic acid.",
         ("on_therapy", "zoledronic acid")),
    ],
)
def test_a_drug_holiday(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "warned"),
    [
        # a denial of every fracture beside a stated fracture: the report contradicts itself
        # on that key; the others keep the denial
        ("Denies any previous fracture. Old L2 wedge fracture noted on VFA in 2021.",
         (False, None, False), True),
        # a correction's fracture outranks the body's denial
        ("History: never broken a bone.\nADDENDUM: right hip fracture in 2018 was omitted.",
         (True, False, False), False),
        # look-alikes: a limited denial beside a fracture, a relative's fracture
        ("Left wrist fracture 2020; no other fractures.", (False, False, True), False),
        ("No previous fractures. Her sister broke a hip last year.", (False, False, False), False),
    ],
)
def test_a_denial_and_a_fracture_beside_it(text: str, expected: tuple, warned: bool) -> None:
    assert _fractures(text) == expected
    assert any(w.startswith("HISTORY_CONFLICT:fracture")
               for w in read_text_history(text).warnings) == warned


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a question inside a line is the label of a bare answer after it, else nothing
        ("Notes: Screening visit. Prior hip fracture? No. Prior spine fracture? Yes.",
         (False, True, None)),
        ("Notes: Screening visit. Any low-trauma fracture?  Y / N  (not filled in)",
         (None, None, None)),
        # a question mark before a word queries it
        ("- ?healed rib fractures on a chest film", (None, None, None)),
        ("Fell last week, ?wrist fracture, X-ray pending.", (None, None, None)),
        # "peripheral" fractures are the other ones; a treatment break is no break
        ("No hip or peripheral fractures.", (False, None, False)),
        ("Has been on a treatment break since 2021.", (None, None, None)),
        # look-alike: a question answered later in a sentence of its own stays a sentence
        ("Notes: Hip fracture 2019 (fall at home). Wrist fracture? Not known.",
         (True, None, None)),
    ],
)
def test_questions_and_queries_in_a_line(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what ended the earlier drug is not the drug switched to
        ("Alendronate was discontinued in 2019 and she was switched to denosumab, which she "
         "continues.", ("on_therapy", "denosumab")),
        ("Risedronate stopped after 5 years; changed to raloxifene 60 mg daily.",
         ("on_therapy", "raloxifene 60 mg daily")),
        # look-alikes: a switch still to come, a drug stopped alone (no current drug, and
        # nothing said of the others)
        ("Zoledronic acid was stopped in 2020, to be switched to denosumab.", (None, None)),
        ("Ibandronate was stopped in 2017.", (None, None)),
    ],
)
def test_a_switch_after_a_stopped_drug(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


def test_a_history_heading_with_risk_factors_is_the_patients() -> None:
    text = "Risk factors / history: Postmenopausal. Not on any osteoporosis medication."
    history = read_text_history(text)
    assert (history.menopausal_status, history.therapy.status) == ("post", "untreated")
    # look-alike: a FRAX form's list of risk factors is no history of the patient's
    assert _fractures("FRAX risk factors: parent fractured hip, current smoker.") \
        == (None, None, None)


@pytest.mark.parametrize(
    ("text", "scan_date", "expected"),
    [
        # a course of infusions given as a closed range of years has ended
        ("Zoledronic acid x4 (2016-2020); nothing since.", "2023-02-01", ("untreated", None)),
        ("Zoledronic acid x4 (2016-2020).", "2020-06-01", (None, None)),
    ],
)
def test_a_counted_course_with_years(text: str, scan_date: str, expected: tuple) -> None:
    history = read_text_history(text, scan_date=scan_date)
    assert (history.therapy.status, history.therapy.current) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a statement the report calls wrong states nothing
        ("ADDENDUM: she takes raloxifene 60 mg daily; the entry that she is untreated was "
         "in error.", ("on_therapy", "raloxifene 60 mg daily")),
        ("The statement that she takes no bone medication is incorrect. On denosumab.",
         ("on_therapy", "denosumab")),
        # look-alike: a denial the report keeps
        ("She takes no bone medication.", ("untreated", None)),
    ],
)
def test_a_statement_called_wrong(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a form's follow-up after its answers is the form's next item
        ("On bone medication now: [X] Yes [ ] No If yes, which: alendronate 70 mg weekly",
         ("on_therapy", "alendronate 70 mg weekly")),
        ("On bone medication now: [ ] Yes [X] No If yes, which: ________", ("untreated", None)),
        # look-alikes: blank boxes, and "if" that opens a plan
        ("On bone medication now: [ ] Yes [ ] No If yes, which: ________", (None, None)),
        ("If BMD falls further, start alendronate.", (None, None)),
        ("Drug history: not currently on any treatment for osteoporosis.", ("untreated", None)),
        ("Not currently on any medication for her thyroid.", (None, None)),
    ],
)
def test_a_forms_follow_up_and_untreated_wordings(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the rest of a name after a title and an initial
        ("DOB: 1/2/1950 Referring Physician: Dr K. Broke", (None, None, None)),
        ("Seen by Mrs J. Hip. Left hip fracture in 2016.", (True, None, None)),
        # an augmentation names its own vertebral site
        ("T12 compression fracture, kyphoplasty 2019", (None, True, None)),
        # a fall without a fracture is no fracture history; look-alike: a fracture after it
        ("Recent fall without fracture.", (None, None, None)),
        ("Two falls without fracture; ankle fracture after a trip in 2020.", (None, None, True)),
    ],
)
def test_names_augmentations_and_falls(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a medication row whose status cell says unknown states nothing
        ("Drug                      Start        Stop   Status\n"
         "Ibandronic acid 150 mg    2016-04-01   -      Unknown", (None, None)),
        ("Ibandronic acid 150 mg 2016-04-01 - Not known", (None, None)),
        # look-alike: an active row is taken
        ("Ibandronic acid 150 mg    2016-04-01   -      Active",
         ("on_therapy", "Ibandronic acid 150 mg")),
    ],
)
def test_a_medication_row_of_unknown_status(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a closing sentence that makes its line a correction of the history above
        ("History: On risedronate 35 mg weekly.\n"
         "Update: the referral listed risedronate; she stopped it in 2021 and takes no bone "
         "medication now. This supersedes the clinical history.", ("untreated", None)),
        # look-alike: without it the two statements contradict each other
        ("History: On risedronate 35 mg weekly.\n"
         "Update: she stopped it in 2021 and takes no bone medication now.", (None, None)),
    ],
)
def test_a_closing_correction(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative is the subject of their clause, whatever drug it names between
        ("Her sister was started on alendronate after a hip fracture.", (None, None, None)),
        ("Father takes risedronate since his spinal fracture.", (None, None, None)),
        # look-alike: the patient's own clause after a relative's sentence
        ("Mother takes alendronate. Ankle fracture 2021 after a trip.", (None, None, True)),
    ],
)
def test_a_relatives_fracture_beyond_a_drug(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Indication: wrist fracture 2021. Bone protection: nil.", ("untreated", None)),
        ("Bone protection: risedronate 35 mg weekly", ("on_therapy", "risedronate 35 mg weekly")),
        # look-alike: hip protectors are no drug
        ("Hip protection: none", (None, None)),
    ],
)
def test_a_bone_protection_label(text: str, expected: tuple) -> None:
    assert _therapy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label and its bare answer parted by a dash
        ("Fracture history - nil", (False, False, False)),
        ("Vertebral fracture \u2013 No.", (None, False, None)),
        # look-alikes: a dash before a value that is no bare answer
        ("Hip fracture - 2019", (True, None, None)),
        ("Parent fractured hip - yes", (None, None, None)),
    ],
)
def test_a_label_and_its_answer_parted_by_a_dash(text: str, expected: tuple) -> None:
    assert _fractures(text) == expected
