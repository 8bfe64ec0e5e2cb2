"""Benchmark: grading lesson 6 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader), imports the reference solution and does the work the
              grader asks of it — build, train one epoch on 2,000 images, save,
              build/train/save a second model on 320, load both files, resume
              twice (0 and 1 epochs), export, load for serving and predict —
              plus the loading the grader's clean room does (each .keras file
              with safe mode, the SavedModel with ``tf.saved_model.load``);
  (b) grader: ``python -m grader lesson6 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson6.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson6.py"
BARE = f"""
import importlib.util, tempfile
import keras, numpy as np, tensorflow as tf
from grader.datasets import fashion as data
fashion = data.fashion_mnist()
x = fashion.train.images[:2320].astype(np.float32) / 255.0
y = fashion.train.labels[:2320]
probe = fashion.test.images[:500].astype(np.float32) / 255.0
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
folder = tempfile.mkdtemp()
model = solution.build_model()
solution.train(model, x[:2000], y[:2000], epochs=1)
solution.save_model(model, folder + "/fashion.keras")
model.predict(probe, verbose=0)
keras.saving.load_model(folder + "/fashion.keras", safe_mode=True).predict(probe, verbose=0)
second = solution.build_model()
solution.train(second, x[2000:], y[2000:], epochs=1)
solution.save_model(second, folder + "/second.keras")
keras.saving.load_model(folder + "/second.keras", safe_mode=True).predict(probe, verbose=0)
for name in ("fashion", "second"):
    solution.load_model(folder + "/" + name + ".keras").predict(probe, verbose=0)
for epochs in (0, 1):
    resumed = solution.resume_training(folder + "/fashion.keras", x[2000:], y[2000:], epochs)
    resumed.predict(probe, verbose=0)
solution.export_for_serving(model, folder + "/fashion")
tf.saved_model.load(folder + "/fashion").signatures["serving_default"](tf.constant(probe))
solution.load_for_serving(folder + "/fashion")(probe)
"""
GRADER = [sys.executable, "-m", "grader", "lesson6", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
