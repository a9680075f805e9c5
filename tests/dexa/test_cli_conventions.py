"""Command-line conventions: --version, -q/-v before or after the command, choices, formats
and exit statuses in --help, plain text (no reStructuredText markup), serve needs a server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dexa import __version__
from dexa.cli import main
from dexa.cli.arguments import build_parser, parse_arguments

COMMANDS = ["parse", "plan", "run", "backfill", "reread", "dq", "replan", "serve"]


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dexa {__version__}"


@pytest.mark.parametrize("flag", ["-q", "--quiet", "-v", "--verbose"])
def test_quiet_and_verbose_before_or_after_the_command(flag: str) -> None:
    parser = build_parser("dexa")
    attribute = "quiet" if flag in ("-q", "--quiet") else "verbose"
    for argv in ([flag, "dq"], ["dq", flag]):
        assert getattr(parse_arguments(parser, argv), attribute) is True, argv
    assert parse_arguments(parser, ["dq"]).quiet is False


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_gives_exit_statuses_in_plain_text(capsys, command: str) -> None:
    text = _help(capsys, command)
    assert "exit status: " in text and "2 usage error" in text
    assert "-q, --quiet" in text and "-v, --verbose" in text
    assert not re.search(r"``|:func:|:class:|\.\. ", text), "no reStructuredText markup"
    assert "shared/" not in text and "CONTRACT.md" not in text, "nothing outside the clone"


def test_help_names_choices_and_formats(capsys) -> None:
    assert "YYYY-MM-DD" in _help(capsys, "backfill")
    plan = _help(capsys, "plan")
    assert "bhof-2022" in plan and "aace-2020" in plan and "markdown" in plan
    top = _help(capsys)
    assert not re.search(r"``", top) and "reread" in top


def test_serve_refuses_without_a_prefect_server(capsys, tmp_path: Path, monkeypatch) -> None:
    """Without PREFECT_API_URL the schedule would live in a temporary server that ends with
    the process: nothing would ever run."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", str(tmp_path)]) == 1
    assert "needs a running Prefect server" in capsys.readouterr().err


def test_quiet_prints_no_summary_for_replan(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dexa.sqlite'}"
    assert main(["replan", "--db", url, "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["-q", "replan", "--db", url]) == 0 and capsys.readouterr().out == ""
    assert main(["replan", "--db", url]) == 0
    assert "plans written" in capsys.readouterr().out
