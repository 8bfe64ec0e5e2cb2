"""What an instructor adds to a grading run: private checks, a pass mark, CI outputs.

The CLI calls these; tests call them directly.  Each output is written by its
renderer in ``grader/outputs/``; this module only decides which ones a run asked for.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from grader.exitcodes import EXIT_FAILED, EXIT_PASSED, EXIT_USAGE
from grader.outputs import github, gradescope, html_report, json_report, junit
from grader.outputs.gradescope import DEFAULT_VISIBILITY
from grader.outputs.scorecard import Scorecard
from grader.results import RunResult, RunStatus


class BadChecksDir(ValueError):
    """``--checks`` names a folder with no checks for the lesson."""


def private_checks(folder: Path, lesson: str) -> Path:
    """The checks folder to run: ``folder/LESSON/`` if there is one, else ``folder`` itself."""
    for candidate in (folder / lesson, folder):
        if candidate.is_dir() and any(candidate.glob("test_*.py")):
            return candidate.resolve()
    raise BadChecksDir(
        f"no checks for {lesson} in {folder}: expected {folder / lesson}/test_*.py "
        f"or {folder}/test_*.py"
    )


def pass_mark(text: str) -> float:
    """``--pass-mark``: a share of the points, 0.8 or 80%."""
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    if not 0 < value <= 1:
        raise ValueError(f"the pass mark must be between 0 and 1 (or 1% and 100%), got {text}")
    return value


def exit_code(result: RunResult, mark: float | None = None) -> int:
    """0 passed, 1 not passed, 2 the grader could not grade.

    Without a pass mark, passing means every check passed; with one, a score of
    at least ``mark`` of the points.
    """
    if result.status is RunStatus.ERROR:
        return EXIT_USAGE
    if mark is None:
        return EXIT_PASSED if result.status is RunStatus.PASSED else EXIT_FAILED
    return EXIT_PASSED if result.share >= mark - 1e-9 else EXIT_FAILED


@dataclass(frozen=True)
class Outputs:
    """The report files a run was asked to write."""

    json: Path | None = None
    junit_xml: Path | None = None
    gradescope: Path | None = None
    visibility: str = DEFAULT_VISIBILITY
    """Gradescope visibility of every test."""
    report: Path | None = None
    """Folder for the HTML page with the scorecard and the run's figures."""


def write_files(result: RunResult, outputs: Outputs) -> None:
    """Write every report file asked for, each atomically."""
    if outputs.json:
        json_report.write(result, outputs.json)
    if outputs.junit_xml:
        junit.write(result, outputs.junit_xml)
    if outputs.gradescope:
        gradescope.write(result, outputs.gradescope, outputs.visibility)
    if outputs.report:
        html_report.write(result, outputs.report)


def in_github_actions(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def definitions_of(submission: Path) -> dict[str, int]:
    """The submission's function lines, for annotations (parsed, never run)."""
    if submission.suffix != ".py":
        return {}
    try:
        return github.function_lines(submission.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return {}


def show(
    result: RunResult,
    console: Console,
    environ: Mapping[str, str] | None = None,
    submission: Path | None = None,
) -> None:
    """Print the scorecard; in GitHub Actions also the summary, annotations and score notice."""
    environ = os.environ if environ is None else environ
    if not in_github_actions(environ):
        console.print(Scorecard(result))
        return
    token = github.new_token()
    console.out(f"::stop-commands::{token}", highlight=False)
    console.print(Scorecard(result))
    console.out(f"::{token}::", highlight=False)
    if result.output:
        console.out("::group::What your code printed", highlight=False)
        console.out(github.inert(result.output, github.new_token()), highlight=False, end="")
        console.out("::endgroup::", highlight=False)
    definitions = definitions_of(submission) if submission else {}
    for line in github.annotations(result, definitions):
        console.out(line, highlight=False)
    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with contextlib.suppress(OSError), open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(github.summary(result) + "\n")
