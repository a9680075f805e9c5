"""A file the file system refuses to open is a usage error for ``parse`` and ``plan`` (exit 2,
one line on stderr, nothing on stdout), as a missing file is: CONTRACT's error documents carry
only content codes, and ``unreadable`` is a ledger reason of ``run`` (tests/flows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa.cli import main
from dexa.contract import ERROR_CODES, Unreadable
from tests.synth.cases import motivating_case
from tests.synth.sr import ge_enhanced_sr


@pytest.fixture
def two_reports(tmp_path: Path) -> tuple[Path, Path]:
    good, refused = tmp_path / "good.dcm", tmp_path / "refused.dcm"
    good.write_bytes(ge_enhanced_sr(motivating_case()))
    refused.write_bytes(ge_enhanced_sr(motivating_case()))
    return good, refused


def test_unreadable_is_no_error_document_code() -> None:
    assert Unreadable.code not in ERROR_CODES


@pytest.mark.parametrize("command", [["parse"], ["plan"], ["plan", "--format", "html"],
                                     ["plan", "--format", "markdown"]])
def test_a_file_that_cannot_be_opened_is_a_usage_error(
        capsys, monkeypatch: pytest.MonkeyPatch, two_reports, command: list[str]) -> None:
    good, refused = two_reports
    real_open = Path.open

    def refusing_open(self: Path, *args, **kwargs):
        if self.name == refused.name:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    assert main([*command, str(good), str(refused)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == f"dexa: error: cannot read {refused}: Permission denied"


@pytest.mark.parametrize("command", ["parse", "plan"])
def test_a_file_refused_while_it_is_read_is_a_usage_error_too(
        capsys, monkeypatch: pytest.MonkeyPatch, two_reports, command: str) -> None:
    """Opened at the check, refused a moment later (a network share that went away)."""
    import parsers.files

    good, refused = two_reports
    real_read = parsers.files.read_input

    def flaky_read(path: Path, limit: int | None = None) -> bytes:
        if path.name == refused.name:
            raise Unreadable("cannot read the file (Input/output error)")
        return real_read(path, limit)

    monkeypatch.setattr(parsers.files, "read_input", flaky_read)
    assert main([command, str(good), str(refused)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and '"unreadable"' not in err
    assert err.strip() == f"dexa: error: {refused}: cannot read the file (Input/output error)"


def test_a_readable_file_still_parses(capsys, two_reports) -> None:
    good, _ = two_reports
    assert main(["parse", str(good)]) == 0
    assert '"measurements"' in capsys.readouterr().out
