"""Benchmark: grading lesson 5 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader) and the shipped base network, imports the reference
              solution, builds the model on the base, trains it on the 40
              labelled images for the lesson's budget, predicts the 10,000
              test images, fine-tunes, trains 10 epochs more and predicts again;
  (b) grader: ``python -m grader lesson5 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson5.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson5.py"
BARE = f"""
import importlib.util
from grader.checks.lesson5.conftest import FINE_TUNE_EPOCHS, FINE_TUNE_LAYERS, FINE_TUNE_RATE
from grader.checks.lesson5.lesson import LESSON
from grader.datasets import base_network, fashion_mnist
task = base_network.transfer_task(fashion_mnist())
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
base = base_network.load_feature_extractor()
model = solution.build_model(base, num_classes=4)
solution.train(model, task.images, task.labels, epochs=LESSON.epochs)
solution.predict_classes(model, task.test_images)
solution.fine_tune(model, base, layers=FINE_TUNE_LAYERS, learning_rate=FINE_TUNE_RATE)
solution.train(model, task.images, task.labels, epochs=FINE_TUNE_EPOCHS)
solution.predict_classes(model, task.test_images)
"""
GRADER = [sys.executable, "-m", "grader", "lesson5", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
