"""Benchmark: grading lesson 1 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that imports the reference solution, builds the
              model, trains it for the lesson's 500 epochs and predicts;
  (b) grader: ``python -m grader lesson1 --solution``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson1.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "lesson1.py"
BARE = f"""
import importlib.util, numpy as np
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
model = solution.build_model()
solution.train(model, solution.celsius_q, solution.fahrenheit_a, epochs=500)
solution.predict(model, np.array([100.0]))
"""
COMMANDS = {
    "bare": [sys.executable, "-c", BARE],
    "grader": [sys.executable, "-m", "grader", "lesson1", "--solution"],
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for run in range(1, args.runs + 1):
        for name, command in COMMANDS.items():
            seconds = timed(command)
            times[name].append(seconds)
            print(f"run {run}  {name:<6} {seconds:6.2f} s", flush=True)
    bare, grader = (statistics.median(times[name]) for name in COMMANDS)
    print(f"median  bare   {bare:6.2f} s")
    print(f"median  grader {grader:6.2f} s")
    print(f"ratio   grader/bare {grader / bare:.3f}   difference {grader - bare:+.2f} s")


if __name__ == "__main__":
    main()
