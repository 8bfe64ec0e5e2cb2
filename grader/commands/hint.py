"""``python -m grader hint LESSON [CHECK]``: one hint level further each time it is asked."""

from __future__ import annotations

import argparse
import sqlite3

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.text import Text

from grader import lessons
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.selfstudy import hints as selfstudy

NOTHING_OPEN = "Your latest run of {lesson} passed every check: no hint needed."


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader hint",
        description="Show the next hint level for a check: a nudge first, then a pointed hint. "
        "Without CHECK, the first check your latest run did not pass.",
    )
    parse.add_argument("lesson", help="the lesson, e.g. lesson1")
    parse.add_argument("check", nargs="?", help="the check's id, as the scorecard's Hints name it")
    return parse


class HintView:
    """The hint levels reached for one check, the newest one stressed."""

    def __init__(self, lesson: str, step: selfstudy.HintStep) -> None:
        self.lesson = lesson
        self.step = step

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        spec, step = self.step.spec, self.step
        yield Text.assemble(("Hint for ", "bold"), (spec.id, "bold cyan"), f" · {spec.title}")
        for number, text in enumerate(step.shown, start=1):
            newest = number == step.level
            yield Text(f"  Level {number} of {len(spec.hints)}", style="bold" if newest else "dim")
            yield Padding(Text(text, style="" if newest else "dim"), (0, 0, 0, 4))
        if step.last:
            yield Text(
                "That is the last hint for this check. Still stuck? "
                f"python -m grader solution {self.lesson}",
                style="yellow",
            )
        else:
            yield Text(
                f"Ask again for a more pointed hint: python -m grader hint {self.lesson} {spec.id}",
                style="dim",
            )


def run(argv: list[str], console: Console) -> int:
    args = parser().parse_args(argv)
    errors = Console(stderr=True)
    try:
        lessons.get(args.lesson)
        step = selfstudy.next_hint(args.lesson, args.check, selfstudy.course_folder())
    except (lessons.UnknownLesson, selfstudy.UnknownCheck) as exc:
        errors.print(f"[red]error:[/] {exc}")
        return EXIT_USAGE
    except (OSError, sqlite3.Error) as exc:
        errors.print(f"[red]error:[/] could not remember the hint level in .grader/: {exc}")
        return EXIT_USAGE
    if step is None:
        console.print(NOTHING_OPEN.format(lesson=args.lesson))
        return EXIT_PASSED
    console.print(HintView(args.lesson, step))
    return EXIT_PASSED
