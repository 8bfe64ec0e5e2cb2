"""Benchmark: grading lesson 7 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that imports the reference solution, computes its
              statistical forecasts, cuts the training part's windows the way
              the grader does (numpy, shuffled and batched by tf.data, ten
              passes an epoch), builds, trains and asks for the forecasts of
              the linear model and the dense network (200 passes each) and the
              recurrent network (40 passes);
  (b) grader: ``python -m grader lesson7 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson7.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson7.py"
BARE = f"""
import importlib.util
import numpy as np
import tensorflow as tf
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
series = solution.make_series()
solution.naive_forecast(series, 1000)
solution.moving_average_forecast(series, 30)
solution.differenced_forecast(series, 1000)
solution.differenced_forecast(series, 1000, smooth_past=False)
list(solution.window_dataset(series[:1000], 30))
index = np.arange(30)[None, :] + np.arange(970)[:, None]
pairs = (series[:1000][index].astype("float32"), series[30:1000].astype("float32"))
windows = tf.data.Dataset.from_tensor_slices(pairs).cache().shuffle(1000).repeat(10)
windows = windows.batch(32).prefetch(2)
for build, epochs in (
    (solution.build_linear_model, 20),
    (solution.build_dense_model, 20),
    (solution.build_rnn_model, 4),
):
    model = build(30)
    solution.train(model, windows, epochs)
    solution.model_forecast(model, series[970:-1], 30)
"""
GRADER = [sys.executable, "-m", "grader", "lesson7", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
