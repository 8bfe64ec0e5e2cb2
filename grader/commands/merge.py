"""``python -m grader merge``: join the JSON reports of batch shards into one gradebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader.classroom.instructor import pass_mark
from grader.classroom.merge import merge
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.outputs.gradebook import SummaryTable, write_csv


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader merge",
        description="Join per-submission JSON reports (from any number of --batch shards) "
        "into one gradebook.",
    )
    parse.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json")
    parse.add_argument(
        "--csv", type=Path, metavar="PATH", required=True, help="write the gradebook here"
    )
    parse.add_argument(
        "--pass-mark", type=pass_mark, metavar="SHARE", help="add a passed column (e.g. 0.8)"
    )
    return parse


def run(argv: list[str], console: Console) -> int:
    args = parser().parse_args(argv)
    paths = [path for path in args.reports if path.suffix == ".json"]
    if not paths:
        Console(stderr=True).print("[red]error:[/] no .json reports given")
        return EXIT_USAGE
    reports, warnings = merge(paths)
    for warning in warnings:
        Console(stderr=True).print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    write_csv(reports, args.csv, args.pass_mark)
    console.print(SummaryTable(reports))
    console.print(f"Gradebook written to {args.csv}", markup=False, highlight=False)
    return EXIT_PASSED
