"""Benchmark: grading lesson 8 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that generates the 4,000 training reviews and
              1,000 held-out ones, imports the reference solution, adapts its
              vectorizer, builds the model, trains it for the lesson's 30
              epochs on the vectorizer's ids, predicts the held-out reviews and
              writes the projector files;
  (b) grader: ``python -m grader lesson8 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson8.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson8.py"
BARE = f"""
import importlib.util, tempfile
import numpy as np
from grader.datasets import reviews
texts, labels = reviews.reviews("train", seed=0)
heldout, _ = reviews.reviews("heldout", seed=1)
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
vectorizer = solution.build_vectorizer(texts, max_tokens=1000, sequence_length=25)
model = solution.build_model(vocab_size=1000, embedding_dim=16, sequence_length=25)
solution.train(model, np.asarray(vectorizer(np.array(texts))), np.array(labels), epochs=30)
solution.predict_sentiment(model, vectorizer, heldout)
solution.write_projector_files(vectorizer, model, tempfile.mkdtemp())
"""
GRADER = [sys.executable, "-m", "grader", "lesson8", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
