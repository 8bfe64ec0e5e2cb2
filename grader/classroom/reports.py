"""A class's results: one JSON report per submission, read back and joined.

Batch grading writes ``OUT/NAME.json`` (the JSON report, schema version 1) for
every submission; ``python -m grader merge`` joins such files, from any number
of shards, into one gradebook.  A file that cannot be read still gets a row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Report:
    """One submission's row: its name and its JSON report."""

    name: str
    """The submission's name in the gradebook (its report file's stem)."""
    data: dict[str, Any] = field(default_factory=dict)
    """The JSON report; for an unreadable report, a minimal one with status ``error``."""

    @property
    def status(self) -> str:
        return str(self.data.get("status", "error"))

    @property
    def score(self) -> float:
        return _number(self.data.get("score"))

    @property
    def max_score(self) -> float:
        return _number(self.data.get("max_score"))

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def message(self) -> str:
        return str(self.data.get("message") or "")

    @property
    def checks(self) -> dict[str, float]:
        """Points per check id."""
        checks = self.data.get("checks")
        if not isinstance(checks, list):
            return {}
        return {
            str(check.get("id")): _number(check.get("points"))
            for check in checks
            if isinstance(check, dict)
        }


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def error_report(name: str, message: str, submission: str = "") -> Report:
    """A row for a submission whose grading produced no usable report."""
    return Report(
        name,
        {
            "status": "error",
            "submission": submission,
            "score": 0,
            "max_score": 0,
            "message": message,
            "checks": [],
        },
    )


REQUIRED = {"status": str, "score": (int, float), "max_score": (int, float), "checks": list}


def parse(name: str, text: str) -> Report:
    """A report from JSON text; anything that is not a report becomes an error row."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return error_report(name, f"the report is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return error_report(name, "the report is not a JSON object")
    wrong = [key for key, kind in REQUIRED.items() if not isinstance(data.get(key), kind)]
    if wrong:
        return error_report(name, f"the report lacks {', '.join(wrong)}")
    return Report(name, data)


def load(path: Path) -> Report:
    """The report in ``path``, named by the file's stem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return error_report(path.stem, f"could not read {path.name}: {exc}")
    return parse(path.stem, text)


def join(reports: Iterable[Report]) -> tuple[list[Report], list[str]]:
    """Reports in name order, one per name, and a warning for each duplicate dropped."""
    kept: dict[str, Report] = {}
    warnings = []
    for report in reports:
        if report.name in kept:
            warnings.append(f"{report.name} appears more than once; keeping the first")
            continue
        kept[report.name] = report
    return [kept[name] for name in sorted(kept)], warnings


def check_ids(reports: Sequence[Report]) -> list[str]:
    """Every check id, in the order the reports list them."""
    return list(dict.fromkeys(check for report in reports for check in report.checks))
