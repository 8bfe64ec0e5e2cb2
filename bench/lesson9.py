"""Benchmark: grading lesson 9 against a bare run of the same learner code.

Times, in one run and interleaved so that both see the same machine:
  (a) bare:   a fresh Python that generates the 4,000 training reviews, 1,000
              held-out ones and 500 decided by word order, turns them into 25
              ids each with a TextVectorization layer, imports the reference
              solution, builds its LSTM model (twice, as the grader does, with
              other sizes too), the stacked, GRU and convolution models and runs
              each once on a few rows, trains the LSTM model for the lesson's 15
              epochs and predicts the held-out reviews; then generates the 1,200
              training song lines and 400 held-out ones, makes the n-grams of a
              few known lines with ``make_ngrams`` and those of all lines in numpy
              (as the grader does: ``make_ngrams`` calls the vectorizer once per
              line), builds the generator twice, trains it for 15 epochs,
              predicts the held-out n-grams and writes four times with
              ``generate``;
  (b) grader: ``python -m grader lesson9 --solution --no-cache``.
Prints each run, the medians, their ratio and their difference.

    python bench/lesson9.py [--runs N]
"""

from __future__ import annotations

import sys

from timing import ROOT, compare, runs_argument

SOLUTION = ROOT / "solutions" / "lesson9.py"
BARE = f"""
import importlib.util
import keras, numpy as np
from grader.datasets import reviews, songs
spec = importlib.util.spec_from_file_location("solution", {str(SOLUTION)!r})
solution = importlib.util.module_from_spec(spec)
spec.loader.exec_module(solution)
texts, labels = reviews.reviews("train", seed=0)
heldout, _ = reviews.reviews("heldout", seed=1)
negations = [r.text for r in reviews.negation_reviews(500, 1)]
layer = keras.layers.TextVectorization(max_tokens=1000, output_sequence_length=25)
layer.adapt(texts)
ids = np.asarray(layer(np.array(texts + heldout + negations)))
sizes = dict(vocab_size=1000, embedding_dim=16, sequence_length=25)
builds = [solution.build_lstm_model, solution.build_gru_model, solution.build_conv_model]
for build in builds:
    build(**sizes)(ids[:4])
solution.build_lstm_model(**sizes, stacked=True)(ids[:4])
solution.build_lstm_model(vocab_size=500, embedding_dim=8, sequence_length=12)(ids[:4, :12] % 500)
model = solution.build_lstm_model(**sizes)
solution.train(model, ids[:4000], np.array(labels), epochs=15)
model.predict(ids[4000:], verbose=0)
lines, new_lines = songs.lines("train", seed=0), songs.lines("heldout", seed=1)
known = keras.layers.TextVectorization()
known.adapt(["we sail across the sea", "the moon is bright", "sail on"])
solution.make_ngrams(["we sail across the sea", "the moon is bright", "sail on"], known)
words = keras.layers.TextVectorization()
words.adapt(lines)
rows = np.asarray(words(np.array(lines + new_lines)))
grams = [row[: i + 1] for row in rows for i in range(1, int((row > 0).sum()))]
split = sum(len(line.split()) - 1 for line in lines)
max_length = max(len(g) for g in grams[:split])
padded = keras.utils.pad_sequences(grams, maxlen=max_length)
inputs, targets = padded[:split, :-1], padded[:split, -1]
total = len(words.get_vocabulary())
solution.build_generator(total, max_length)(inputs[:4])
generator = solution.build_generator(total, max_length)
solution.train(generator, inputs, targets, epochs=15)
generator.predict(padded[split:, :-1], verbose=0)
for seed, count in [("we keep on", 4), ("the moon", 12)] * 2:
    solution.generate(generator, words, seed, count, max_length)
"""
GRADER = [sys.executable, "-m", "grader", "lesson9", "--solution", "--no-cache"]


if __name__ == "__main__":
    compare([sys.executable, "-c", BARE], GRADER, runs_argument(__doc__.splitlines()[0]))
