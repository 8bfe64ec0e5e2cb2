"""Benchmark: batch grading with ``--jobs 2`` against ``--jobs 1``.

Grades a class of N copies of the lesson 1 reference (in folders, as a class's
repositories would be) with ``python -m grader lesson1 --batch … --jobs J``,
alternating J = 1 and J = 2 so that both see the same machine, and prints each
run, the medians and the speed-up.  The load average is printed too: on a
shared machine the figure says as much about the neighbours as about the grader.

    python bench/batch.py [--submissions 8] [--runs 1] [--epochs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "lesson1.py"


def make_class(folder: Path, count: int) -> str:
    """``count`` submissions under ``folder``; the --batch pattern for them."""
    for number in range(1, count + 1):
        exercises = folder / f"learner{number:02}" / "exercises"
        exercises.mkdir(parents=True)
        shutil.copy(SOLUTION, exercises / "lesson1.py")
    return str(folder / "learner*")


def timed_batch(pattern: str, jobs: int, out: Path, epochs: int | None) -> float:
    command = [sys.executable, "-m", "grader", "lesson1", "--batch", pattern]
    command += ["--jobs", str(jobs), "--out", str(out)]
    command += ["--epochs", str(epochs)] if epochs else []
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=8, help="class size (default 8)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each (default 1)")
    parser.add_argument("--epochs", type=int, help="training budget (default: the lesson's)")
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], 2: []}
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        pattern = make_class(Path(folder) / "class", args.submissions)
        for run in range(1, args.runs + 1):
            for jobs in times:
                seconds = timed_batch(pattern, jobs, Path(folder) / f"out{jobs}", args.epochs)
                times[jobs].append(seconds)
                print(f"run {run}: --jobs {jobs}: {seconds:.1f} s", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    one, two = (statistics.median(times[jobs]) for jobs in (1, 2))
    budget = f"--epochs {args.epochs}" if args.epochs else "the full budget"
    print(
        f"{args.submissions} submissions, {budget}: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, "
        f"speed-up {one / two:.2f}x"
    )


if __name__ == "__main__":
    main()
