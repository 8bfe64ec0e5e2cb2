"""Benchmark: grading lesson 4 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that loads Fashion-MNIST (the grader's own numpy
              reader), writes or reuses the image folders in the grader's
              cache, imports the reference solution, reads the folders with
              its load_datasets (one pass over each set), runs its augmenter
              on a batch, builds build_model(augment=False, dropout=0) and
              build_model(), trains each with its train for the lesson's 20
              epochs on the same in-memory datasets the grader makes (cached,
              reshuffled each epoch, batches of 32, with validation), and
              predicts the 2,000 test images;
  (b) grader: ``python -m grader lesson4 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson4.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson4.py"
BARE = f"""
import importlib.util
import numpy as np
import tensorflow as tf
from grader.datasets import fashion_mnist, folders
fashion = fashion_mnist()
written = folders.cached_image_folders(fashion)
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
for dataset in solution.load_datasets(written.root):
    for batch in dataset:
        pass
train, validation = (folders.folder_split(s, fashion) for s in ("train", "validation"))
test = folders.heldout_split(fashion)
solution.make_augmenter()(train.images[:32].astype("float32") / 255.0, training=True)
def dataset(split, shuffle):
    images, labels = split.images.astype("float32"), split.labels.astype("float32")[:, None]
    made = tf.data.Dataset.from_tensor_slices((images, labels)).cache()
    made = made.shuffle(len(labels), reshuffle_each_iteration=True) if shuffle else made
    return made.batch(32).prefetch(2)
for augment, dropout in ((False, 0.0), (True, 0.5)):
    model = solution.build_model(augment=augment, dropout=dropout)
    solution.train(model, dataset(train, True), dataset(validation, False), epochs=20)
solution.predict_classes(model, test.images)
"""
GRADER = [sys.executable, "-m", "grader", "lesson4", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
