"""Menopausal status and sex as a second independent writer words them: a menopausal-status
label's own answer (never its own word), a queried status, months without a period, "PMW", an
age at menopause printed on a GE header, a one-word answer under a clinical-notes label, a sex
label inside a header row, "75y M". Each with the look-alikes that must give null."""

from __future__ import annotations

import pytest

from parsers.history import read_history, read_text_history, statements
from parsers.pdf.facts import sex_of


def _history(text: str, scan_date: str | None = "2025-06-01"):  # type: ignore[no-untyped-def]
    history = read_text_history(text, scan_date=scan_date)
    assert history == read_history(statements(text), scan_date=scan_date)
    return history


# --- menopausal status ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "status"),
    [("Comment: Menopausal status: Peri. No history of hip fracture.", "peri"),
     ("Gyn history: Menopausal status: Peri", "peri"),
     ("HISTORY: 52 y/o lady with menopausal status: Pre; on alendronate.", "pre"),
     ("Notes: menopause status post", "post"),
     ("Menopausal status: Postmenopausal", "post"),
     ("Gyn history: No period for 18 months", "post"),
     ("Q3. Menopause: no periods for 2 years", "post"),
     ("Amenorrhoea for 14 months.", "post"),
     ("Clinical details:\n- PMW.\n- On alendronate.", "post"),
     ("Clinical details / risk factors:\n- Post-menopausal.\n- Evenity.", "post"),
     ("Clinical details / risk factors:\n- Pre-menopausal, regular cycles.", "pre"),
     ("MP age: 47 Analyzed: 19/02/2025", "post"),
     ("Menopause age: 51", "post"),
     ("History: menopausal status s/p BSO 2015", "post"),  # another answer, read as words are
     ("No menses for 2 years.", "post"),
     ("Clinical details: She went through the menopause aged 50.", "post"),
     ("Has been through menopause; no fractures.", "post"),
     ("History: currently going through the menopause, hot flushes.", "peri")],
)
def test_stated_menopausal_status(text: str, status: str) -> None:
    assert _history(text).menopausal_status == status


@pytest.mark.parametrize(
    "text",
    ["HISTORY: 71-year-old man with menopausal status: N/A; on denosumab.",
     "Menopausal status: not applicable",
     "Notes: menopausal status unknown.",
     "Menopausal status: not recorded",
     "Q3. Menopause: ?perimenopausal",
     "History: No previous fractures. ?perimenopausal.",
     "Menopausal status: ?perimenopausal",
     "Notes: query post-menopausal",
     "Notes: possibly postmenopausal",
     "No period for 3 months.",
     "No menses for 3 months.",
     "Notes: menopausal status: ?post",
     "Mother: no period for 18 months",
     "MP age: -",
     "MP age:",
     "FRAX risk factors: postmenopausal",
     "Her mother went through the menopause aged 40.",
     "If she goes through menopause early, repeat DXA."],
)
def test_look_alikes_of_a_status_state_nothing(text: str) -> None:
    assert _history(text).menopausal_status is None


# --- sex -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "sex"),
    [("Clinical notes: Female. Postmenopausal.", "F"),
     ("Clinical notes: Male. Tx: romosozumab since 2023.", "M"),
     ("I saw this 75y M in the Fracture Liaison Service today.", "M"),
     ("HISTORY: 71y M with assess fracture risk;", "M"),
     ("Please could you arrange a DEXA for this 44y F. Perimenopausal.", "F"),
     ("CLINICAL HISTORY: 51 yo F with an ankle fracture in an RTA.", "F"),
     ("Name: Inchbald Sex: F Height: 165 cm", "F"),
     ("Referral for this Gentleman aged 70 with no previous fractures.", "M"),
     ("Age: 58 Sex: [X] F [ ] M", "F"),
     ("Weight: 70 kg Gender: [ ] Female [x] Male", "M"),
     ("Thank you for asking me to see this lady about her bone health.", "F"),
     ("Clinical notes: Bone density check in this gentleman on long-term steroids.", "M"),
     ("I reviewed this woman in the osteoporosis clinic today.", "F")],
)
def test_stated_sex(text: str, sex: str) -> None:
    assert _history(text).sex == sex


@pytest.mark.parametrize(
    "text",
    ["Plan: 10y F/U DXA.",
     "Mother 80y F had a hip fracture.",
     "FHx: 80y F",
     "Name: Inchbald Sex: M / F Height: 165 cm",
     "Gender: M / F Scan date: 29/05/2025",
     "Referred by the Women's Health Clinic.",
     "Reference population: Caucasian Women.",
     "Clinical notes: Manual review requested.",
     "Age: Sex: F M",
     "Sex: Female Male",
     "Age: 58 Sex: [ ] F [ ] M",
     "Seen in this clinic before.",
     "This Mrs Example is on the waiting list.",
     "Family history: this man's father had a hip fracture.",
     "Screening is offered to women like this in the practice."],
)
def test_look_alikes_of_sex_state_nothing(text: str) -> None:
    assert _history(text).sex is None


@pytest.mark.parametrize(("cell", "sex"), [("Female", "F"), ("M", "M"), ("M / F", None),
                                            ("Male/Female", None), ("F/M", None), ("", None),
                                            ("F M", None), ("Male  Female", None),
                                            ("F (postmenopausal)", "F")])
def test_a_printout_sex_cell_of_blank_choices_states_none(cell: str, sex: str | None) -> None:
    assert sex_of(cell) == sex
