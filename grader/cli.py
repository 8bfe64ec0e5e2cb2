"""``python -m grader``: argument parsing only; the work is in ``grader.api``.

Exit codes: 0 every check passed; 1 some check did not pass; 2 a usage error
(unknown lesson, missing file) or a fault of the grader itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from grader import __version__, api, calibrate, lessons
from grader.live import LiveGrading
from grader.render import json_report
from grader.render.scorecard import Scorecard
from grader.results import RunStatus

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade your work for the course Intro to TensorFlow for Deep Learning.",
    )
    parse.add_argument("lesson", nargs="?", help="the lesson to grade, e.g. lesson1")
    parse.add_argument("--list", action="store_true", help="list the lessons and exit")
    parse.add_argument("--version", action="version", version=f"grader {__version__}")
    source = parse.add_mutually_exclusive_group()
    source.add_argument(
        "--submission", type=Path, help="the file to grade (default: exercises/LESSON.py here)"
    )
    source.add_argument("--solution", action="store_true", help="grade the reference solution")
    parse.add_argument(
        "--seed", type=int, default=api.DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parse.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parse.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help="training budget (default: the lesson's calibrated budget)",
    )
    parse.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="raise a limit: import, call, train (seconds) or output (bytes)",
    )
    return parse


def list_lessons(console: Console) -> int:
    for lesson in lessons.LESSONS.values():
        console.print(f"[bold]{lesson.id}[/]  {lesson.title}\n         {lesson.summary}")
    return EXIT_PASSED


def calibrate_parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader calibrate",
        description="Grade a submission (the reference by default) under many seeds and print "
        "the min, median and max of every metric the checks record.",
    )
    parse.add_argument("lesson")
    parse.add_argument("--seeds", type=int, default=10, help="how many seeds (default 10)")
    parse.add_argument("--first-seed", type=int, default=1, help="the first seed (default 1)")
    parse.add_argument("--submission", type=Path, help="grade this instead of the reference")
    parse.add_argument("--jobs", type=int, default=1, help="runs at a time (default 1)")
    parse.add_argument("--epochs", type=int, metavar="N", help="training budget to calibrate")
    parse.add_argument("--markdown", type=Path, metavar="PATH", help="append the table here")
    return parse


def run_calibration(argv: list[str], console: Console) -> int:
    args = calibrate_parser().parse_args(argv)
    try:
        lesson = lessons.get(args.lesson)
    except lessons.UnknownLesson as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}")
        return EXIT_USAGE
    submission = args.submission or lessons.reference_solution(lesson)
    if submission is None or not submission.is_file():
        Console(stderr=True).print(f"[red]error:[/] no file {submission or lesson.solution}")
        return EXIT_USAGE
    extra = ["--epochs", str(args.epochs)] if args.epochs else []
    seeds = range(args.first_seed, args.first_seed + args.seeds)

    def done(run: calibrate.SeedRun) -> None:
        console.print(
            f"seed {run.seed}: {run.score:g}/{run.max_score:g} {run.metrics}", soft_wrap=True
        )

    runs = calibrate.run(lesson.id, submission, seeds, args.jobs, extra, done)
    command = "python -m grader calibrate " + " ".join(argv)
    table = calibrate.markdown(lesson.id, api.display_name(submission), runs, command)
    console.print(table, markup=False, highlight=False, soft_wrap=True)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as stream:
            stream.write("\n" + table)
    return EXIT_PASSED


COMMANDS = {"calibrate": run_calibration}


def main(argv: list[str] | None = None, console: Console | None = None) -> int:
    # Pinned to the real stdout: grading redirects sys.stdout while pytest runs.
    console = console or Console(file=sys.stdout)
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:], console)
    errors = Console(stderr=True)
    parse = parser()
    args = parse.parse_args(argv)
    if args.list:
        return list_lessons(console)
    if not args.lesson:
        parse.print_usage(sys.stderr)
        errors.print(
            "Name a lesson to grade, e.g. [bold]python -m grader lesson1[/], or use --list."
        )
        return EXIT_USAGE
    try:
        lesson = lessons.get(args.lesson)
        limits = lesson.limits.with_overrides(dict(item.split("=", 1) for item in args.limit))
    except (lessons.UnknownLesson, ValueError) as exc:
        errors.print(f"[red]error:[/] {exc}")
        return EXIT_USAGE
    if args.epochs is not None and args.epochs < 1:
        errors.print("[red]error:[/] --epochs must be at least 1")
        return EXIT_USAGE
    submission = submission_path(lesson, args)
    if submission is None or not submission.is_file():
        where = submission or lesson.solution
        errors.print(
            f"[red]error:[/] no file {where}. Run this from the course folder, "
            "or name your file with --submission PATH."
        )
        return EXIT_USAGE
    with LiveGrading(console, lesson.id) as live:
        options = api.Options(
            seed=args.seed, epochs=args.epochs, limits=limits, progress=live.update
        )
        result = api.grade(lesson.id, submission, options)
    console.print(Scorecard(result))
    if args.json:
        json_report.write(result, args.json)
    return {RunStatus.PASSED: EXIT_PASSED, RunStatus.FAILED: EXIT_FAILED}.get(
        result.status, EXIT_USAGE
    )


def submission_path(lesson: lessons.Lesson, args: argparse.Namespace) -> Path | None:
    if args.solution:
        return lessons.reference_solution(lesson)
    return args.submission or Path(lesson.exercise)
