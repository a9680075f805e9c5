"""HL7 v2 result messages: text results read as report lines, LOINC-coded numeric results as
measurements where the text gives none, and what must not be read."""

from __future__ import annotations

import pytest

from dexa.contract import ReportRejected
from parsers import parse_bytes
from parsers.hl7.message import Separators, coded_values, parse, report_text, unescape
from tests.conftest import assert_valid_report
from tests.parsers.prose.reading import rows_of
from tests.synth.fhir import hl7_message

SPINE_TEXT = ("OBX|1|TX|38269-7^DXA report^LN||BONE DENSITOMETRY (DXA)\\.br\\"
              "Lumbar spine L1-L4: BMD 0.884 g/cm2, T-score -2.7, Z-score -1.2.~"
              "Impression: osteoporosis||||||F")
CODED = ["OBX|2|NM|24966-4^DXA Lumbar spine BMD^LN||0.884|g/cm2^^UCUM|||||F",
         "OBX|3|NM|38267-1^DXA Lumbar spine T-score^LN||-2.7|{T-score}^^UCUM|||||F",
         "OBX|4|NM|80948-3^DXA Femur-L T-score^LN||-1.8||||||F"]
CODED_ROWS = [("lumbar_spine", None, None, 0.884, -2.7, None),  # no levels: LOINC names none
              ("femoral_neck", "left", None, None, -1.8, None)]


def read(data: bytes) -> dict:
    doc = parse_bytes(data, "in/result.hl7").to_dict()
    assert_valid_report(doc)
    return doc


def rejection(data: bytes) -> str:
    with pytest.raises(ReportRejected) as rejected:
        parse_bytes(data, "in/result.hl7")
    return rejected.value.code


def test_text_results_are_report_lines() -> None:
    doc = read(hl7_message(SPINE_TEXT))
    assert doc["source"]["kind"] == "text"
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.884, -2.7, -1.2)]
    assert doc["study"]["printed_category"] == "osteoporosis"
    assert (doc["patient"]["sex"], doc["patient"]["birth_date"]) == ("F", "1951-09-21")
    assert doc["study"]["scan_date"] == "2024-10-23"
    assert doc["patient"]["age_years"] == 73.1


def test_one_obx_per_line_of_formatted_text() -> None:
    lines = ["BONE DENSITY REPORT", "Left femoral neck: BMD 0.640 g/cm2, T-score -2.3.",
             "Total left hip: BMD 0.772 g/cm2\\T\\T-score -1.6."]
    data = hl7_message(*(f"OBX|{i}|FT|^Report text||{line}||||||F"
                         for i, line in enumerate(lines, 1)))
    assert rows_of(read(data)) == [("femoral_neck", "left", None, 0.64, -2.3, None),
                                   ("total_hip", "left", None, 0.772, -1.6, None)]


def test_coded_results_are_the_measurements_where_the_text_gives_none() -> None:
    doc = read(hl7_message("OBX|1|TX|^Comment||Bone density study, see values.||||||F",
                           *CODED))
    assert rows_of(doc) == CODED_ROWS


def test_the_text_wins_over_the_coded_results() -> None:
    other = CODED[0].replace("0.884", "1.111")
    assert rows_of(read(hl7_message(SPINE_TEXT, other, CODED[1]))) == [
        ("lumbar_spine", None, "L1-L4", 0.884, -2.7, -1.2)]


def test_structured_numeric_values_and_alternate_loinc_codes_are_read() -> None:
    doc = read(hl7_message("OBX|1|SN|L-TSC^Hip T^99LOC^38264-8^DXA Hip T-score^LN||=^-1.3||||||F",
                           "OBX|2|SN|38261-4^DXA Hip BMD^LN||<^0.5|g/cm2|||||F"))
    assert rows_of(doc) == [("total_hip", None, None, None, -1.3, None)]


def test_results_of_other_tests_and_wrong_results_are_not_read() -> None:
    vitamin_d = "OBX|5|NM|1989-3^Vitamin D 25-OH^LN||62|ng/mL|||||F"
    corrected = CODED[0].replace("|F", "|W")
    doc = read(hl7_message(vitamin_d, corrected.replace("0.884", "2.5"), *CODED))
    assert rows_of(doc) == CODED_ROWS
    assert rejection(hl7_message(vitamin_d, pid="PID|1", obr="OBR|1")) == "not_dxa"


def test_a_dxa_code_of_a_local_system_is_no_coded_value() -> None:
    local = "OBX|1|NM|24966-4^Site A^99LOCAL||0.9|g/cm2|||||F"
    message = parse(hl7_message(local).decode())
    assert message is not None
    assert list(coded_values(message)) == []
    assert "Site A: 0.9 g/cm2" in report_text(message).splitlines()


