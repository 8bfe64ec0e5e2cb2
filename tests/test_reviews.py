"""The generated review corpus: sizes, lengths, labels, noise and the same output everywhere."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter

import pytest

from grader.datasets import reviews


def _digest(texts: list[str], labels: list[int]) -> str:
    joined = "\n".join(f"{label}\t{text}" for text, label in zip(texts, labels, strict=True))
    return hashlib.sha256(joined.encode()).hexdigest()


def test_splits_have_their_sizes_and_lengths() -> None:
    for split, size in reviews.SIZES.items():
        texts, labels = reviews.reviews(split, seed=3)
        assert len(texts) == len(labels) == size
        lengths = [len(text.split()) for text in texts]
        assert min(lengths) >= reviews.MIN_WORDS and max(lengths) <= reviews.MAX_WORDS
        assert set(labels) == {0, 1}
        assert 0.45 < sum(labels) / size < 0.55


def test_splits_and_seeds_differ() -> None:
    train, _ = reviews.reviews("train", seed=0)
    heldout, _ = reviews.reviews("heldout", seed=0)
    other, _ = reviews.reviews("heldout", seed=1)
    assert heldout != train[:1000]
    assert len(set(heldout) & set(train)) < 50
    assert heldout != other


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="split must be one of"):
        reviews.reviews("test")


def test_same_reviews_in_another_process_with_another_hash_seed() -> None:
    here = _digest(*reviews.reviews("heldout", seed=7))
    code = (
        "from grader.datasets import reviews as r; import hashlib;"
        "t, l = r.reviews('heldout', seed=7);"
        "print(hashlib.sha256('\\n'.join(f'{b}\\t{a}' for a, b in zip(t, l)).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert here == there


def test_noise_flips_about_three_percent() -> None:
    drawn = reviews.generate(20_000, "noise-test")
    flipped = sum(review.label != review.true_label for review in drawn) / len(drawn)
    assert abs(flipped - reviews.NOISE) < 0.006
    assert pytest.approx(1 - reviews.NOISE) == reviews.CEILING


def test_vocabulary_is_between_one_and_two_thousand_words() -> None:
    written = {w for part in reviews.words().values() for entry in part for w in entry.split("/")}
    assert 1000 <= len(written) <= 2000
    used = Counter(w for text in reviews.reviews("train")[0] for w in text.split())
    assert used.keys() <= written
    assert len(used) > 800


def test_negation_decides_the_label_in_negation_reviews() -> None:
    negators = set(reviews.words()["negators"]) | {"never"}
    for review in reviews.negation_reviews(200, seed=1):
        assert review.shape == "but" and review.negations == 1
        assert sum(word in negators for word in review.text.split()) >= 1
    # The same opinion words with the negation in the other clause give the other label.
    labels = Counter(r.true_label for r in reviews.negation_reviews(400, seed=2))
    assert min(labels.values()) > 150


def test_a_negated_opinion_has_the_opposite_label() -> None:
    drawn = [r for r in reviews.generate(3000, "negation") if r.shape == "single"]
    positive = set(reviews.words()["positive_adjectives"])
    for review in drawn:
        words = review.text.split()
        if "not" in words and words[words.index("not") + 1] in positive:
            assert review.true_label == 0, review.text
        elif "is" in words[-2:] and words[-1] in positive:
            assert review.true_label == 1, review.text
