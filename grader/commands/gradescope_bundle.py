"""``python -m grader gradescope-bundle LESSON``: build the autograder zip Gradescope takes."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader import lessons
from grader.classroom.gradescope_bundle import build
from grader.exitcodes import EXIT_PASSED, EXIT_USAGE
from grader.outputs.gradescope import VISIBILITIES


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader gradescope-bundle",
        description="Build the autograder zip for a Gradescope programming assignment.",
    )
    parse.add_argument("lesson")
    parse.add_argument("--out", type=Path, metavar="ZIP", help="default: autograder-LESSON.zip")
    parse.add_argument("--checks", type=Path, metavar="DIR", help="private checks to include")
    parse.add_argument(
        "--visibility",
        choices=VISIBILITIES,
        default="after_published",
        help="when learners see the checks (default %(default)s)",
    )
    return parse


def run(argv: list[str], console: Console) -> int:
    args = parser().parse_args(argv)
    out = args.out or Path(f"autograder-{args.lesson}.zip")
    try:
        build(args.lesson, out, args.checks, args.visibility)
    except (lessons.UnknownLesson, ValueError, OSError) as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    console.print(
        f"Wrote {out}: upload it in Gradescope under Configure Autograder "
        "(steps: docs/gradescope/README.md).",
        markup=False,
        highlight=False,
    )
    return EXIT_PASSED
