"""The ``dexa`` command line's arguments: one sub-command each for parse, plan, run, backfill,
dq, serve, replan, export and patient, with their options and defaults (CONTRACT.md). A bad
argument is a usage error (exit 2), found by argparse before anything runs."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

# GX validation costs ~1 s of CPU a batch whatever its size (benchmarks/bench_run.py: 94 % of
# the parse-only rate with 5,000, 70 % with 2,500 on 20,000 SRs); memory stays ~0.6 GB.
BATCH_SIZE = 5000


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


def build_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dexa", description=description)
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
    plan.add_argument("--format", choices=("json", "markdown", "fhir", "html"), default="json",
                      help="json: the plan document; markdown: the clinician's 30-second view; "
                           "fhir: a FHIR R4 Bundle; html: the clinician's page")
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

    export = commands.add_parser("export", help="one FHIR R4 Bundle file per visit of the "
                                 "results tables")
    export.add_argument("target", choices=("fhir",), help="the export format")
    export.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    add_store_options(export)
    export.add_argument("--since", type=_iso_date, metavar="DATE", help="first scan date")
    export.add_argument("--until", type=_iso_date, metavar="DATE", help="last scan date")
    export.add_argument("--rule-set", type=_rule_set, default="bhof-2022")

    patient = commands.add_parser("patient", help="a patient's page: every visit, BMD over "
                                  "time per site")
    patient.add_argument("patient_id", metavar="PATIENT_ID")
    add_store_options(patient)
    patient.add_argument("--out", type=Path, metavar="FILE",
                         help="write the page to FILE (default: standard output)")
    patient.add_argument("--rule-set", type=_rule_set, default="bhof-2022")

    replan = commands.add_parser("replan", help="recompute plans from stored measurements")
    add_store_options(replan)
    replan.add_argument("--rule-set", type=_rule_set, default="bhof-2022")
    add_policy_options(replan)
    return parser
