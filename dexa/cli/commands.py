"""What each ``dexa`` command does, behind the argument parsing of ``dexa.cli.arguments``.

``parse`` and ``plan`` never start Prefect; ``run``/``backfill`` run the Prefect flow with its
temporary local server unless ``PREFECT_API_URL`` points at a real one.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dexa.contract import PlanDocument
from dexa.discover import InputFile
from dexa.policy import set_policy
from dexa.workers import ParsedFile, parse_one

EXIT_OK, EXIT_USAGE, EXIT_REJECTED, EXIT_DQ_ALERT = 0, 2, 3, 4


Planned = tuple[ParsedFile, dict | None]  # a file read, and its plan unless it was rejected


def _check_files(paths: Sequence[Path]) -> list[InputFile] | None:
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"dexa: error: not a file: {missing[0]}", file=sys.stderr)
        return None
    files = []
    for p in paths:
        info = p.stat()
        files.append(InputFile(str(p), str(p), info.st_size, info.st_mtime_ns))
    return files


def _error_document(parsed: ParsedFile) -> dict:
    return {"error": {"code": parsed.error_code, "message": parsed.error_message,
                      "path": parsed.file.rel_path}}


def _emit(documents: list[dict]) -> None:
    if len(documents) == 1:
        print(json.dumps(documents[0], indent=2, ensure_ascii=False))
    else:
        for doc in documents:
            print(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))


def parse_files(paths: Sequence[Path]) -> int:
    files = _check_files(paths)
    if files is None:
        return EXIT_USAGE
    parsed = [parse_one(f) for f in files]
    _emit([p.report.to_dict() if p.report else _error_document(p) for p in parsed])
    return EXIT_OK if all(p.ok for p in parsed) else EXIT_REJECTED


def plan_files(paths: Sequence[Path], *, rule_set: str, output_format: str,
               lsc_profiles: Path | None, facility: str | None) -> int:
    from dexa.batch import validate_and_plan

    files = _check_files(paths)
    if files is None:
        return EXIT_USAGE
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    parsed = [parse_one(f) for f in files]
    planned = iter(validate_and_plan([p for p in parsed if p.ok], run_date=date.today(),
                                     rule_set=rule_set))
    results = [(p, next(planned).plan if p.ok else None) for p in parsed]
    _PLAN_OUTPUTS[output_format](results)
    return EXIT_OK if all(p.ok for p in parsed) else EXIT_REJECTED


def _plans_as_json(results: list[Planned]) -> None:
    _emit([plan if plan is not None else _error_document(p) for p, plan in results])


def _plans_as_markdown(results: list[Planned]) -> None:
    from planner import render_markdown

    texts = [render_markdown(PlanDocument.model_validate(plan)) if plan is not None else
             f"# {p.file.rel_path}\n\nRejected: {p.error_code} ({p.error_message})\n"
             for p, plan in results]
    print("\n---\n\n".join(texts))


def _plans_as_fhir(results: list[Planned]) -> None:
    """A Bundle per file (JSON Lines for several), an error document in a rejected file's
    place, as for JSON."""
    from dexa.exports import plan_view
    from dexa.outputs.fhir import visit_bundle

    _emit([visit_bundle(plan_view(plan, p.report)) if plan is not None and p.report else
           _error_document(p) for p, plan in results])


def _plans_as_html(results: list[Planned]) -> None:
    """One self-contained page: the plan's page for one file, a page of every plan for
    several. A rejected single file prints its error document (exit 3, as for JSON)."""
    from dexa.exports import plan_view
    from dexa.outputs.html import plan_page, plans_page

    if len(results) == 1:
        p, plan = results[0]
        if plan is None or p.report is None:
            _emit([_error_document(p)])
        else:
            print(plan_page(plan_view(plan, p.report)))
        return
    print(plans_page([plan_view(plan, p.report) if plan is not None and p.report else
                      f"Rejected: {p.error_code} ({p.error_message})"
                      for p, plan in results]))


_PLAN_OUTPUTS = {"json": _plans_as_json, "markdown": _plans_as_markdown,
                 "fhir": _plans_as_fhir, "html": _plans_as_html}


def export_fhir(out_dir: Path, *, db_url: str | None, since: date | None, until: date | None,
                rule_set: str) -> int:
    from dexa import exports, store

    if out_dir.exists() and not out_dir.is_dir():
        print(f"dexa: error: not a folder: {out_dir}", file=sys.stderr)
        return EXIT_USAGE
    if since and until and since > until:
        print("dexa: error: --since is after --until", file=sys.stderr)
        return EXIT_USAGE
    engine = store.connect(db_url)
    try:
        done = exports.export_fhir(engine, out_dir, since=since, until=until, rule_set=rule_set)
    finally:
        engine.dispose()
    print(f"{done.visits} visit Bundles in {out_dir} ({done.written} written, "
          f"{done.unchanged} unchanged)")
    if done.without_scans:
        print(f"{done.without_scans} visit plans were left out: the store holds none of "
              "their scans", file=sys.stderr)
    return EXIT_OK


def patient(patient_id: str, *, db_url: str | None, out: Path | None, rule_set: str) -> int:
    """The patient's page on standard output or in ``out``; an unknown patient is exit 2 (the
    message does not repeat the identifier: it may be kept in a terminal's scrollback)."""
    from dexa import exports, store

    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        print(f"dexa: error: cannot write a file at {out}", file=sys.stderr)
        return EXIT_USAGE
    engine = store.connect(db_url)
    try:
        page = exports.patient_html(engine, patient_id, rule_set=rule_set)
    finally:
        engine.dispose()
    if page is None:
        print(f"dexa: error: no visit of that patient under rule set {rule_set}",
              file=sys.stderr)
        return EXIT_USAGE
    if out is None:
        print(page)
    else:
        out.write_text(page, encoding="utf-8")
        print(f"patient page written to {out}")
    return EXIT_OK


