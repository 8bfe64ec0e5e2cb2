"""Every subcommand of ``python -m grader``, one module each with ``run(argv, console)``.

Argument parsing lives here; the work is in the sub-package the command is
about (classroom, selfstudy, notebooks). Grading a lesson itself is ``cli``.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

from grader.commands import (
    calibrate,
    gradescope_bundle,
    hint,
    merge,
    notebook,
    solution,
    status,
    watch,
)

COMMANDS: dict[str, Callable[[list[str], Console], int]] = {
    "calibrate": calibrate.run,
    "gradescope-bundle": gradescope_bundle.run,
    "hint": hint.run,
    "merge": merge.run,
    "notebook": notebook.run,
    "solution": solution.run,
    "status": status.run,
    "watch": watch.run,
}
"""Subcommand name → its ``run``."""
