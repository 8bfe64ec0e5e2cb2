"""Joining the JSON reports of batch shards into one gradebook (``python -m grader merge``)."""

from __future__ import annotations

from pathlib import Path

from grader.classroom.reports import Report, join, load


def merge(paths: list[Path]) -> tuple[list[Report], list[str]]:
    """The reports in ``paths``, one per submission, and warnings about duplicates."""
    return join(load(path) for path in sorted(paths, key=str))
