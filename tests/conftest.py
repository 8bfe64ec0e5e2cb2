"""Shared helpers for the grader's own tests.

Grading runs cost a TensorFlow start (about 3 s) plus training, so the
reference and the untouched stubs are graded once per test session and shared.
Tests that are not about accuracy grade with a small training budget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader import api, variants
from grader.limits import Limits
from grader.results import CheckResult, RunResult, Status

ROOT = Path(__file__).resolve().parents[1]
# Lessons that draw held-out data from a fresh seed per run (8, 9) take this one in tests, so
# that goldens are stable; the learner process never sees the variable.
os.environ.setdefault("GRADER_HELDOUT_SEED", "1")
SMALL_BUDGET = 20
"""Epochs for runs whose tests are not about accuracy (full budget: 500)."""
LESSON1_CHECKS = (
    "returns_a_model",
    "architecture",
    "compiled",
    "training",
    "learned_weights",
    "predicts_boiling_point",
    "predict_uses_the_model",
)
"""Lesson 1's check ids, in the order they run."""


def grader(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    columns: int = 80,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``python -m grader ARGS`` as a user runs it from ``cwd``: no colour, fixed width."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "COLUMNS": str(columns),
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the expected scorecards and JSON under tests/cases/ from this run",
    )


def grade_source(
    folder: Path,
    source: str,
    *,
    epochs: int | None = SMALL_BUDGET,
    seed: int = api.DEFAULT_SEED,
    limits: Limits | None = None,
    name: str = "submission.py",
    lesson: str = "lesson1",
    sandbox: str | None = "off",
) -> RunResult:
    """Write ``source`` (dedented) to ``folder/name`` and grade it for ``lesson``.

    Unsandboxed by default: the fault tests watch learner processes from outside (pid files
    in ``folder``); tests/test_sandbox.py grades sandboxed, and so do the goldens."""
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    options = api.Options(seed=seed, epochs=epochs, limits=limits, sandbox=sandbox)
    return api.grade(lesson, path, options)


def check(result: RunResult, check_id: str) -> CheckResult:
    """The verdict of one check, by id."""
    for verdict in result.checks:
        if verdict.id == check_id:
            return verdict
    raise KeyError(f"no check {check_id!r} in {[c.id for c in result.checks]}")


def failure_message(
    result: RunResult, check_id: str, statuses: tuple[Status, ...] = (Status.FAILED,)
) -> str:
    """The message of a check that must have failed (or ended in one of ``statuses``)."""
    verdict = check(result, check_id)
    assert verdict.status in statuses, (check_id, verdict.status, verdict.message)
    return verdict.message or ""


def passed(result: RunResult, *check_ids: str) -> None:
    """Each of ``check_ids`` passed."""
    for check_id in check_ids:
        verdict = check(result, check_id)
        assert verdict.status is Status.PASSED, (check_id, verdict.status, verdict.message)


class SharedResults:
    """Each lesson's reference (at the full budget) or stubs, graded at most once per session."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.results: dict[str, RunResult] = {}

    def get(self, lesson: str) -> RunResult:
        if lesson not in self.results:
            self.results[lesson] = api.grade(lesson, ROOT / self.folder / f"{lesson}.py")
        return self.results[lesson]


CASES = ROOT / "tests" / "cases"
BUILT_CASES = ROOT / "build" / "cases"
"""Where a case written as a patch is made into the file the grader grades (git ignores it)."""


def case_file(lesson: str, path: Path) -> Path:
    """A case's submission as a file to grade: ``path`` itself, or for a ``.patch`` (the
    reference with one mistake) the lesson's reference with it applied, under build/cases/."""
    if path.suffix != variants.SUFFIX:
        return path
    out = BUILT_CASES / path.relative_to(CASES).with_suffix(".py")
    return variants.materialise(path, ROOT / "solutions" / f"{lesson}.py", out)


class CaseResults:
    """Each golden case under tests/cases/ graded at most once per session, as its
    ``case.json`` says, from the course folder (paths in tracebacks are relative to it).

    The goldens and the lessons' own tests read the same runs instead of grading the
    same wrong submission twice."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], RunResult] = {}

    def get(self, lesson: str, case: str) -> RunResult:
        if (lesson, case) not in self.results:
            folder = CASES / lesson / case
            spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
            before = Path.cwd()
            os.chdir(ROOT)
            try:
                options = api.Options(epochs=spec["epochs"])
                submission = case_file(lesson, folder / spec["submission"])
                result = api.grade(lesson, submission, options)
            finally:
                os.chdir(before)
            self.results[(lesson, case)] = result
        return self.results[(lesson, case)]


CASE_RESULTS = CaseResults()
"""The session's golden-case runs (module-level: test modules import it)."""


@pytest.fixture(scope="session")
def reference_results() -> SharedResults:
    """``reference_results.get(lesson)``: the reference solution at the calibrated budget."""
    return SharedResults("solutions")


@pytest.fixture(scope="session")
def stubs_results() -> SharedResults:
    """``stubs_results.get(lesson)``: the untouched exercise graded."""
    return SharedResults("exercises")


@pytest.fixture(scope="session")
def reference_result(reference_results: SharedResults) -> RunResult:
    """Lesson 1's reference solution graded at the full, calibrated budget."""
    return reference_results.get("lesson1")


@pytest.fixture(scope="session")
def stubs_result(stubs_results: SharedResults) -> RunResult:
    """Lesson 1's untouched exercise graded."""
    return stubs_results.get("lesson1")


REFERENCE = (ROOT / "solutions" / "lesson1.py").read_text(encoding="utf-8")
"""The reference source; tests derive wrong submissions from it by small replacements."""


def variant(*replacements: tuple[str, str], reference: str = REFERENCE) -> str:
    """The reference with each ``(old, new)`` replaced once; fails if ``old`` is absent."""
    source = reference
    for old, new in replacements:
        assert old in source, f"{old!r} is not in the reference solution"
        source = source.replace(old, new, 1)
    return source
