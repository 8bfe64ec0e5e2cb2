"""``python -m grader solution LESSON``: the reference, after a confirmation."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from rich.console import Console
from rich.prompt import Confirm
from rich.syntax import Syntax
from rich.text import Text

from grader import lessons
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.selfstudy import hints as selfstudy

NO_TERMINAL = "Not shown: there is no terminal to confirm on. Pass --yes to show the solution."
DECLINED = "Not shown. A hint may be all you need: python -m grader hint {lesson}"


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader solution",
        description="Show the lesson's reference solution (it asks first).",
    )
    parse.add_argument("lesson", help="the lesson, e.g. lesson1")
    parse.add_argument("--yes", action="store_true", help="show it without asking")
    return parse


def where_you_stand(lesson: lessons.Lesson) -> Text:
    """Which checks the learner's latest run did not pass, from the course's progress."""
    latest = selfstudy.latest_run(lesson.id, selfstudy.course_folder())
    if latest is None:
        return Text(f"You have not graded {lesson.id} yet.", style="yellow")
    if latest.result.not_started:
        return Text(f"You have not started {lesson.id} yet (every function is a stub).", "yellow")
    open_checks = [check for check in latest.result.checks if not check.passed]
    if not open_checks:
        return Text(f"Your latest run passed every check of {lesson.id}.", style="green")
    text = Text(f"Your latest run has not passed {len(open_checks)} check(s) yet:\n", "yellow")
    for check in open_checks:
        text.append(f"  • {check.id}", style="bold").append(f" · {check.title}\n")
    return text


def run(argv: list[str], console: Console, stdin: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    errors = Console(stderr=True)
    try:
        lesson = lessons.get(args.lesson)
    except lessons.UnknownLesson as exc:
        errors.print(f"[red]error:[/] {exc}")
        return EXIT_USAGE
    path = lessons.reference_solution(lesson)
    if path is None:
        errors.print(f"[red]error:[/] the reference {lesson.solution} is not installed here.")
        return EXIT_USAGE
    console.print(where_you_stand(lesson))
    stdin = stdin or sys.stdin
    if not args.yes:
        if not stdin.isatty():
            errors.print(NO_TERMINAL)
            return EXIT_PASSED
        question = f"Show the reference solution for {lesson.id}?"
        if not Confirm.ask(question, console=console, default=False, stream=stdin):
            console.print(DECLINED.format(lesson=lesson.id))
            return EXIT_PASSED
    source = path.read_text(encoding="utf-8")
    console.print(Text(f"Reference solution: {lesson.solution}", style="bold"))
    console.print(Syntax(source, "python", line_numbers=True, word_wrap=True))
    return EXIT_PASSED
