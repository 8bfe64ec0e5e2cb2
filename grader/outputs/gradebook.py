"""A class's reports as ``gradebook.csv`` and as a Rich summary table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from grader.classroom.reports import Report, check_ids
from grader.files import write_atomic
from grader.outputs.scorecard import points

STYLES = {"passed": "green", "failed": "yellow", "error": "bold red"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MESSAGE_CHARS = 200


def cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:MESSAGE_CHARS]


def csv_text(reports: Sequence[Report], pass_mark: float | None = None) -> str:
    """The gradebook: one row per submission, a column per check's points."""
    checks = check_ids(reports)
    header = ["submission", "file", "status", "score", "max_score", "percent"]
    header += ["passed"] if pass_mark is not None else []
    header += ["message", *checks]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for report in reports:
        row = [
            cell(report.name),
            cell(str(report.data.get("submission", ""))),
            report.status,
            points(report.score),
            points(report.max_score),
            f"{100 * report.share:.1f}",
        ]
        if pass_mark is not None:
            row.append("yes" if report.status != "error" and report.share >= pass_mark else "no")
        row.append(cell(first_line(report.message)))
        row += [points(report.checks[c]) if c in report.checks else "" for c in checks]
        writer.writerow(row)
    return buffer.getvalue()


def write_csv(reports: Sequence[Report], path: Path, pass_mark: float | None = None) -> None:
    write_atomic(path, csv_text(reports, pass_mark))


class SummaryTable:
    """The class at a glance: a row per submission and a total line."""

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = reports

    def table(self) -> Table:
        table = Table(title="Gradebook", title_justify="left", expand=False)
        table.add_column("submission")
        table.add_column("status")
        table.add_column("score", justify="right")
        table.add_column("%", justify="right")
        table.add_column("message", overflow="fold")
        for report in self.reports:
            style = STYLES.get(report.status, "bold red")
            table.add_row(
                Text(report.name),
                Text(report.status, style=style),
                f"{points(report.score)}/{points(report.max_score)}",
                f"{100 * report.share:.0f}",
                Text(first_line(report.message), style="dim"),
            )
        return table

    def total(self) -> Text:
        graded = [r for r in self.reports if r.status != "error"]
        errors = len(self.reports) - len(graded)
        mean = sum(r.share for r in graded) / len(graded) if graded else 0.0
        text = f"{len(self.reports)} submissions: {len(graded)} graded, mean {mean:.0%}"
        return Text(text + (f"; {errors} could not be graded" if errors else ""))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table()
        yield self.total()
