"""The ``dexa`` command line (CONTRACT.md): parse, plan, run, backfill, dq, replan.

Exit codes: 0 success; 2 usage error; 3 an input was rejected (parse/plan); 4 a data-quality
alert fired (dq); 1 the run itself failed. No traceback ever reaches the user: unexpected
errors are reported in one line (``--verbose`` shows the traceback for developers).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dexa.settings import apply_defaults

# GX validation costs ~1 s of CPU a batch whatever its size (benchmarks/bench_run.py: 94 % of
# the parse-only rate with 5,000, 70 % with 2,500 on 20,000 SRs); memory stays ~0.6 GB.
BATCH_SIZE = 5000

EXIT_OK, EXIT_FAILED = 0, 1


def _rule_set(name: str) -> str:
    """A known rule set's name: an unknown one is a usage error (exit 2) before anything runs."""
    from planner import RULE_SETS  # here, not at the top: `dexa parse` never pays for it

    if name not in RULE_SETS:
        raise argparse.ArgumentTypeError(
            f"unknown rule set {name!r} (known: {', '.join(RULE_SETS)})")
    return name


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dexa", description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show Prefect/GX logs")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_policy_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--lsc-profiles", type=Path, metavar="FILE",
                         help="site LSC profiles, JSON or TOML (default: DEXA_LSC_PROFILES)")
        cmd.add_argument("--facility", help="facility name that picks an LSC profile "
                         "(default: DEXA_FACILITY)")

    parse = commands.add_parser("parse", help="print the report document of each file")
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE")

    plan = commands.add_parser("plan", help="parse, validate and plan each file")
    plan.add_argument("files", nargs="+", type=Path, metavar="FILE")
    plan.add_argument("--rule-set", type=_rule_set, default="bhof-2022")
    plan.add_argument("--format", choices=("json", "markdown"), default="json")
    add_policy_options(plan)

    def add_store_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: DEXA_DB_URL "
                         "or sqlite:///dexa.sqlite)")

    def add_run_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
        add_store_options(cmd)
        cmd.add_argument("--rule-set", type=_rule_set, default="bhof-2022")
        cmd.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                         help=f"files per batch: one task run and one validation each "
                              f"(default {BATCH_SIZE})")
        cmd.add_argument("--workers", type=int, default=None,
                         help="parser processes (default: one per core)")
        cmd.add_argument("--dask", metavar="ADDRESS", default=None,
                         help="run the batches on this Dask scheduler (tcp://host:8786)")
        cmd.add_argument("--dask-workers", type=int, default=None, metavar="N",
                         help="run the batches on a local Dask cluster of N processes")
        add_policy_options(cmd)

    run = commands.add_parser("run", help="the nightly job over INPUT_DIR")
    add_run_options(run)

    backfill = commands.add_parser("backfill", help="historical load restricted by scan date")
    add_run_options(backfill)
    backfill.add_argument("--since", type=_iso_date, metavar="DATE")
    backfill.add_argument("--until", type=_iso_date, metavar="DATE")
    backfill.add_argument("--files-per-run", type=int, default=50_000,
                          help="files per Prefect flow run (bounds Prefect's memory)")

    dq = commands.add_parser("dq", help="data-quality report over past runs")
    add_store_options(dq)
    dq.add_argument("--data-docs", type=Path, default=Path("gx_data_docs"), metavar="DIR",
                    help="folder for the GX Data Docs of the latest run (default: gx_data_docs)")

    serve = commands.add_parser("serve", help="serve the nightly deployment (needs a Prefect "
                                "server: PREFECT_API_URL)")
    serve.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
    add_store_options(serve)
    serve.add_argument("--cron", default="0 2 * * *", help="schedule (default: 02:00 daily)")
    serve.add_argument("--timezone", default=None, help="IANA time zone of the schedule")
    serve.add_argument("--rule-set", type=_rule_set, default="bhof-2022")
    serve.add_argument("--workers", type=int, default=None)

    replan = commands.add_parser("replan", help="recompute plans from stored measurements")
    add_store_options(replan)
    replan.add_argument("--rule-set", type=_rule_set, default="bhof-2022")
    add_policy_options(replan)
    return parser


def _cmd_parse(args: argparse.Namespace) -> int:
    from dexa.commands import parse_files

    return parse_files(args.files)


def _cmd_plan(args: argparse.Namespace) -> int:
    from dexa.commands import plan_files

    return plan_files(args.files, rule_set=args.rule_set, output_format=args.format,
                      lsc_profiles=args.lsc_profiles, facility=args.facility)


def _cmd_run(args: argparse.Namespace) -> int:
    from dexa.commands import run_ingest

    return run_ingest(args.input_dir, db_url=args.db, rule_set=args.rule_set,
                      batch_size=args.batch_size, workers=args.workers,
                      since=getattr(args, "since", None), until=getattr(args, "until", None),
                      kind=args.command, files_per_run=getattr(args, "files_per_run", 50_000),
                      dask_address=args.dask, dask_workers=args.dask_workers,
                      lsc_profiles=args.lsc_profiles, facility=args.facility)


def _cmd_dq(args: argparse.Namespace) -> int:
    from dexa.commands import data_quality

    return data_quality(db_url=args.db, data_docs=args.data_docs)


def _cmd_replan(args: argparse.Namespace) -> int:
    from dexa.commands import replan

    return replan(db_url=args.db, rule_set=args.rule_set, lsc_profiles=args.lsc_profiles,
                  facility=args.facility)


def _cmd_serve(args: argparse.Namespace) -> int:
    from dexa.commands import serve

    return serve(args.input_dir, db_url=args.db, cron=args.cron, timezone=args.timezone,
                 rule_set=args.rule_set, workers=args.workers)


COMMANDS = {"parse": _cmd_parse, "plan": _cmd_plan, "run": _cmd_run, "backfill": _cmd_run,
            "dq": _cmd_dq, "replan": _cmd_replan, "serve": _cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error
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


if __name__ == "__main__":
    sys.exit(main())
