"""Benchmark: grading lesson 2 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader), imports the reference solution, builds the model, makes
              the training dataset, trains for the lesson's 5 epochs and
              predicts the 10,000 test images;
  (b) grader: ``python -m grader lesson2 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson2.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "lesson2.py"
BARE = f"""
import importlib.util
from grader import data
fashion = data.fashion_mnist()
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
model = solution.build_model()
dataset = solution.make_dataset(fashion.train.images, fashion.train.labels)
solution.train(model, dataset, epochs=5)
solution.predict_classes(model, fashion.test.images)
"""
COMMANDS = {
    "bare": [sys.executable, "-c", BARE],
    "grader": [sys.executable, "-m", "grader", "lesson2", "--solution", "--no-cache"],
}


def timed(command: list[str]) -> float:
    """Seconds ``command`` took; a run that fails is reported, since its time means nothing."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(f"exit {done.returncode}: {done.stderr[-500:] or done.stdout[-500:]}", flush=True)
    return seconds


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
