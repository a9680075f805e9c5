"""The ``dexa`` command line's arguments: one sub-command each for parse, plan, run, backfill,
reread, dq, serve, replan, export and patient, with their options, defaults and exit codes
(shown by ``--help``, in plain text). A bad argument is a usage error (exit 2), found by
argparse before anything runs; ``-q``/``-v`` are accepted before or after the command."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
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


DATE_FORMAT = "DATE is YYYY-MM-DD (e.g. 2024-03-14), both ends included."
EXIT_CODES = {
    "parse": "exit status: 0 every file read; 3 a file was rejected (its error document is "
             "printed in its place); 2 usage error (a path that is not a file, or a file "
             "that cannot be opened)",
    "run": "exit status: 0 the run completed (quarantined files included); 1 the run could "
           "not start or failed (database unreachable or busy); 2 usage error; 130 stopped by "
           "Ctrl-C (SIGINT), 143 by SIGTERM: whole batches are kept, run the same command "
           "again to resume",
    "dq": "exit status: 0 healthy (or too few runs for a baseline); 4 a data-quality alert "
          "fired; 1 database unreachable; 2 usage error",
    "replan": "exit status: 0 done; 1 database unreachable or busy; 2 usage error (an unknown "
              "rule set)",
    "serve": "exit status: runs until stopped; 1 no Prefect server (PREFECT_API_URL) or "
             "database unreachable; 2 usage error",
}
EXIT_CODES["export"] = "exit status: 0 done; 1 database unreachable; 2 usage error"
EXIT_CODES["patient"] = ("exit status: 0 done; 1 database unreachable; 2 usage error or no "
                         "visit of that patient")
EXIT_CODES["plan"] = EXIT_CODES["parse"]
EXIT_CODES["backfill"] = EXIT_CODES["reread"] = EXIT_CODES["run"]


def _output_options() -> argparse.ArgumentParser:
    """-q/-v for every command, accepted before or after it (SUPPRESS: the sub-command's
    default does not overwrite what was given before it)."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                       help="print only errors and warnings (no summary, no progress)")
    group.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="also show Prefect's and Great Expectations' log lines, and a "
                            "traceback for an unexpected error")
    return options


