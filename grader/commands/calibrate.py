"""``python -m grader calibrate LESSON``: grade one submission under many seeds."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader import api, lessons, variants
from grader.classroom import calibrate
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader calibrate",
        description="Grade a submission (the reference by default) under many seeds and print "
        "the min, median and max of every metric the checks record.",
    )
    parse.add_argument("lesson")
    parse.add_argument("--seeds", type=int, default=10, help="how many seeds (default 10)")
    parse.add_argument("--first-seed", type=int, default=1, help="the first seed (default 1)")
    parse.add_argument(
        "--submission",
        type=Path,
        help="grade this instead of the reference: a .py file, or a .patch to the reference",
    )
    parse.add_argument("--jobs", type=int, default=1, help="runs at a time (default 1)")
    parse.add_argument("--epochs", type=int, metavar="N", help="training budget to calibrate")
    parse.add_argument("--markdown", type=Path, metavar="PATH", help="append the table here")
    return parse


def run(argv: list[str], console: Console) -> int:
    args = parser().parse_args(argv)
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

    with tempfile.TemporaryDirectory(prefix="grader-variant-") as folder:
        try:
            graded = _patched(submission, lesson, Path(folder))
        except variants.VariantError as exc:
            Console(stderr=True).print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            return EXIT_USAGE
        runs = calibrate.run(lesson.id, graded, seeds, args.jobs, extra, done)
    command = "python -m grader calibrate " + " ".join(argv)
    table = calibrate.markdown(lesson.id, api.display_name(submission), runs, command)
    console.print(table, markup=False, highlight=False, soft_wrap=True)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as stream:
            stream.write("\n" + table)
    return EXIT_PASSED


def _patched(submission: Path, lesson: lessons.Lesson, folder: Path) -> Path:
    """``submission`` itself, or the reference with it applied when it is a ``.patch``."""
    reference = lessons.reference_solution(lesson)
    if submission.suffix != variants.SUFFIX or reference is None:
        return submission
    return variants.materialise(submission, reference, folder / f"{submission.stem}.py")
