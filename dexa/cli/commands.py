"""What each ``dexa`` command does, behind the argument parsing of ``dexa.cli.arguments``.

``parse`` and ``plan`` never start Prefect; ``run``/``backfill`` run the Prefect flow with its
temporary local server unless ``PREFECT_API_URL`` points at a real one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from datetime import date
from pathlib import Path

from dexa.contract import PlanDocument, Unreadable
from dexa.discover import InputFile
from dexa.policy import set_policy
from dexa.workers import ParsedFile, parse_one

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTED, EXIT_DQ_ALERT = 0, 1, 2, 3, 4


Planned = tuple[ParsedFile, dict | None]  # a file read, and its plan unless it was rejected


def _check_files(paths: Sequence[Path]) -> list[InputFile] | None:
    """The files to read, or None after a usage error on standard error: a path that is not a
    regular file, or one the file system refuses to open. A refusal (permissions, a share that
    went away) is like a missing file, not a rejection: CONTRACT's error codes speak of the
    content, and ``unreadable`` is only a ledger reason of ``run`` (tried again next run)."""
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"dexa: error: not a file: {missing[0]}", file=sys.stderr)
        return None
    files = []
    for p in paths:
        try:
            with p.open("rb"):
                pass
            info = p.stat()
        except OSError as exc:
            print(f"dexa: error: cannot read {p}: {exc.strerror or type(exc).__name__}",
                  file=sys.stderr)
            return None
        files.append(InputFile(str(p), str(p), info.st_size, info.st_mtime_ns))
    return files


def _parse_files(files: list[InputFile]) -> list[ParsedFile] | None:
    """Each file parsed, or None after a usage error for a file the file system refused while
    it was read (checked above, but a share may go away in between): as ``_check_files``."""
    parsed = [parse_one(f) for f in files]
    refused = next((p for p in parsed if p.error_code == Unreadable.code), None)
    if refused is not None:
        print(f"dexa: error: {refused.file.rel_path}: {refused.error_message}", file=sys.stderr)
        return None
    return parsed


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
    parsed = _parse_files(files) if files is not None else None
    if parsed is None:
        return EXIT_USAGE
    _emit([p.report.to_dict() if p.report else _error_document(p) for p in parsed])
    return EXIT_OK if all(p.ok for p in parsed) else EXIT_REJECTED


def plan_files(paths: Sequence[Path], *, rule_set: str, output_format: str,
               lsc_profiles: Path | None, facility: str | None) -> int:
    from dexa.batch import validate_and_plan

    files = _check_files(paths)
    if files is None:
        return EXIT_USAGE
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    parsed = _parse_files(files)
    if parsed is None:
        return EXIT_USAGE
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
    try:
        with store.opened_store(db_url) as engine:
            done = exports.export_fhir(engine, out_dir, since=since, until=until,
                                       rule_set=rule_set)
    except store.StoreUnavailable as exc:
        return _store_error(exc)
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
    try:
        with store.opened_store(db_url) as engine:
            page = exports.patient_html(engine, patient_id, rule_set=rule_set)
    except store.StoreUnavailable as exc:
        return _store_error(exc)
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


def _store_error(exc: Exception) -> int:
    """One line for a database that cannot be used (exit 2 for a wrong URL, else 1)."""
    print(f"dexa: error: {exc}", file=sys.stderr)
    return EXIT_USAGE if getattr(exc, "usage", False) else EXIT_FAILED


def _say(quiet: bool) -> Callable[[str], None]:
    return (lambda _text: None) if quiet else (lambda text: print(text, file=sys.stderr))


def _stop_now(signum: int, *, starting: bool) -> None:
    """End the process at once: a second Ctrl-C (the batch being written rolls back whole:
    the database never commits half a transaction), or a first one during start-up (nothing
    was written; the writer lock is given back). The temporary server is stopped."""
    from dexa import store
    from dexa.interrupts import Interrupted

    if "flows.server" in sys.modules:
        # best effort: the signal may land while Prefect's server module is half imported
        with suppress(Exception):
            sys.modules["flows.server"].stop_temporary_server(wait=False)
    name = Interrupted(signum).signal_name
    if starting:
        store.release_locks()
        print(f"dexa: stopped by {name} during start-up, before any file was read; nothing "
              "was written", file=sys.stderr)
    else:
        print(f"dexa: stopped at once by a second {name}; the batch being written was rolled "
              "back; run the same command again to resume", file=sys.stderr)
    sys.stderr.flush()
    os._exit(128 + signum)


def run_ingest(input_dir: Path, *, db_url: str | None, rule_set: str, batch_size: int,
               workers: int | None, since: date | None, until: date | None, kind: str,
               files_per_run: int = 50_000, dask_address: str | None = None,
               dask_workers: int | None = None, lsc_profiles: Path | None = None,
               facility: str | None = None, wait: bool = False, quiet: bool = False,
               started: float | None = None, reread: str | None = None) -> int:
    """``dexa run``/``backfill``: the database checked and locked before Prefect starts, then
    the flow; SIGINT/SIGTERM stop it between batches (exit 130/143)."""
    started = time.perf_counter() if started is None else started
    if not input_dir.is_dir():
        print(f"dexa: error: not a folder: {input_dir}", file=sys.stderr)
        return EXIT_USAGE
    if db_url:  # passed by environment so that a password never lands in Prefect's records
        os.environ["DEXA_DB_URL"] = db_url
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    from dexa import interrupts, store

    say = _say(quiet)
    with ExitStack() as stack:
        # The handler goes in before the database is opened: a signal while it is checked and
        # migrated ends the start-up at once (nothing is written before the flow), never as a
        # KeyboardInterrupt inside an import or a migration.
        writing = [False]
        stack.enter_context(interrupts.graceful_stop(
            on_first=lambda signum: say(
                f"dexa: {interrupts.Interrupted(signum).signal_name} received: finishing the "
                "batch being written, starting no other (press Ctrl-C again to stop at once)"),
            at_once=lambda signum: _stop_now(signum, starting=not writing[0]),
            starting=lambda: not writing[0]))
        try:
            engine = stack.enter_context(store.opened_store(None))
            stack.enter_context(store.writer_lock(
                engine, kind, wait=wait,
                on_wait=lambda holder: say(f"dexa: waiting: {holder}")))
        except store.StoreUnavailable as exc:
            return _store_error(exc)
        return _run_flow(input_dir, started=started, writing=writing, quiet=quiet,
                         engine=engine, rule_set=rule_set, batch_size=batch_size,
                         workers=workers, since=since, until=until, kind=kind,
                         files_per_run=files_per_run, dask_address=dask_address,
                         dask_workers=dask_workers, reread=reread)
    return EXIT_OK  # not reached


def _run_flow(input_dir: Path, *, started: float, writing: list[bool], quiet: bool,
              engine, kind: str, dask_address: str | None, dask_workers: int | None,
              **flow_options) -> int:
    from dexa import store
    from dexa.progress import progress_display
    from dexa.summary import render_interrupted, render_run_summary
    from flows.ingest import (
        ingest_flow,
        interrupted_run,
        set_progress_callback,
        start_warm_up,
    )
    from flows.server import start_temporary_server, stop_temporary_server

    if not (dask_address or dask_workers):
        start_warm_up()  # overlaps the temporary Prefect server's start
    server_seconds = start_temporary_server()
    writing[0] = True  # from here on a signal stops the run between batches
    with progress_display(enabled=not quiet) as callback:
        set_progress_callback(callback)
        state = ingest_flow(str(input_dir), None, kind=kind, dask_address=dask_address,
                            dask_workers=dask_workers, return_state=True, **flow_options)
        set_progress_callback(None)
    stop_temporary_server()  # counted in the wall time: the operator waits for it too
    shown = store.display_url(str(engine.url.render_as_string(hide_password=False)))
    wall = time.perf_counter() - started
    if state.is_cancelled():
        summary = interrupted_run()
        print(render_interrupted(summary, shown, wall_seconds=wall),
              file=sys.stderr)
        return 128 + (summary.interrupted_by or 0)
    summary = state.result()
    if summary.files_seen == 0:  # a quiet night and an unmounted share look alike otherwise
        print(f"dexa: warning: the input folder {summary.input_root} holds no file (not "
              "mounted, or nothing exported?)", file=sys.stderr)
    if not quiet:
        print(render_run_summary(summary, shown, wall_seconds=wall,
                                 server_seconds=server_seconds))
    return EXIT_OK


def _unusable_store(db_url: str | None) -> int | None:
    """The exit status when the results store cannot be used, else None, for a command whose
    flow opens the store itself. The URL is passed on by environment (``DEXA_DB_URL``) so that
    a password never lands in Prefect's records."""
    if db_url:
        os.environ["DEXA_DB_URL"] = db_url
    from dexa import store

    try:
        with store.opened_store(None):
            return None
    except store.StoreUnavailable as exc:
        return _store_error(exc)


