"""``python -m grader``: argument parsing only; the work is in ``grader.api``.

Exit codes: 0 every check passed; 1 some check did not pass; 2 a usage error
(unknown lesson, missing file) or a fault of the grader itself.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from grader import __version__, api, commands, lessons
from grader.classroom import batch, instructor, submissions
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.learner import sandbox
from grader.outputs import gradescope
from grader.outputs.live import LiveGrading
from grader.selfstudy.cache import grade_here


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
    run_options(parse)
    instructor_options(parse)
    parse.add_argument(
        "--no-cache",
        action="store_true",
        help="grade afresh even if this exact file was graded before (results are cached)",
    )
    return parse


def run_options(parse: argparse.ArgumentParser) -> None:
    """How to grade: seed, budget, limits, sandbox, and where the JSON goes."""
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
        help="raise a limit for this run: import, call, train (seconds); output, memory, "
        "file_size, source (bytes, or 512M, 2G); processes (a count)",
    )
    parse.add_argument(
        "--sandbox",
        choices=sandbox.MODES,
        help="run your code under bubblewrap: auto (when it works here), required, off "
        "(default: required with --batch or in CI, else auto)",
    )


def instructor_options(parse: argparse.ArgumentParser) -> None:
    """Course CI: report formats, private checks, pass mark, batch grading (README)."""
    group = parse.add_argument_group("for instructors")
    group.add_argument("--junit-xml", type=Path, metavar="PATH", help="write JUnit XML")
    group.add_argument(
        "--gradescope", type=Path, metavar="PATH", help="write Gradescope's results.json"
    )
    group.add_argument(
        "--visibility",
        choices=gradescope.VISIBILITIES,
        default=gradescope.DEFAULT_VISIBILITY,
        help="when Gradescope shows the tests to learners (default %(default)s)",
    )
    group.add_argument("--checks", type=Path, metavar="DIR", help="run these checks instead")
    group.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write an HTML page with the scorecard and figures (batch: DIR/NAME/ each)",
    )
    group.add_argument(
        "--pass-mark",
        type=instructor.pass_mark,
        metavar="SHARE",
        help="exit 0 when the score is at least this share of the points, e.g. 0.8",
    )
    group.add_argument("--batch", metavar="GLOB", help="grade every submission GLOB matches")
    group.add_argument("--jobs", type=int, default=1, metavar="N", help="batch: N at a time")
    group.add_argument(
        "--out", type=Path, default=Path("reports"), metavar="DIR", help="batch: reports here"
    )
    group.add_argument(
        "--shard", type=submissions.shard, metavar="K/N", help="batch: grade the K-th of N slices"
    )


def batch_conflict(args: argparse.Namespace) -> str | None:
    """What is wrong with combining these options, or ``None``."""
    single = [
        f for f in ("submission", "solution", "json", "junit_xml", "gradescope") if getattr(args, f)
    ]
    if args.batch and single:
        flag = "--" + single[0].replace("_", "-")
        return f"--batch writes one JSON per submission in --out; it cannot take {flag}"
    if not args.batch and args.shard:
        return "--shard needs --batch"
    if args.jobs < 1:
        return "--jobs must be at least 1"
    return None


def list_lessons(console: Console) -> int:
    for lesson in lessons.LESSONS.values():
        console.print(f"[bold]{lesson.id}[/]  {lesson.title}\n         {lesson.summary}")
    return EXIT_PASSED


class UsageError(ValueError):
    """The command line asks for something that cannot be done; exit code 2."""


def prepare(args: argparse.Namespace) -> tuple[lessons.Lesson, api.Options]:
    """The lesson and the grading options the arguments ask for; ``UsageError`` if wrong."""
    if not args.lesson:
        raise UsageError("Name a lesson to grade, e.g. python -m grader lesson1, or use --list.")
    try:
        lesson = lessons.get(args.lesson)
        checks = instructor.private_checks(args.checks, lesson.id) if args.checks else None
        if problem := batch_conflict(args):
            raise UsageError(problem)
        options = api.Options.from_arguments(args, lesson, checks)
    except (lessons.UnknownLesson, ValueError) as exc:
        raise UsageError(str(exc)) from None
    mode = args.sandbox or ("required" if args.batch else sandbox.default_mode())
    if refusal := sandbox.decide(mode).refusal:
        raise UsageError(refusal)
    return lesson, replace(options, sandbox=mode)


def main(argv: list[str] | None = None, console: Console | None = None) -> int:
    # Pinned to the real stdout: grading redirects sys.stdout while pytest runs.
    console = console or Console(file=sys.stdout)
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in commands.COMMANDS:
        return commands.COMMANDS[argv[0]](argv[1:], console)
    parse = parser()
    args = parse.parse_args(argv)
    if args.list:
        return list_lessons(console)
    try:
        lesson, options = prepare(args)
    except UsageError as exc:
        if not args.lesson:
            parse.print_usage(sys.stderr)
        Console(stderr=True).print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    if args.batch:
        assert options.limits is not None
        settings = batch.settings(
            options, options.limits, args.out, args.jobs, args.pass_mark, args.report
        )
        return batch.grade_class(lesson.id, args.batch, settings, console, args.shard)
    return grade_one(lesson, options, args, console)


def grade_one(
    lesson: lessons.Lesson, options: api.Options, args: argparse.Namespace, console: Console
) -> int:
    """Grade one submission, show its scorecard, write the files asked for."""
    submission = submission_path(lesson, args)
    if submission is None or not submission.is_file():
        where = submission or lesson.solution
        Console(stderr=True).print(
            f"[red]error:[/] no file {where}. Run this from the course folder, "
            "or name your file with --submission PATH."
        )
        return EXIT_USAGE
    with LiveGrading(console, lesson.id) as live:
        result = grade_here(
            lesson.id,
            submission,
            replace(options, progress=live.update),
            reference=args.solution,
            use_cache=not args.no_cache,
        )
    instructor.show(result, console, submission=submission)
    outputs = instructor.Outputs(
        args.json, args.junit_xml, args.gradescope, args.visibility, report=args.report
    )
    instructor.write_files(result, outputs)
    return instructor.exit_code(result, args.pass_mark)


def submission_path(lesson: lessons.Lesson, args: argparse.Namespace) -> Path | None:
    if args.solution:
        return lessons.reference_solution(lesson)
    path = args.submission or Path(lesson.exercise)
    try:
        return submissions.find_submission(path, lesson.id)  # a folder: the file in it
    except submissions.NoSubmission:
        return path
