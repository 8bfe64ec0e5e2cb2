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

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson2.py"
BARE = f"""
import importlib.util
from grader.datasets import fashion as data
fashion = data.fashion_mnist()
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
model = solution.build_model()
dataset = solution.make_dataset(fashion.train.images, fashion.train.labels)
solution.train(model, dataset, epochs=5)
solution.predict_classes(model, fashion.test.images)
"""
GRADER = [sys.executable, "-m", "grader", "lesson2", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