def run_ingest(input_dir: Path, *, db_url: str | None, rule_set: str, batch_size: int,
               workers: int | None, since: date | None, until: date | None, kind: str,
               files_per_run: int = 50_000, dask_address: str | None = None,
               dask_workers: int | None = None, lsc_profiles: Path | None = None,
               facility: str | None = None) -> int:
    if not input_dir.is_dir():
        print(f"dexa: error: not a folder: {input_dir}", file=sys.stderr)
        return EXIT_USAGE
    if db_url:  # passed by environment so that a password never lands in Prefect's records
        os.environ["DEXA_DB_URL"] = db_url
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    from dexa import store
    from dexa.progress import progress_display
    from flows.ingest import ingest_flow, set_progress_callback, start_warm_up

    if not (dask_address or dask_workers):
        start_warm_up()  # overlaps the temporary Prefect server's start

    resolved = store.resolve_db_url(None)
    with progress_display() as callback:
        set_progress_callback(callback)
        summary = ingest_flow(str(input_dir), None, rule_set=rule_set, batch_size=batch_size,
                              workers=workers, since=since, until=until, kind=kind,
                              files_per_run=files_per_run, dask_address=dask_address,
                              dask_workers=dask_workers)
        set_progress_callback(None)
    from dexa.summary import render_run_summary

    print(render_run_summary(summary, store.display_url(resolved)))
    return EXIT_OK


def data_quality(*, db_url: str | None, data_docs: Path | None) -> int:
    if db_url:
        os.environ["DEXA_DB_URL"] = db_url
    from expectations.drift import render_markdown
    from flows.dq import dq_flow

    result = dq_flow(None, str(data_docs) if data_docs else None)
    print(render_markdown(result.drift).rstrip())
    if result.counts:
        print(result.counts)
    if result.run_id is None:
        print("No finished run in the results store yet.")
    if result.data_docs:
        print(f"GX Data Docs of run {result.run_id}: {result.data_docs}")
    return EXIT_OK if result.drift.healthy else EXIT_DQ_ALERT


def serve(input_dir: Path, *, db_url: str | None, cron: str, timezone: str | None,
          rule_set: str, workers: int | None) -> int:
    """Serve the nightly deployment until interrupted (a long-running process)."""
    if not input_dir.is_dir():
        print(f"dexa: error: not a folder: {input_dir}", file=sys.stderr)
        return EXIT_USAGE
    if db_url:
        os.environ["DEXA_DB_URL"] = db_url
    from prefect import serve as prefect_serve

    from flows.deploy import nightly_deployment

    deployment = nightly_deployment(str(input_dir.resolve()), cron=cron, timezone=timezone,
                                    rule_set=rule_set, workers=workers)
    prefect_serve(deployment)
    return EXIT_OK


def replan(*, db_url: str | None, rule_set: str, lsc_profiles: Path | None = None,
           facility: str | None = None) -> int:
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    from dexa.replan import replan_all

    written = replan_all(db_url, rule_set=rule_set)
    print(f"{written} plans written for rule set {rule_set}")
    return EXIT_OK

