"""`dexa replan`: plans recomputed from stored report documents, without the input files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from dexa.cli import main
from tests.inputs import write_export_folder


def _plans(url: str) -> dict[tuple[str, str], dict]:
    engine = store.connect(url)
    with engine.connect() as conn:
        rows = conn.execute(select(store.plan_recommendations)).all()
    engine.dispose()
    return {(r.patient_id, r.rule_set): r.plan_json for r in rows}


@pytest.mark.usefixtures("prefect_harness")
def test_replan_adds_a_rule_set_and_keeps_the_old_rows(tmp_path: Path, capsys) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "exports"
    write_export_folder(root)
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    ingest_flow(str(root), url, workers=1)
    before = _plans(url)
    shutil.rmtree(root)  # re-planning never reads the files again

    assert main(["replan", "--db", url, "--rule-set", "aace-2020"]) == 0
    assert "3 plans written for rule set aace-2020" in capsys.readouterr().out
    after = _plans(url)
    assert {k: v for k, v in after.items() if k[1] == "bhof-2022"} == before
    aace = {k[0]: v for k, v in after.items() if k[1] == "aace-2020"}
    assert set(aace) == {"SYN0001", "SYN0002", "SYN0005"}
    assert all(p["rule_set"] == "aace-2020" for p in aace.values())

    assert main(["replan", "--db", url]) == 0  # same rule set again: rows replaced, not added
    assert len(_plans(url)) == 6
    assert _plans(url)[("SYN0001", "bhof-2022")]["classification"] == "low_bone_mass"
