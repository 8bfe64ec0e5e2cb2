"""Calibration: grade one submission under many seeds and summarise its metrics.

Thresholds are set from these figures (DEVELOPERS.md: calibrated, not guessed).
Each seed is a separate ``python -m grader`` run, so runs can go in parallel.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SeedRun:
    """One seed's grading run."""

    seed: int
    """The seed."""
    score: float
    """Points scored."""
    max_score: float
    """Points available."""
    failed: tuple[str, ...]
    """Ids of the checks that did not pass."""
    metrics: dict[str, float]
    """Every metric the checks recorded, by name."""


@dataclass(frozen=True)
class MetricSummary:
    """One metric across seeds."""

    name: str
    low: float
    median: float
    high: float


def grade_seed(lesson: str, submission: Path, seed: int, extra: Sequence[str]) -> SeedRun:
    """Run the grader on ``submission`` with ``seed`` in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "result.json"
        command = [sys.executable, "-m", "grader", lesson, "--submission", str(submission)]
        command += ["--seed", str(seed), "--json", str(report), *extra]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if not report.is_file():
            return SeedRun(seed, 0.0, 0.0, ("(no report)",), {})
        data = json.loads(report.read_text())
    metrics = {
        name: float(value) for check in data["checks"] for name, value in check["metrics"].items()
    }
    failed = tuple(check["id"] for check in data["checks"] if check["status"] != "passed")
    return SeedRun(seed, data["score"], data["max_score"], failed, metrics)


def run(
    lesson: str,
    submission: Path,
    seeds: Sequence[int],
    jobs: int = 1,
    extra: Sequence[str] = (),
    done: Callable[[SeedRun], None] | None = None,
) -> list[SeedRun]:
    """Grade ``submission`` once per seed, ``jobs`` at a time, in seed order."""

    def one(seed: int) -> SeedRun:
        result = grade_seed(lesson, submission, seed, extra)
        if done is not None:
            done(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, seeds))


def summarise(runs: Sequence[SeedRun]) -> list[MetricSummary]:
    """Min, median and max of every metric, in the order the checks record them."""
    names = list(dict.fromkeys(name for run in runs for name in run.metrics))
    summaries = []
    for name in names:
        values = [run.metrics[name] for run in runs if name in run.metrics]
        summaries.append(MetricSummary(name, min(values), statistics.median(values), max(values)))
    return summaries


def figure(value: float) -> str:
    """A metric for a table: whole numbers in full (101770), others to 4 significant digits."""
    return f"{value:.0f}" if value.is_integer() and abs(value) < 1e9 else f"{value:.4g}"


def markdown(lesson: str, submission: str, runs: Sequence[SeedRun], command: str) -> str:
    """A Markdown section for docs/calibration.md."""
    full = sum(run.score == run.max_score and run.max_score > 0 for run in runs)
    lines = [
        f"### {lesson}: `{submission}` over {len(runs)} seeds",
        "",
        f"Command: `{command}`",
        "",
        f"Full marks in {full} of {len(runs)} runs.",
        "",
        "| metric | min | median | max |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {m.name} | {figure(m.low)} | {figure(m.median)} | {figure(m.high)} |"
        for m in summarise(runs)
    ]
    failing = [f"seed {run.seed}: {', '.join(run.failed)}" for run in runs if run.failed]
    if failing:
        lines += ["", "Checks not passed: " + "; ".join(failing) + "."]
    return "\n".join(lines) + "\n"
