"""The Rich scorecard: what a learner reads after ``python -m grader lesson1``."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.outputs import sparkline
from grader.results import CheckResult, RunResult, RunStatus, Status

BAR_WIDTH = 30

LABELS: dict[Status, tuple[str, str]] = {
    Status.PASSED: ("✔ pass", "green"),
    Status.FAILED: ("✘ fail", "red"),
    Status.ERROR: ("! error", "bold red"),
    Status.TIMEOUT: ("⏱ timeout", "yellow"),
    Status.NOT_ATTEMPTED: ("○ to do", "cyan"),
    Status.SKIPPED: ("– skipped", "dim"),
}
SHOWS_DETAILS = {Status.ERROR, Status.TIMEOUT}


def points(value: float) -> str:
    return f"{value:g}"


class Scorecard:
    """A ``RunResult`` drawn for the terminal (or a CI log)."""

    def __init__(self, result: RunResult) -> None:
        self.result = result

    def header(self) -> Panel:
        result = self.result
        facts = Text(
            f"{result.submission} · seed {result.seed} · grader {result.grader_version}",
            style="dim",
        )
        if result.cached:
            facts.append(" · (cached)", style="bold cyan")
        lines: list[Text] = [facts]
        lines += [Text(f"Note: {note}", style="yellow") for note in result.notes]
        title = Text(f"{result.lesson} · {result.title}", style="bold")
        return Panel(Group(*lines), title=title, title_align="left", expand=True)

    def checks(self, spark_width: int = 0) -> Table:
        """One row per check; with ``spark_width``, the loss of a training under its check."""
        table = Table(box=None, show_header=False, expand=True, pad_edge=False, padding=(0, 1))
        table.add_column("status", no_wrap=True, width=11)
        table.add_column("check", ratio=1)
        table.add_column("points", justify="right", no_wrap=True)
        shown: set[str] = set()
        for check in self.result.checks:
            label, style = LABELS[check.status]
            body = Text(check.title)
            if check.message:
                message = "(as above)" if check.message in shown else check.message
                shown.add(check.message)
                body.append("\n" + message, style="dim" if check.passed else style)
            for line in sparkline.lines(check, spark_width) if spark_width else ():
                body.append("\n")
                body.append_text(line)
            table.add_row(
                Text(label, style=style),
                body,
                Text(f"{points(check.points)}/{points(check.max_points)}", style=style),
            )
        return table

    def total(self) -> Text:
        result = self.result
        share = result.share
        filled = round(share * BAR_WIDTH)
        style = "green" if result.status is RunStatus.PASSED else "yellow"
        text = Text("Score ", style="bold")
        text.append(f"{points(result.score)}/{points(result.max_score)}  ", style="bold " + style)
        text.append("█" * filled, style=style)
        text.append("░" * (BAR_WIDTH - filled), style="dim")
        text.append(f"  {share:.0%}")
        return text

    def problems(self) -> list[RenderableType]:
        blocks: list[RenderableType] = []
        for check in self.result.checks:
            if check.details and check.status in SHOWS_DETAILS:
                blocks.append(Text.assemble("  • ", (check.id, "bold")))
                blocks.append(Padding(Text(check.details), (0, 0, 0, 4)))
        return blocks

    def hints(self) -> list[RenderableType]:
        blocks: list[RenderableType] = []
        for check in self.result.checks:
            if check.status is Status.FAILED and check.hint:
                blocks.append(Text.assemble(("  • ", "cyan"), (check.id, "bold")))
                blocks.append(Padding(Text(check.hint), (0, 0, 0, 4)))
        return blocks

    def summary(self, checks: list[CheckResult]) -> Text:
        counts = {status: 0 for status in Status}
        for check in checks:
            counts[check.status] += 1
        parts = [f"{n} {LABELS[s][0].split(' ', 1)[1]}" for s, n in counts.items() if n]
        return Text(
            f"{len(checks)} checks: " + ", ".join(parts) + f" · {self.result.duration_s:.1f} s"
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        result = self.result
        yield self.header()
        if result.status is RunStatus.ERROR:
            yield Panel(
                Text(result.fault or "", style="red"),
                title="The grader could not grade this submission (its fault, not yours)",
                title_align="left",
                border_style="red",
            )
        spark_width = min(40, console.width - 50) if sparkline.wants_sparklines(console) else 0
        yield self.checks(max(spark_width, 0))
        yield Text()
        yield self.total()
        yield self.summary(list(result.checks))
        if result.not_started:
            yield Text(
                f"Not started: every function is still the untouched stub. Open "
                f"{result.submission} and fill them in.",
                style="cyan",
            )
        if problems := self.problems():
            yield Text()
            yield Text("What went wrong", style="bold")
            yield from problems
        if hints := self.hints():
            yield Text()
            yield Text("Hints", style="bold")
            yield from hints
            yield Text()
            yield Text(
                f"Still stuck? python -m grader hint {result.lesson} CHECK shows a more "
                "pointed hint.",
                style="dim",
            )