def build_parser(description: str) -> argparse.ArgumentParser:
    from dexa import __version__

    output = _output_options()
    parser = argparse.ArgumentParser(prog="dexa", description=description, parents=[output])
    parser.add_argument("--version", action="version", version=f"dexa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, epilog: str = "") -> argparse.ArgumentParser:
        text = "\n\n".join(textwrap.fill(part, 79) for part in (epilog, EXIT_CODES[name])
                           if part)
        return commands.add_parser(name, help=help_text, description=help_text, epilog=text,
                                   parents=[output],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    def add_policy_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--lsc-profiles", type=Path, metavar="FILE",
                         help="site LSC profiles, JSON or TOML (default: DEXA_LSC_PROFILES)")
        cmd.add_argument("--facility", help="facility name that picks an LSC profile "
                         "(default: DEXA_FACILITY)")

    def add_rule_set(cmd: argparse.ArgumentParser) -> None:
        from planner import RULE_SETS

        cmd.add_argument("--rule-set", type=_rule_set, default="bhof-2022", metavar="NAME",
                         help=f"one of {', '.join(RULE_SETS)} (default: bhof-2022)")

    parse = command("parse", "print the report document of each file (JSON; JSON Lines for "
                    "several files)")
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE")

    plan = command("plan", "parse, validate and plan each file on its own")
    plan.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_rule_set(plan)
    plan.add_argument("--format", choices=("json", "markdown", "fhir", "html"), default="json",
                      help="json: the plan document; markdown: the clinician's 30-second view; "
                           "fhir: a FHIR R4 Bundle; html: the clinician's page (default: json)")
    add_policy_options(plan)

    def add_store_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the results database "
                         "(default: DEXA_DB_URL, else sqlite:///dexa.sqlite)")

    def add_lock_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--wait", action="store_true",
                         help="when another run writes to the database, wait for it to end "
                              "(default: exit at once, status 1)")

    def add_run_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
        add_store_options(cmd)
        add_lock_options(cmd)
        add_rule_set(cmd)
        cmd.add_argument("--batch-size", type=_positive, default=BATCH_SIZE, metavar="N",
                         help=f"files per batch: one task run, one validation and one "
                              f"transaction each (default {BATCH_SIZE})")
        cmd.add_argument("--workers", type=_positive, default=None, metavar="N",
                         help="parser processes (default: one per core)")
        cmd.add_argument("--dask", metavar="ADDRESS", default=None,
                         help="run the batches on this Dask scheduler (tcp://host:8786)")
        cmd.add_argument("--dask-workers", type=_positive, default=None, metavar="N",
                         help="run the batches on a local Dask cluster of N processes")
        add_policy_options(cmd)

    run = command("run", "the nightly job: every file under INPUT_DIR that the ledger has not "
                  "seen")
    add_run_options(run)

    backfill = command("backfill", "historical load of INPUT_DIR restricted by scan date",
                       DATE_FORMAT + " A report whose scan date could not be read is planned "
                       "and flagged (reason scan_date_unknown), never skipped.")
    add_run_options(backfill)
    backfill.add_argument("--since", type=_iso_date, metavar="DATE",
                          help="earliest scan date to load")
    backfill.add_argument("--until", type=_iso_date, metavar="DATE",
                          help="latest scan date to load")
    backfill.add_argument("--files-per-run", type=_positive, default=50_000, metavar="N",
                          help="files per Prefect flow run (bounds Prefect's memory; "
                               "default 50000)")

    reread = command("reread", "read again the files under INPUT_DIR that an older release "
                     "quarantined for a reading reason, and plan those that now read",
                     "Reading reasons: corrupt, not_dicom, not_dxa, no_measurements, "
                     "no_text_layer, unsupported_format, unreadable (not empty, too_large, "
                     "encrypted: those are the file's own). Idempotent: a second reread "
                     "changes nothing.")
    add_run_options(reread)
    reread.add_argument("--all", action="store_true", dest="every_version",
                        help="also the files this release quarantined (after a fix without a "
                             "new version)")

    dq = command("dq", "data-quality report of the latest run against its trailing nights")
    add_store_options(dq)
    dq.add_argument("--data-docs", type=Path, default=Path("gx_data_docs"), metavar="DIR",
                    help="folder for the GX Data Docs of the latest run with scans (default: "
                         "gx_data_docs)")

    serve = command("serve", "serve the nightly deployment (needs a running Prefect server: "
                    "PREFECT_API_URL)")
    serve.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
    add_store_options(serve)
    serve.add_argument("--cron", default="0 2 * * *",
                       help="schedule, five cron fields (default: \"0 2 * * *\", 02:00 daily)")
    serve.add_argument("--timezone", default=None, metavar="TZ",
                       help="IANA time zone of the schedule, e.g. Europe/London (default: UTC)")
    add_rule_set(serve)
    serve.add_argument("--workers", type=_positive, default=None, metavar="N",
                       help="parser processes (default: one per core)")

    export = command("export", "one FHIR R4 Bundle file per visit of the results tables",
                     DATE_FORMAT)
    export.add_argument("target", choices=("fhir",), help="the export format")
    export.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    add_store_options(export)
    export.add_argument("--since", type=_iso_date, metavar="DATE", help="first scan date")
    export.add_argument("--until", type=_iso_date, metavar="DATE", help="last scan date")
    add_rule_set(export)

    patient = command("patient", "a patient's page: every visit, BMD over time per site")
    patient.add_argument("patient_id", metavar="PATIENT_ID")
    add_store_options(patient)
    patient.add_argument("--out", type=Path, metavar="FILE",
                         help="write the page to FILE (default: standard output)")
    add_rule_set(patient)

    replan = command("replan", "recompute every visit's plan from the stored report documents "
                     "(no file is read)")
    add_store_options(replan)
    add_lock_options(replan)
    add_rule_set(replan)
    add_policy_options(replan)
    return parser


def parse_arguments(parser: argparse.ArgumentParser,
                    argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The arguments, checked (exits 2 on a usage error), with -q/-v false where not given
    (not with ``set_defaults``: the actions are shared with every sub-command, whose default
    would then overwrite a flag given before the command)."""
    args = parser.parse_args(argv)
    for flag in ("quiet", "verbose"):
        setattr(args, flag, getattr(args, flag, False))
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since and until and since > until:  # selects nothing: a usage error, not an empty run
        parser.error(f"--since {since} is after --until {until}")
    return args


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value
