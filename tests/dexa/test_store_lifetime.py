"""Every command that opens the results store disposes of it, also when its work fails or the
database is busy (``store.opened_store``): a long-lived ``dexa serve`` host or a test session
never collects open connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa import exports, store
from dexa.cli import main


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[list]:
    """The engines ``open_store`` hands out, each with the number of times it was disposed."""
    opened: list[list] = []
    real = store.open_store

    def spy(url: str | None = None):
        engine = real(url)
        record = [engine, 0]
        dispose = engine.dispose

        def counted(*args, **kwargs) -> None:
            record[1] += 1
            dispose(*args, **kwargs)

        monkeypatch.setattr(engine, "dispose", counted)
        opened.append(record)
        return engine

    monkeypatch.setattr(store, "open_store", spy)
    return opened


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dexa.sqlite'}"


def test_opened_store_disposes_when_the_block_fails(tmp_path: Path, engines) -> None:
    with pytest.raises(RuntimeError), store.opened_store(_db(tmp_path)):
        raise RuntimeError("the work failed")
    assert [count for _, count in engines] == [1]


@pytest.mark.parametrize(("argv", "work"), [
    (["export", "fhir", "OUT"], "export_fhir"),
    (["patient", "P1"], "patient_html"),
])
def test_export_and_patient_dispose_when_their_work_fails(
        tmp_path: Path, engines, monkeypatch: pytest.MonkeyPatch, capsys, argv: list[str],
        work: str) -> None:
    def fail(*_args, **_kwargs):
        raise RuntimeError("the export failed")

    monkeypatch.setattr(exports, work, fail)
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    assert main([*argv, "--db", _db(tmp_path)]) == 1
    assert "the export failed" in capsys.readouterr().err
    assert [count for _, count in engines] == [1]


def test_export_and_patient_dispose_after_their_work(tmp_path: Path, engines, capsys) -> None:
    assert main(["export", "fhir", str(tmp_path / "out"), "--db", _db(tmp_path)]) == 0
    assert main(["patient", "P1", "--db", _db(tmp_path)]) == 2  # no visit of that patient
    assert [count for _, count in engines] == [1, 1]


def test_replan_disposes_when_the_database_is_busy(tmp_path: Path, engines, capsys) -> None:
    url = _db(tmp_path)
    holder_engine = store.connect(url)
    holder = store.WriterLock(holder_engine, "run")
    assert holder.try_acquire() is None
    try:
        assert main(["replan", "--db", url]) == 1
    finally:
        holder.release()
        holder_engine.dispose()
    assert "another dexa run is writing" in capsys.readouterr().err
    assert [count for _, count in engines] == [1], "the busy database's engine was disposed"
