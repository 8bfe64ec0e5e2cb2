"""Gradescope's ``results.json``: the autograder output format Gradescope reads.

Top level: ``score``, ``execution_time``, ``output`` and ``tests``; each test has
``name``, ``score``, ``max_score``, ``status`` (``passed``/``failed``), ``output``
and ``visibility``.  See docs/gradescope/README.md for the autograder files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from grader.files import write_atomic
from grader.outputs.scorecard import LABELS, points
from grader.results import CheckResult, RunResult

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
"""When learners see a test, as Gradescope names the choices."""
DEFAULT_VISIBILITY = "visible"


def _output(check: CheckResult) -> str:
    parts = [LABELS[check.status][0]]
    if check.message and not check.passed:
        parts.append(check.message)
    if check.details:
        parts.append(check.details)
    if check.hint and not check.passed:
        parts.append(f"Hint: {check.hint}")
    return "\n\n".join(parts)


def _test(number: int, check: CheckResult, visibility: str) -> dict[str, Any]:
    return {
        "name": check.title,
        "number": str(number),
        "score": check.points,
        "max_score": check.max_points,
        "status": "passed" if check.passed else "failed",
        "output": _output(check),
        "output_format": "text",
        "tags": [check.id],
        "visibility": visibility,
    }


def _summary(result: RunResult) -> str:
    lines = [
        f"{result.lesson} · {result.title}",
        f"Score {points(result.score)}/{points(result.max_score)} · seed {result.seed} · "
        f"grader {result.grader_version}",
    ]
    lines += [f"Note: {note}" for note in result.notes]
    if result.fault is not None:
        lines += ["", "The grader could not grade this submission (its fault, not yours):"]
        lines.append(result.fault)
    return "\n".join(lines)


def to_dict(result: RunResult, visibility: str = DEFAULT_VISIBILITY) -> dict[str, Any]:
    """The results as Gradescope's JSON; ``visibility`` applies to every test."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}")
    return {
        "score": result.score,
        "execution_time": math.ceil(result.duration_s),
        "output": _summary(result),
        "output_format": "text",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": [
            _test(number, check, visibility) for number, check in enumerate(result.checks, 1)
        ],
    }


def dumps(result: RunResult, visibility: str = DEFAULT_VISIBILITY) -> str:
    return json.dumps(to_dict(result, visibility), indent=2, ensure_ascii=False) + "\n"


def write(result: RunResult, path: Path, visibility: str = DEFAULT_VISIBILITY) -> None:
    """Write ``results.json`` to ``path`` atomically."""
    write_atomic(path, dumps(result, visibility))
