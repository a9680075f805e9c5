"""parsers.kit.vocabulary: every file loads against its schema; a broken file names itself,
its entry and its key."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from parsers.kit.vocabulary import SCHEMAS, VocabularyError, check, load


def _raw(name: str) -> dict:
    folder = resources.files("parsers.vocabulary")
    return json.loads(folder.joinpath(f"{name}.json").read_text("utf-8"))


def test_every_vocabulary_file_has_a_schema_and_loads() -> None:
    folder = resources.files("parsers.vocabulary")
    files = {p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")}
    assert files == set(SCHEMAS)
    for name in files:
        data = load(name)
        assert "_comment" not in data


def test_loaded_lists_are_read_only() -> None:
    sites = load("sites")
    assert isinstance(sites["not_a_measurement"], tuple)
    with pytest.raises(AttributeError):
        sites["not_a_measurement"].append("x")  # type: ignore[attr-defined]


def test_unknown_key_is_rejected_with_file_entry_and_key() -> None:
    data = _raw("sites")
    data["regions"][3]["phrase"] = ["typo"]
    with pytest.raises(VocabularyError, match=r"sites\.json\.regions\[3\]: unknown key 'phrase'"):
        check("sites", data)


def test_unknown_top_level_key_is_rejected() -> None:
    data = _raw("history")
    data["fracture_word"] = ["fracture"]
    with pytest.raises(VocabularyError, match=r"history\.json: unknown key 'fracture_word'"):
        check("history", data)


def test_missing_key_is_rejected() -> None:
    data = _raw("fields")
    del data["fields"][0]["percent"]
    with pytest.raises(VocabularyError, match=r"fields\.json\.fields\[0\]: missing key 'percent'"):
        check("fields", data)


@pytest.mark.parametrize(("name", "path", "bad", "message"), [
    ("sites", ("regions", 0, "region"), "femur_neck", r"sites\.json\.regions\[0\]\.region: "
     r"'femur_neck' is not one of"),
    ("sites", ("regions", 0, "phrases", 0), "Femoral Neck",
     r"sites\.json\.regions\[0\]\.phrases\[0\]: 'Femoral Neck' is not in matching form"),
    ("sites", ("regions", 0, "phrases"), "femoral neck",
     r"sites\.json\.regions\[0\]\.phrases: expected a list, found str"),
    ("fields", ("fields", 1, "percent"), "no", r"fields\.json\.fields\[1\]\.percent: 'no' is "
     r"not true or false"),
    ("sr_codes", ("loinc", "38267-1", 2), "tscore", r"sr_codes\.json\.loinc\.38267-1\[2\]"),
    ("dates", ("months", 0, "month"), 13, r"dates\.json\.months\[0\]\.month: 13"),
    ("history", ("negations",), [], r"history\.json\.negations: expected at least 1"),
])
def test_malformed_entries_are_rejected_with_their_path(name: str, path: tuple, bad: object,
                                                         message: str) -> None:
    data = _raw(name)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    with pytest.raises(VocabularyError, match=message):
        check(name, data)


def test_wildcards_and_anchors_only_where_declared() -> None:
    data = _raw("sites")
    data["not_a_measurement"].append("diff*")
    with pytest.raises(VocabularyError, match="not in matching form"):
        check("sites", data)
    history = _raw("history")
    history["drugs"].append("alendron*")
    check("history", history)
    labels = _raw("report_labels")
    labels["birth_date"].append("^born")
    check("report_labels", labels)


def test_a_file_without_a_schema_is_rejected() -> None:
    with pytest.raises(VocabularyError, match=r"nothing\.json: no schema"):
        check("nothing", {})
