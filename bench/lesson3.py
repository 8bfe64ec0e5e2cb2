"""Benchmark: grading lesson 3 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader), imports the reference solution, runs its convolve and
              max_pool on small images, builds the CNN, makes the training
              dataset, trains for the lesson's 1 epoch, predicts the 10,000
              test images and computes the feature maps of 16 of them;
  (b) grader: ``python -m grader lesson3 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson3.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson3.py"
BARE = f"""
import importlib.util
import numpy as np
from grader.datasets import fashion as data
fashion = data.fashion_mnist()
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
rng = np.random.default_rng(0)
for k in (1, 3, 5):
    solution.convolve(rng.normal(size=(9, 7)), rng.normal(size=(k, k)))
    solution.max_pool(rng.normal(size=(9, 7)), 2, 2)
model = solution.build_model()
dataset = solution.make_dataset(fashion.train.images, fashion.train.labels)
solution.train(model, dataset, epochs=1)
solution.predict_classes(model, fashion.test.images)
solution.feature_maps(model, fashion.test.images[:16])
"""
GRADER = [sys.executable, "-m", "grader", "lesson3", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
