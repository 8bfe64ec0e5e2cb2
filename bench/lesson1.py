"""Benchmark: grading lesson 1 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that imports the reference solution, builds the
              model, trains it for the lesson's 500 epochs and predicts;
  (b) grader: ``python -m grader lesson1 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson1.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

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
GRADER = [sys.executable, "-m", "grader", "lesson1", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
