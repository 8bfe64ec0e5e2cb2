"""Golden outputs: each case's scorecard (80 columns, no colour) and JSON report.

A case is a folder under tests/cases/<lesson>/ with ``case.json`` (which file to
grade and with what budget), optionally ``submission.py`` or ``submission.patch`` (the
reference with one mistake, ``grader/variants.py``), and the expected
``scorecard.txt`` and ``result.json``. Timings and the learner's printed output
are left out; the submission is named by its case-relative path.
Regenerate with ``python -m pytest tests/test_goldens.py --update-goldens``.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from grader import lessons
from grader.outputs import json_report
from grader.outputs.scorecard import Scorecard
from grader.results import RunResult
from tests.conftest import CASE_RESULTS, ROOT

CASES = sorted((ROOT / "tests" / "cases").glob("*/*/case.json"))


def comparable(result: RunResult, submission: str) -> RunResult:
    """The result without what varies from run to run."""
    checks = tuple(dataclasses.replace(c, duration_s=0.0) for c in result.checks)
    return dataclasses.replace(
        result, checks=checks, duration_s=0.0, submission=submission, output=""
    )


def rounded(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.4g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def scorecard_text(result: RunResult) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None, force_terminal=False)
    console.print(Scorecard(result))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch, reference_results, stubs_results):
    monkeypatch.chdir(ROOT)  # paths in tracebacks are relative to where the grader runs

    def grade(case: Path) -> tuple[RunResult, str]:
        spec = json.loads(case.read_text())
        relative = spec["submission"].replace(".patch", ".py")
        lesson = lessons.get(case.parent.parent.name)
        shared = {lesson.solution: reference_results, lesson.exercise: stubs_results}
        if relative in shared and spec["epochs"] is None:
            return shared[relative].get(lesson.id), relative
        return CASE_RESULTS.get(lesson.id, case.parent.name), relative

    return grade


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_golden(case: Path, graded, request: pytest.FixtureRequest) -> None:
    result, submission = graded(case)
    result = comparable(result, submission)
    produced = {
        "scorecard.txt": scorecard_text(result),
        "result.json": json.dumps(rounded(json_report.to_dict(result)), indent=2) + "\n",
    }
    for name, text in produced.items():
        expected = case.parent / name
        if request.config.getoption("--update-goldens"):
            expected.write_text(text, encoding="utf-8")
        assert expected.is_file(), f"{expected} is missing: run with --update-goldens"
        assert text == expected.read_text(encoding="utf-8"), f"{name} differs from {expected}"
