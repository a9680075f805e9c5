"""`dexa parse` and `dexa plan` as CONTRACT.md specifies them: exit codes, documents, JSON
Lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dexa.cli import main
from tests.conftest import assert_valid_plan, assert_valid_report
from tests.synth.cases import motivating_case


@pytest.fixture
def motivating_files(tmp_path: Path) -> dict[str, Path]:
    from tests.synth.pdf import ge_pdf
    from tests.synth.sr import ge_enhanced_sr

    sr = tmp_path / "motivating.dcm"
    sr.write_bytes(ge_enhanced_sr(motivating_case()))
    pdf = tmp_path / "motivating.pdf"
    pdf.write_bytes(ge_pdf(motivating_case()))
    no_frax = tmp_path / "no-frax.dcm"
    no_frax.write_bytes(ge_enhanced_sr(motivating_case(with_frax=False)))
    return {"sr": sr, "pdf": pdf, "no_frax": no_frax}


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    from tests.synth.pdf import non_report_pdf
    from tests.synth.sr import ge_enhanced_sr

    data = ge_enhanced_sr(motivating_case())
    files = {"empty": b"", "corrupt": data[: len(data) // 3], "not_dxa": non_report_pdf()}
    paths = {}
    for code, content in files.items():
        paths[code] = tmp_path / f"{code}.bin"
        paths[code].write_bytes(content)
    return paths


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("kind", ["sr", "pdf"])
def test_plan_of_the_motivating_case(capsys, motivating_files, kind: str) -> None:
    code, out = _run(capsys, "plan", str(motivating_files[kind]))
    assert code == 0
    plan = json.loads(out)
    assert_valid_plan(plan)
    assert plan["classification"] == "low_bone_mass"
    assert plan["lowest"] == {"region": "femoral_neck", "side": "left", "score": -2.0}
    assert plan["pharmacotherapy"] == "no"
    assert plan["repeat_dxa_months"] == 12
    codes = [r["code"] for r in plan["recommendations"]]
    assert {"NP-1", "NP-3", "NP-4", "NP-5"} <= set(codes)


def test_plan_without_frax_needs_frax(capsys, motivating_files) -> None:
    code, out = _run(capsys, "plan", str(motivating_files["no_frax"]))
    assert code == 0
    assert json.loads(out)["pharmacotherapy"] == "needs-frax"


@pytest.mark.parametrize("code_name", ["empty", "corrupt", "not_dxa"])
def test_parse_rejects_bad_input_with_its_error_document(capsys, bad_files, code_name) -> None:
    code, out = _run(capsys, "parse", str(bad_files[code_name]))
    assert code == 3
    error = json.loads(out)["error"]
    assert error["code"] == code_name and error["path"] == str(bad_files[code_name])
    assert error["message"]


def test_many_files_give_json_lines_in_input_order(capsys, motivating_files, bad_files) -> None:
    paths = [motivating_files["sr"], bad_files["empty"], motivating_files["pdf"]]
    code, out = _run(capsys, "parse", *map(str, paths))
    assert code == 3
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 3 and lines[1]["error"]["code"] == "empty"
    for doc in (lines[0], lines[2]):
        assert_valid_report(doc)
        assert doc["patient"]["id"] == "SYN0001"
    assert lines[0]["source"]["kind"] == "dicom-sr" and lines[2]["source"]["kind"] == "pdf"
    code, out = _run(capsys, "plan", *map(str, paths))
    assert code == 3
    plans = [json.loads(line) for line in out.splitlines()]
    assert plans[1]["error"]["code"] == "empty"
    assert plans[0]["classification"] == plans[2]["classification"] == "low_bone_mass"


def test_plan_markdown_is_readable(capsys, motivating_files) -> None:
    code, out = _run(capsys, "plan", "--format", "markdown", str(motivating_files["sr"]))
    assert code == 0
    assert "femoral neck" in out.lower() and "decision support" in out.lower()


def test_usage_errors_exit_2(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse"])
    assert exit_info.value.code == 2
    assert main(["parse", str(tmp_path / "missing.dcm")]) == 2



@pytest.mark.parametrize("command", [["plan", "x.dcm"], ["run", "."], ["backfill", "."],
                                     ["serve", "."], ["replan"]])
def test_an_unknown_rule_set_is_a_usage_error_before_anything_runs(capsys, command) -> None:
    """`dexa run --rule-set nope` once failed inside the flow, with Prefect's traceback."""
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--rule-set", "no-such-rules"])
    assert exit_info.value.code == 2
    assert "unknown rule set 'no-such-rules'" in capsys.readouterr().err


def test_no_traceback_and_no_prefect_for_parse(bad_files, motivating_files) -> None:
    """A real subprocess, as a user runs it: fast, no traceback, no Prefect server."""
    files = [*map(str, bad_files.values()), str(motivating_files["sr"])]
    proc = subprocess.run([sys.executable, "-m", "dexa.cli", "parse", *files],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "prefect" not in proc.stderr.lower()
    assert len(proc.stdout.splitlines()) == len(files)


def test_prefect_telemetry_is_off_by_default() -> None:
    """Hospital networks have no internet: importing the flows turns Prefect's analytics off."""
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_SERVER_ANALYTICS_ENABLED", "DO_NOT_TRACK")}
    code = ("import flows; from prefect.settings import get_current_settings as s; "
            "print(s().server.analytics_enabled)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.stdout.strip() == "False", proc.stderr[-500:]


def test_site_lsc_profiles_reach_the_plan(capsys, motivating_files, monkeypatch) -> None:
    """--lsc-profiles/--facility (or DEXA_LSC_PROFILES/DEXA_FACILITY, which the flows read)
    choose the facility's LSC over the SER-6 fallback; the plan names the profile."""
    monkeypatch.setenv("DEXA_LSC_PROFILES", "")  # restored (unset) after the test
    monkeypatch.setenv("DEXA_FACILITY", "")
    profiles = Path(__file__).parents[2] / "planner" / "lsc_profiles.example.json"
    code, out = _run(capsys, "plan", "--lsc-profiles", str(profiles), "--facility",
                     "Example Clinic", str(motivating_files["sr"]))
    assert code == 0
    plan = json.loads(out)
    assert plan["lsc_profile"] == "example-clinic-lunar-idxa-2024"
    sources = {t["region"]: t["lsc_source"] for t in plan["trend"]}
    assert sources == {"lumbar_spine": "report",
                       "femoral_neck": "profile:example-clinic-lunar-idxa-2024",
                       "total_hip": "profile:example-clinic-lunar-idxa-2024"}
    assert "LSC_FALLBACK" not in plan["flags"]
    from dexa.policy import plan_options

    assert plan_options()["facility"] == "Example Clinic"  # what the flows' batches use


def test_temporary_server_may_take_its_first_start_time() -> None:
    """On a new machine the temporary server first builds its database: 25-35 s on 2 cores,
    beyond Prefect's 20 s default, which made the README's first command fail there."""
    import os

    env = {k: v for k, v in os.environ.items()
           if k != "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"}
    code = ("import flows; from prefect.settings import get_current_settings as s; "
            "print(s().server.ephemeral.startup_timeout_seconds)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=env)
    assert int(proc.stdout.strip()) >= 120, proc.stderr[-500:]
