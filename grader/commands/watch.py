"""``python -m grader watch LESSON``: re-grade on every save, redrawing the scorecard."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from grader import api, lessons
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.outputs.scorecard import LABELS, Scorecard
from grader.results import RunResult
from grader.selfstudy import hints as selfstudy
from grader.selfstudy.watcher import Changes, Watcher


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader watch",
        description="Grade your file now and again each time you save it. Ctrl-C stops.",
    )
    parse.add_argument("lesson", help="the lesson, e.g. lesson1")
    parse.add_argument(
        "--submission", type=Path, help="the file to watch (default: exercises/LESSON.py here)"
    )
    parse.add_argument("--seed", type=int, default=api.DEFAULT_SEED, help="random seed")
    parse.add_argument("--epochs", type=int, metavar="N", help="training budget")
    parse.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE")
    parse.add_argument("--no-cache", action="store_true", help="never reuse a stored result")
    return parse


class ChangesView:
    """What a run changed since the one before it."""

    def __init__(self, changes: Changes) -> None:
        self.changes = changes

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        changes = self.changes
        delta = changes.score_after - changes.score_before
        yield Text("Since the last run", style="bold")
        if not (changes.newly_passed or changes.newly_broken or changes.moved):
            yield Text(f"  no check changed (score {changes.score_after:g})", style="dim")
            return
        for check in changes.newly_passed:
            yield Text.assemble(("  ✔ now passing  ", "green"), check.title)
        for check in changes.newly_broken:
            yield Text.assemble(("  ✘ newly broken  ", "red"), check.title)
        for was, check in changes.moved:
            now, style = LABELS[check.status]
            yield Text.assemble((f"  {now} (was {LABELS[was][0]})  ", style), check.title)
        yield Text(
            f"  score {changes.score_before:g} → {changes.score_after:g} ({delta:+g})",
            style="green" if delta >= 0 else "red",
        )


class ConsoleView:
    """Clears the terminal and redraws the scorecard after each run."""

    def __init__(self, console: Console, watched: str) -> None:
        self.console = console
        self.watched = watched

    def grading(self, reason: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.console.print(f"[cyan]⟳ {reason}…[/] [dim]{stamp}[/]", highlight=False)

    def finished(self, result: RunResult, changes: Changes | None) -> None:
        self.console.clear()
        self.console.print(Scorecard(result))
        if changes is not None:
            self.console.print()
            self.console.print(ChangesView(changes))
        self.console.print(
            f"\n[dim]Watching {self.watched}: save it to re-grade, Ctrl-C to stop.[/]",
            highlight=False,
        )

    def stopped(self) -> None:
        self.console.print("Stopped watching.")


def run(argv: list[str], console: Console) -> int:
    args = parser().parse_args(argv)
    errors = Console(stderr=True)
    try:
        lesson = lessons.get(args.lesson)
        limits = lesson.call_limits.with_overrides(dict(item.split("=", 1) for item in args.limit))
    except (lessons.UnknownLesson, ValueError) as exc:
        errors.print(f"[red]error:[/] {exc}")
        return EXIT_USAGE
    if args.epochs is not None and args.epochs < 1:
        errors.print("[red]error:[/] --epochs must be at least 1")
        return EXIT_USAGE
    submission = args.submission or Path(lesson.exercise)
    if not submission.is_file():
        errors.print(f"[red]error:[/] no file {submission}. Name your file with --submission.")
        return EXIT_USAGE
    options = api.Options(seed=args.seed, epochs=args.epochs, limits=limits)
    view = ConsoleView(console, api.display_name(submission))
    watcher = Watcher(
        lesson.id,
        submission,
        options,
        view,
        use_cache=not args.no_cache,
        record_in=selfstudy.course_folder(),
    )
    watcher.run()
    return EXIT_PASSED
