"""A run's new files in batches: every file once, in order, overlapping parsing with
validation from 2,000 files."""

from __future__ import annotations

import pytest

from dexa import discover


@pytest.mark.parametrize(("files", "batch_size", "sizes"), [
    (0, 5000, []),
    (10, 5000, [10]),
    (1999, 5000, [1999]),
    (2000, 5000, [1000, 1000]),  # two batches overlap parsing with validation
    (5000, 5000, [2500, 2500]),
    (12001, 5000, [4001, 4001, 3999]),
    (10, 3, [3, 3, 3, 1]),
])
def test_batches_cover_every_file_in_order(files: int, batch_size: int,
                                           sizes: list[int]) -> None:
    items = [discover.InputFile(f"/in/{n}", str(n), 1, 0) for n in range(files)]
    batches = discover.split_batches(items, batch_size)
    assert [len(b) for b in batches] == sizes
    assert [f for b in batches for f in b] == items


def test_entries_that_cannot_be_read_are_reported_not_raised(tmp_path, monkeypatch) -> None:
    """A symlink loop once aborted the whole run with a traceback; an unreadable folder was
    skipped without a word."""
    import os

    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.dcm").write_bytes(b"x")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.dcm").write_bytes(b"y")
    os.symlink("loop", tmp_path / "loop")
    os.symlink("missing.dcm", tmp_path / "ok" / "dangling.dcm")
    os.symlink(tmp_path / "ok", tmp_path / "folder-link")  # a linked folder: not followed
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):  # root reads any folder: refuse it here
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover.discover(tmp_path)
    assert [f.rel_path for f in found.files] == ["ok/a.dcm"]
    assert [(u.rel_path, u.detail) for u in found.unreadable] == [
        ("locked/", "permission denied"), ("loop", "symbolic link loop"),
        ("ok/dangling.dcm", "symbolic link to a missing file")]


def test_the_results_database_and_dexa_outputs_are_never_inputs(tmp_path) -> None:
    from dexa import store

    (tmp_path / "report.dcm").write_bytes(b"x")
    engine = store.connect(f"sqlite:///{tmp_path / 'dexa.sqlite'}")  # creates -wal and -shm
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        (tmp_path / "gx_data_docs").mkdir()
        (tmp_path / "gx_data_docs" / discover.OUTPUT_MARKER).write_text("")
        (tmp_path / "gx_data_docs" / "index.html").write_text("<html/>")
        found = discover.discover(tmp_path, exclude=store.database_files(engine))
    engine.dispose()
    assert [f.rel_path for f in found.files] == ["report.dcm"]


def test_an_unreadable_stand_in_hash_is_no_content_hash() -> None:
    key = discover.unreadable_key("a/b.dcm")
    assert len(key) == 64 and not all(c in "0123456789abcdef" for c in key)
    assert key != discover.unreadable_key("a/c.dcm")
