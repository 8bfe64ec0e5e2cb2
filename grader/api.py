"""``grade()``: run a lesson's checks against a submission and return the result.

The scoring process (this one) runs pytest on the grader's own checks with its
configuration pinned: no ini file, conftest or plugin from the submission's
side is read.  Learner code runs only in the learner process (``learner/``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grader import __version__, lessons
from grader.checks import steps
from grader.grading.plugin import GraderPlugin, GradingContext
from grader.grading.progress import ProgressListener
from grader.learner import sandbox
from grader.learner.session import Learner
from grader.limits import Limits, short_name
from grader.notebooks import reading as notebook
from grader.results import RunResult

DEFAULT_SEED = 20240
CHECKS_INI = lessons.PACKAGE_DIR / "checks" / "pytest.ini"
PYTEST_VARIABLES = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD")


@dataclass(frozen=True)
class Options:
    """How to grade: everything a run can vary besides lesson and submission."""

    seed: int = DEFAULT_SEED
    """Random seed for the learner process."""
    epochs: int | None = None
    """Training budget; ``None`` is the lesson's calibrated budget."""
    limits: Limits | None = None
    """Limits for learner calls; ``None`` is the lesson's."""
    checks_dir: Path | None = None
    """Checks to run instead of the built-in ones."""
    progress: ProgressListener | None = field(default=None, compare=False)
    """Told how the learner's training is going, for a live display (called from a thread)."""
    display: str | None = None
    """How the scorecard names the submission; ``None`` is its path (``check()`` sets it)."""
    sandbox: str | None = None
    """``auto``, ``required`` or ``off`` (``learner/sandbox.py``); ``None``: ``required``
    when ``CI`` or ``GITHUB_ACTIONS`` is set, else ``auto``."""

    def arguments(self) -> list[str]:
        """The ``python -m grader`` arguments that grade with these options (batch workers,
        calibration runs); ``from_arguments`` reads them back."""
        args = ["--seed", str(self.seed)]
        args += ["--epochs", str(self.epochs)] if self.epochs else []
        args += ["--sandbox", self.sandbox] if self.sandbox else []
        for limit in dataclasses.fields(self.limits) if self.limits else ():
            if limit.name != "functions":  # a lesson's own, set again from its folder
                args += ["--limit", f"{short_name(limit.name)}={getattr(self.limits, limit.name)}"]
        return args + (["--checks", str(self.checks_dir)] if self.checks_dir else [])

    @classmethod
    def from_arguments(cls, args: Any, lesson: lessons.Lesson, checks_dir: Path | None) -> Options:
        """Options from parsed ``python -m grader`` arguments; ``ValueError`` says what is
        wrong (an unknown limit, a budget below one epoch)."""
        if args.epochs is not None and args.epochs < 1:
            raise ValueError("--epochs must be at least 1")
        overrides = dict(item.split("=", 1) for item in args.limit)
        limits = lesson.call_limits.with_overrides(overrides)
        return cls(args.seed, args.epochs, limits, checks_dir, sandbox=args.sandbox)


@contextlib.contextmanager
def _pinned_pytest_environment() -> Iterator[None]:
    """No PYTEST_* variable may change how the checks run; plugin autoload is off."""
    saved = {name: os.environ.pop(name) for name in PYTEST_VARIABLES if name in os.environ}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        os.environ.update(saved)


def run_checks(checks_dir: Path, plugin: GraderPlugin) -> tuple[int, str]:
    """Run pytest on ``checks_dir`` with ``plugin``; return its exit code and log."""
    args = [
        str(checks_dir),
        "-c",
        str(CHECKS_INI),
        f"--rootdir={checks_dir}",
        f"--confcutdir={checks_dir}",
        "--import-mode=importlib",
        "--assert=plain",
        "--capture=no",
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    log = io.StringIO()
    with (
        _pinned_pytest_environment(),
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
    ):
        code = pytest.main(args, plugins=[plugin, steps])
    return int(code), log.getvalue()


def display_name(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def grade(lesson_id: str, submission: Path, options: Options | None = None) -> RunResult:
    """Grade ``submission`` for ``lesson_id``; raises only for a lesson or file that isn't there."""
    options = options or Options()
    lesson = lessons.get(lesson_id)
    if not submission.is_file():
        raise FileNotFoundError(f"no submission file at {submission}")
    started = time.monotonic()
    display = options.display or display_name(submission)
    checks_dir = options.checks_dir or lesson.checks_dir
    result = RunResult(
        lesson=lesson.id,
        title=lesson.title,
        submission=display,
        seed=options.seed,
        grader_version=__version__,
    )
    isolation = sandbox.decide(options.sandbox)
    if isolation.refusal:
        return dataclasses.replace(result, fault=isolation.refusal)
    if not checks_dir.is_dir():  # a grader fault: no learner process is started for it
        fault = f"the grader's checks for {lesson.id} are missing: no folder {checks_dir}"
        return dataclasses.replace(result, fault=fault)
    graded = _run(result, lesson, submission, checks_dir, options, isolation)
    return dataclasses.replace(graded, duration_s=round(time.monotonic() - started, 3))


def pytest_faults(code: int, log: str) -> list[str]:
    """A pytest run that stopped for another reason than checks failing is the grader's fault."""
    if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return []
    return [f"pytest stopped with exit code {code}:\n{log[-2000:]}"]


def reduced_budget(epochs: int, calibrated: int) -> str:
    """The note on a run graded with another budget than the calibrated one."""
    return (
        f"Training budget reduced to {epochs} epoch{'s' if epochs != 1 else ''} "
        f"(calibrated for {calibrated}); "
        "thresholds may not hold."
    )


def _run(
    result: RunResult,
    lesson: lessons.Lesson,
    submission: Path,
    checks_dir: Path,
    options: Options,
    isolation: sandbox.Decision,
) -> RunResult:
    """Start the learner process, run the checks, and complete ``result`` with what they
    found."""
    display, epochs = result.submission, options.epochs or lesson.epochs
    context = GradingContext(lesson.id, options.seed, epochs, epochs == lesson.epochs)
    # A notebook is graded as the module it makes, written to a temporary file.
    with notebook.prepared(submission.resolve(), display) as module:
        learner = Learner(
            module.path,
            display,
            options.seed,
            options.limits or lesson.call_limits,
            on_progress=options.progress,
            line_map=list(module.line_map or []),
            problem=module.problem,
            sandboxed=isolation.sandboxed,
        )
        learner.start()  # TensorFlow loads while pytest starts
        plugin = GraderPlugin(learner, context)
        try:
            code, log = run_checks(checks_dir, plugin)
        finally:
            learner.close()
    faults = plugin.faults or pytest_faults(code, log)
    budget = () if context.full_budget else (reduced_budget(epochs, lesson.epochs),)
    notes = (*budget, *module.notes, *learner.load_notes)
    return dataclasses.replace(
        result,
        checks=tuple(plugin.results),
        fault="\n".join(faults) or None,
        notes=notes + ((isolation.note,) if isolation.note else ()),
        output=learner.output.text(),
    )
