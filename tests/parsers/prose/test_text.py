"""parsers.prose.text: preparation, sections, sentences, phrase lists and labelled values."""

from __future__ import annotations

from parsers.kit.text import key
from parsers.prose.text import (
    MAX_LINE,
    has,
    labelled,
    labelled_date,
    paragraphs,
    prepare,
    sentences,
)


def test_prepare_normalises_minus_units_and_line_endings() -> None:
    lines = prepare("T-score \u22122.0\r\nBMD 0.8 g/cm\u00b2\rZ \u20131.0\f")
    assert lines[:3] == ["T-score -2.0", "BMD 0.8 g/cm2", "Z -1.0"]


def test_prepare_bounds_line_length() -> None:
    lines = prepare("word " * 5000)
    assert len(lines) > 1 and all(len(line) <= MAX_LINE for line in lines)
    assert "".join(lines).replace(" ", "") == "word" * 5000


def test_sections_with_and_without_colon() -> None:
    paras = paragraphs(prepare(
        "EXAM: DXA\nDATE OF STUDY: 03/14/2024\nCLINICAL DATA: 68 years old\nCOMPARISON: none\n"
        "TECHNIQUE: Hologic\nRESULTS:\nL1-L4 T-score -1.0\nIMPRESSION\nOsteopenia.\n"
        "RECOMMENDATIONS: Calcium.\nFracture history: none"))
    assert [(p.section, p.lines[0]) for p in paras] == [
        ("exam", "DXA"), ("date", "03/14/2024"), ("history", "68 years old"),
        ("comparison", "none"), ("technique", "Hologic"), ("findings", "L1-L4 T-score -1.0"),
        ("impression", "Osteopenia."), ("recommendations", "Calcium."),
    ]
    assert paras[-1].lines == ["Calcium.", "Fracture history: none"]


def test_wrapped_lines_are_joined_and_blank_lines_split() -> None:
    paras = paragraphs(prepare("The BMD of the left\nfemoral neck is low.\n\nNext paragraph."))
    assert [p.lines for p in paras] == [["The BMD of the left femoral neck is low."],
                                        ["Next paragraph."]]


def test_sentences() -> None:
    assert sentences("LUMBAR SPINE (L1-L4) = 1.022 g/cm2. T-score = -1.3; Z 0.1\nNext") == [
        "LUMBAR SPINE (L1-L4) = 1.022 g/cm2.", "T-score = -1.3;", "Z 0.1", "Next"]


def test_phrases_are_whole_words_with_wildcards() -> None:
    assert has(["fracture*"], key("Fractured wrist"))
    assert not has(["fracture"], key("Fractured wrist"))
    assert not has(["hip"], key("hipster"))
    assert has(["vitamin d"], key("Vitamin-D 1000 IU"))


def test_labelled_values_and_dates() -> None:
    text = "Patient ID: A123   DOB: 02/01/1956\nBirth date 03/04/1950\nDate: 03/14/2024"
    assert labelled(text, "patient_id") == ["A123   DOB: 02/01/1956"]
    assert labelled_date(text, "birth_date", None) == "1956-02-01"
    assert labelled_date("DOB | 17/06/1974", "birth_date", True) == "1974-06-17"
    # a bare "Date:" is read apart from the scan's own labels (a letter's is the day written)
    assert labelled_date(text, "scan_date", None) is None
    assert labelled_date(text, "bare_date", None) == "2024-03-14"
    assert labelled_date("Scan date: 03/14/2024", "scan_date", None) == "2024-03-14"
    assert labelled_date("Birth date: 03/04/1950", "scan_date", None) is None
    assert labelled_date("Birth date: 03/04/1950", "bare_date", None) is None
