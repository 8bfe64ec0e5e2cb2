"""Reading what lesson 9's writing functions return: ``make_ngrams``'s three values and
``generate``'s text, each compared with what the grader works out itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.checking import Learner, Ref, Value
from grader.checks.lesson9 import ngrams

TIE = 1e-5
"""Scores this close to the best count as the best (predictions in a batch and one by one
may differ in the last bits)."""


def _array(value: Any) -> np.ndarray | None:
    """A returned array (or nested list) of numbers; ``None`` for anything else (ragged)."""
    try:
        array = np.asarray(value) if isinstance(value, (np.ndarray, list)) else None
    except ValueError:
        return None
    return array if array is not None and array.dtype.kind in "iuf" else None


def _whole(value: Any) -> int | None:
    """A returned whole number (a Python or NumPy integer, or a one-item array)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if type(value) in (int, float) and float(value).is_integer():
        return int(value)
    return None


def _items(answer: Value) -> tuple[np.ndarray, np.ndarray, int | None, Any]:
    items = answer.info.get("items")
    assert answer.kind == "sequence" and isinstance(items, list) and len(items) == 3, (
        "make_ngrams should return three things, (inputs, targets, max_length); it returned "
        f"{answer.type_name} ({answer.info.get('repr')})."
    )
    values = [item.get("value") if isinstance(item, dict) else None for item in items]
    inputs, targets = _array(values[0]), _array(values[1])
    assert inputs is not None and targets is not None, (
        "make_ngrams should return the inputs and the targets as numpy arrays of numbers."
    )
    return inputs, targets, _whole(values[2]), values[2]


def _target_ids(targets: np.ndarray, count: int) -> np.ndarray:
    """Targets as ids: given as ids, or one-hot rows (as the course encodes them)."""
    if targets.ndim == 2 and targets.shape[0] == count and targets.shape[1] > 1:
        one_hot = np.all(np.isin(targets, (0, 1))) and np.all(targets.sum(axis=1) == 1)
        assert one_hot, "make_ngrams's targets have one row per n-gram but are not one-hot."
        return np.argmax(targets, axis=1)
    assert targets.shape in ((count,), (count, 1)), (
        f"Expected one target per n-gram, {count} in all; the targets have shape {targets.shape}."
    )
    return targets.reshape(count)


def ngrams_problem(answer: Value, lines: Sequence[str], vocabulary: Sequence[str]) -> str | None:
    """What is wrong with ``make_ngrams``'s answer for ``lines``; ``None`` when it is right."""
    inputs, targets, max_length, given = _items(answer)
    wanted_inputs, wanted_targets, wanted_length = ngrams.ngrams(lines, vocabulary)
    count, width = wanted_inputs.shape
    shown = " / ".join(repr(line) for line in lines)
    if max_length != wanted_length:
        return (
            f"For the lines {shown}, max_length should be {wanted_length} (the longest n-gram: "
            f"the longest line's words); make_ngrams gave {given!r}."
        )
    if inputs.shape != (count, width):
        return (
            f"For the lines {shown}, expected {count} n-grams (a line of n words gives n - 1) "
            f"of {width} input ids each (max_length - 1); found inputs of shape {inputs.shape}."
        )
    found = Counter(
        zip(map(tuple, inputs.astype(int).tolist()), _target_ids(targets, count), strict=True)
    )
    wanted = Counter(zip(map(tuple, wanted_inputs.tolist()), wanted_targets.tolist(), strict=True))
    if found == wanted:
        return None
    row, target = next(iter(wanted - found))
    where = (
        " Some n-grams are padded at the end: pad at the start (padding='pre'), so that the "
        "word just before the target is always in the last column."
        if any(np.any(np.diff((r != 0).astype(int)) < 0) for r in inputs)
        else ""
    )
    return (
        f"For the lines {shown}, expected among the n-grams the input "
        f"[{ngrams.as_words(row, vocabulary)}] with the target '{vocabulary[target]}'; "
        f"make_ngrams did not give it (· is padding).{where}"
    )


def words_written(answer: Value, seed: str, count: int, vocabulary: Sequence[str]) -> list[str]:
    """The words ``generate`` added after the seed, once the text is known to be the seed and
    ``count`` vocabulary words."""
    text = answer.info.get("value")
    assert answer.kind == "scalar" and isinstance(text, str), (
        f"generate should return the text as a string; it returned {answer.type_name}."
    )
    words, seed_words = text.split(), seed.split()
    called = f"generate(model, vectorizer, {seed!r}, {count}, max_length)"
    assert words[: len(seed_words)] == seed_words, (
        f"{called} should start with the seed text; it gave {text!r}."
    )
    written = words[len(seed_words) :]
    assert len(written) == count, (
        f"{called} should add exactly {count} words to the seed; it added {len(written)}: {text!r}."
    )
    known = set(vocabulary[2:])
    strange = [word for word in written if word not in known]
    assert not strange, (
        f"{called} wrote {strange[0]!r}, which is not a vocabulary word: {text!r}. Leave out "
        "ids 0 (padding) and 1 ([UNK]) and turn ids into words with the vectorizer's "
        "vocabulary."
    )
    return written


def agreement_problem(
    learner: Learner,
    model: Ref,
    seed: str,
    written: list[str],
    vocabulary: Sequence[str],
    max_length: int,
) -> str | None:
    """Whether every word ``generate`` wrote is the model's own most likely next word after
    the text before it (left-padded, or cut to its last ``max_length - 1`` words)."""
    ids = ngrams.word_ids(vocabulary)
    texts = [seed.split() + written[:k] for k in range(len(written))]
    inputs = ngrams.windows([[ids.get(w, 1) for w in text] for text in texts], max_length - 1)
    scores = learner.model_output(model, inputs).astype(float)
    assert scores.shape == (len(texts), len(vocabulary)), (
        f"For {len(texts)} texts the trained generator gave an output of shape {scores.shape}; "
        f"expected {(len(texts), len(vocabulary))}: one score per vocabulary word."
    )
    best = ngrams.top_words(scores)
    for k, (text, word) in enumerate(zip(texts, written, strict=True)):
        row, chosen = scores[k], ids[word]
        if row[chosen] < row[best[k]] - TIE * max(1.0, abs(row[best[k]])):
            longer = len(text) > max_length - 1
            return (
                f"After {' '.join(text)!r} the model's most likely next word is "
                f"'{vocabulary[best[k]]}' (score {row[best[k]]:.3g}); generate wrote '{word}' "
                f"(score {row[chosen]:.3g}). At each step, give the model the whole text so "
                f"far, padded at the start to max_length - 1 = {max_length - 1} ids"
                + (" (its last ones, once the text is longer)" if longer else "")
                + ", and add the word it rates highest."
            )
    return None
