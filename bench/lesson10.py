"""Benchmark: grading lesson 10 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader), scales it, imports the reference solution, builds and
              trains the CNN for the lesson's 1 epoch on all 60,000 training
              images, predicts 1,000 test images with Keras, converts the
              model (float, then quantized with 200 representative images),
              runs both flatbuffers over the 1,000 images with the reference's
              ``tflite_predict``, and runs the grader's two small models over
              200 images each, twice (once as the learner, once as the grader's
              own reading);
  (b) grader: ``python -m grader lesson10 --solution --no-cache``, which does
              the same work in two processes: the learner process and the
              clean room.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson10.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson10.py"
BARE = f"""
import importlib.util
import numpy as np
from grader.checks.lesson10.grader_models import model_bytes
from grader.datasets import fashion as data
fashion = data.fashion_mnist()
images = fashion.train.images.astype(np.float32) / 255.0
probes = fashion.test.images[:1000].astype(np.float32) / 255.0
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
model = solution.build_model()
solution.train(model, images, fashion.train.labels, epochs=1)
model.predict(probes, verbose=0)
for content in (solution.convert(model), solution.convert_quantized(model, images[-200:])):
    solution.tflite_predict(content, probes)
for name in ("float", "int8"):
    for _ in range(2):
        solution.tflite_predict(model_bytes(name), probes[:200])
"""
GRADER = [sys.executable, "-m", "grader", "lesson10", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
