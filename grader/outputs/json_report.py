"""The JSON report (schema version 1): the contract for course CI.

Keys and meanings of schema version 1 stay as they are; new keys may be added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.files import write_atomic
from grader.results import SCHEMA_VERSION, CheckResult, RunResult


def _check(check: CheckResult) -> dict[str, Any]:
    return {
        "id": check.id,
        "title": check.title,
        "status": check.status.value,
        "points": check.points,
        "max_points": check.max_points,
        "message": check.message,
        "hint": check.hint,
        "duration_s": check.duration_s,
        "details": check.details,
        "metrics": dict(check.metrics),
    }


def to_dict(result: RunResult) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "grader_version": result.grader_version,
        "lesson": result.lesson,
        "title": result.title,
        "submission": result.submission,
        "seed": result.seed,
        "status": result.status.value,
        "score": result.score,
        "max_score": result.max_score,
        "duration_s": result.duration_s,
        "message": result.message,
        "checks": [_check(check) for check in result.checks],
        "notes": list(result.notes),
        "output": result.output,
    }


def dumps(result: RunResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def write(result: RunResult, path: Path) -> None:
    """Write the report to ``path`` atomically."""
    write_atomic(path, dumps(result))
