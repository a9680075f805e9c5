"""The ``dexa`` command line: read, plan and export DXA reports, and run the pipeline.

Commands: parse, plan, run, backfill, reread, dq, replan, serve, export, patient.

Exit codes: 0 success; 2 usage error; 3 an input was rejected (parse/plan); 4 a data-quality
alert fired (dq); 1 the run could not start (database unreachable, not writable or busy) or
failed; 130/143 a run stopped by SIGINT/SIGTERM. No traceback ever reaches the user:
unexpected errors are reported in one line (``--verbose`` shows the traceback for developers).

``main`` is the console script; ``arguments`` builds the parser, ``commands`` does what each
command says (imported only when that command runs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from dexa.cli.arguments import build_parser
from dexa.settings import apply_defaults

STARTED = time.perf_counter()  # the command's wall time is counted from here

EXIT_OK, EXIT_FAILED = 0, 1
DESCRIPTION = ("dexa: DXA bone-density reports in, validated measurements and guideline-based "
               "management plans out.")


def _cmd_parse(args: argparse.Namespace) -> int:
    from dexa.cli.commands import parse_files

    return parse_files(args.files)


def _cmd_plan(args: argparse.Namespace) -> int:
    from dexa.cli.commands import plan_files

    return plan_files(args.files, rule_set=args.rule_set, output_format=args.format,
                      lsc_profiles=args.lsc_profiles, facility=args.facility)


def _cmd_run(args: argparse.Namespace) -> int:
    from dexa.cli.commands import run_ingest

    return run_ingest(args.input_dir, db_url=args.db, rule_set=args.rule_set,
                      batch_size=args.batch_size, workers=args.workers,
                      since=getattr(args, "since", None), until=getattr(args, "until", None),
                      kind=args.command, files_per_run=getattr(args, "files_per_run", 50_000),
                      dask_address=args.dask, dask_workers=args.dask_workers,
                      lsc_profiles=args.lsc_profiles, facility=args.facility,
                      wait=args.wait, quiet=args.quiet, started=STARTED,
                      reread=_reread_option(args))


def _reread_option(args: argparse.Namespace) -> str | None:
    if args.command != "reread":
        return None
    return "all" if args.every_version else "older"


def _cmd_dq(args: argparse.Namespace) -> int:
    from dexa.cli.commands import data_quality

    return data_quality(db_url=args.db, data_docs=args.data_docs)


def _cmd_replan(args: argparse.Namespace) -> int:
    from dexa.cli.commands import replan

    return replan(db_url=args.db, rule_set=args.rule_set, lsc_profiles=args.lsc_profiles,
                  facility=args.facility, wait=args.wait, quiet=args.quiet)


def _cmd_serve(args: argparse.Namespace) -> int:
    from dexa.cli.commands import serve

    return serve(args.input_dir, db_url=args.db, cron=args.cron, timezone=args.timezone,
                 rule_set=args.rule_set, workers=args.workers)


def _cmd_export(args: argparse.Namespace) -> int:
    from dexa.cli.commands import export_fhir

    return export_fhir(args.out_dir, db_url=args.db, since=args.since, until=args.until,
                       rule_set=args.rule_set)


def _cmd_patient(args: argparse.Namespace) -> int:
    from dexa.cli.commands import patient

    return patient(args.patient_id, db_url=args.db, out=args.out, rule_set=args.rule_set)


COMMANDS = {"parse": _cmd_parse, "plan": _cmd_plan, "run": _cmd_run, "backfill": _cmd_run,
            "reread": _cmd_run, "dq": _cmd_dq, "replan": _cmd_replan, "serve": _cmd_serve,
            "export": _cmd_export, "patient": _cmd_patient}


def main(argv: Sequence[str] | None = None) -> int:
    from dexa.cli.arguments import parse_arguments

    args = parse_arguments(build_parser(DESCRIPTION), argv)  # exits 2 on a usage error
    if args.verbose:
        os.environ["DEXA_VERBOSE"] = "1"
    apply_defaults(verbose=args.verbose)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("dexa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last boundary before the user's screen
        if args.verbose:
            raise
        print(f"dexa: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