def test_coded_values_fill_what_the_text_leaves_null() -> None:
    text = ("OBX|1|TX|^||DXA: left femoral neck T-score -1.8.~"
            "Lumbar spine L1-L4 T-score -2.7.||||||F")
    doc = read(hl7_message(text, *CODED))
    assert rows_of(doc) == [("femoral_neck", "left", None, None, -1.8, None),
                            ("lumbar_spine", None, "L1-L4", 0.884, -2.7, None)]


def test_other_results_are_labelled_lines_and_short_answers_follow_their_question() -> None:
    message = parse(hl7_message(
        "OBX|1|NM|30525-0^Age^LN||72|a^year^UCUM|||||F",
        "OBX|2|CWE|^Category||LBM^Low bone mass^L||||||F",
        "OBX|3|ST|^Previous fragility fracture||No||||||F",
        "OBX|4|ST|^Report||Bone density is reduced at the hip.||||||F",
        "OBX|5|ED|^PDF||^application^pdf^Base64^JVBERi0=||||||F").decode())
    assert message is not None
    assert report_text(message).splitlines()[3:] == [
        "Age: 72 a", "Category: Low bone mass", "Previous fragility fracture: No",
        "Bone density is reduced at the hip."]


def test_a_dxa_message_without_numbers_is_no_measurements() -> None:
    assert rejection(hl7_message("OBX|1|TX|^||DXA bone density: BMD pending.||||||F")) == (
        "no_measurements")


def test_a_message_with_its_own_separators_is_read() -> None:
    data = hl7_message(SPINE_TEXT).replace(b"|", b"#")
    assert rows_of(read(data))[0][3:5] == (0.884, -2.7)


def test_a_text_mentioning_a_segment_is_not_a_message() -> None:
    text = b"Note: the MSH|... header was missing.\nLumbar spine BMD 0.9 g/cm2, T-score -1.1.\n"
    assert read(text)["measurements"]


def test_escapes_are_undone() -> None:
    separators = Separators()
    assert unescape(r"a\F\b\S\c\T\d\R\e\E\f", separators) == "a|b^c&d~e\\f"
    assert unescape(r"one\.br\two\.sp\three", separators) == "one\ntwo\nthree"
    assert unescape(r"\H\bold\N\ \X4D42\ \.in+4\kept \Q\ ", separators) == "bold MB kept \\Q\\ "


def test_repetitions_are_lines_and_coded_dxa_results_leave_the_text() -> None:
    message = parse(hl7_message("OBX|1|ST|^||first~second\\R\\still second||||||F",
                                CODED[0], "NTE|1||a note\\.br\\on two lines").decode())
    assert message is not None
    assert report_text(message).splitlines()[3:] == [
        "first", "second~still second", "a note", "on two lines"]


@pytest.mark.parametrize(
    ("text", "site"),
    [("DXA Radius 33% right BMD", ("radius_33", "right", None)),
     ("DXA Lumbar spine [L2-L4] BMD", ("lumbar_spine", None, "L2-L4")),
     # the look-alike: a text that names no forearm region leaves the code's whole forearm
     ("DXA Forearm BMD", ("forearm_total", None, None))],
)
def test_the_codes_text_says_what_the_code_leaves_unsaid(text: str, site: tuple) -> None:
    code = "24966-4" if "spine" in text else "24890-6"
    doc = read(hl7_message(f"OBX|1|NM|{code}^{text}^LN||0.700|g/cm2^^UCUM|||||F"))
    assert rows_of(doc) == [(*site, 0.7, None, None)]


def test_a_message_printed_to_a_pdf_is_read_as_the_message() -> None:
    """A GP system's export printed to PDF: the PDF's text is the message, its coded and
    uncoded results read as a message file's are (``source.kind`` stays ``pdf``)."""
    from tests.synth.pdf import lines_pdf

    segments = hl7_message("OBX|1|NM|BMD^SPINE L1-L4 BMD||1.065|g/cm2|||||F",
                           "OBX|2|NM|TSCORE^SPINE L1-L4 T-score||-1.0||||||F",
                           *CODED[2:]).decode().strip().split("\r")
    doc = parse_bytes(lines_pdf(segments), "in/export.pdf").to_dict()
    assert_valid_report(doc)
    assert doc["source"]["kind"] == "pdf"
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.065, -1.0, None),
                            ("femoral_neck", "left", None, None, -1.8, None)]
    assert (doc["patient"]["sex"], doc["study"]["scan_date"]) == ("F", "2024-10-23")
