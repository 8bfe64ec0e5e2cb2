"""``python -m grader notebook LESSON``: the exercise notebook, generated from its module."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader.notebooks.export import exercise_module, export


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m grader notebook",
        description="Write the exercise notebook for a lesson, generated from exercises/LESSON.py.",
    )
    parse.add_argument("lesson", help="the lesson, e.g. lesson1")
    parse.add_argument(
        "--out", type=Path, metavar="PATH", help="where to write it (default: beside the module)"
    )
    return parse


def run(argv: list[str], console: Console) -> int:
    """The ``notebook`` subcommand; returns the exit code."""
    args = parser().parse_args(argv)
    module = exercise_module(args.lesson)
    if module is None:
        Console(stderr=True).print(
            f"[red]error:[/] no exercises/{args.lesson}.py here or beside the grader."
        )
        return 2
    out = export(module, args.lesson, args.out or module.with_suffix(".ipynb"))
    console.print(f"Wrote {out} from {module}.", highlight=False)
    return 0