def data_quality(*, db_url: str | None, data_docs: Path | None) -> int:
    if (status := _unusable_store(db_url)) is not None:
        return status
    from expectations.drift import render_markdown
    from flows.dq import dq_flow

    result = dq_flow(None, str(data_docs) if data_docs else None)
    print(render_markdown(result.drift).rstrip())
    if result.counts:
        print(result.counts)
    if result.run_id is None:
        print("No finished run in the results store yet.")
    if result.data_docs:
        print(f"{result.data_docs_note}: {result.data_docs}")
    elif result.data_docs_note:
        print(result.data_docs_note)
    return EXIT_OK if result.drift.healthy else EXIT_DQ_ALERT


def serve(input_dir: Path, *, db_url: str | None, cron: str, timezone: str | None,
          rule_set: str, workers: int | None) -> int:
    """Serve the nightly deployment until interrupted (a long-running process)."""
    if not input_dir.is_dir():
        print(f"dexa: error: not a folder: {input_dir}", file=sys.stderr)
        return EXIT_USAGE
    if not os.environ.get("PREFECT_API_URL"):
        print("dexa: error: dexa serve needs a running Prefect server: start one (prefect "
              "server start) and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api); "
              "without it the schedule would live in a temporary server that ends with this "
              "process", file=sys.stderr)
        return EXIT_FAILED
    if (status := _unusable_store(db_url)) is not None:
        return status
    from prefect import serve as prefect_serve

    from flows.deploy import nightly_deployment

    deployment = nightly_deployment(str(input_dir.resolve()), cron=cron, timezone=timezone,
                                    rule_set=rule_set, workers=workers)
    prefect_serve(deployment)
    return EXIT_OK


def replan(*, db_url: str | None, rule_set: str, lsc_profiles: Path | None = None,
           facility: str | None = None, wait: bool = False, quiet: bool = False) -> int:
    set_policy(str(lsc_profiles) if lsc_profiles else None, facility)
    from dexa import store
    from dexa.replan import replan_all

    say = _say(quiet)
    try:
        with (store.opened_store(db_url) as engine,
              store.writer_lock(engine, "replan", wait=wait,
                                on_wait=lambda holder: say(f"dexa: waiting: {holder}"))):
            written = replan_all(db_url, rule_set=rule_set)
    except store.StoreUnavailable as exc:
        return _store_error(exc)
    if not quiet:
        print(f"{written} plans written for rule set {rule_set}")
    return EXIT_OK

