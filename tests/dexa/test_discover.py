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
