"""Lesson 9's n-grams worked out in numpy: the grader's own training pairs for the
generator, the held-out pairs it is scored on, and the small known lines ``make_ngrams``
is checked with."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader.datasets import songs

KNOWN_LINES = [
    "we sail across the sea",
    "the moon is bright",
    "sail on",
    "home",
    "the sea is wide and deep tonight",
]
"""Lines for checking ``make_ngrams`` (written for this lesson): different lengths, a line
of one word (no pair), words shared between lines."""
PADDING, OOV = "", "[UNK]"


def word_ids(vocabulary: Sequence[str]) -> dict[str, int]:
    return {word: i for i, word in enumerate(vocabulary)}


def windows(prefixes: Sequence[Sequence[int]], width: int) -> np.ndarray:
    """Each id list left-padded with zeros to ``width``, or cut to its last ``width`` ids
    (``pad_sequences(..., padding="pre")``: the words just before the next one stay)."""
    rows = np.zeros((len(prefixes), width), dtype=np.int64)
    for row, prefix in zip(rows, prefixes, strict=True):
        kept = list(prefix)[-width:] if width else []
        if kept:
            row[width - len(kept) :] = kept
    return rows


def pairs(lines: Sequence[str], vocabulary: Sequence[str]) -> tuple[list[list[int]], np.ndarray]:
    """Every (ids so far, next id) pair of every line, as the course's n-grams give them:
    line by line, shortest first (unknown words are 1, as TextVectorization makes them)."""
    ids = word_ids(vocabulary)
    before, after = [], []
    for prefix, word in songs.next_words(lines):
        before.append([ids.get(w, 1) for w in prefix])
        after.append(ids.get(word, 1))
    return before, np.array(after, dtype=np.int64)


def longest(lines: Sequence[str]) -> int:
    """``max_length``: the longest n-gram, that is the longest line of two or more words."""
    return max((n for n in (len(line.split()) for line in lines) if n >= 2), default=0)


def ngrams(
    lines: Sequence[str], vocabulary: Sequence[str], max_length: int | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """What ``make_ngrams`` gives: inputs of width ``max_length - 1``, left-padded, and
    the next word's id."""
    length = longest(lines) if max_length is None else max_length
    before, targets = pairs(lines, vocabulary)
    return windows(before, length - 1), targets, length


def one_hot(targets: np.ndarray, classes: int) -> np.ndarray:
    encoded = np.zeros((len(targets), classes), dtype=np.float32)
    encoded[np.arange(len(targets)), targets] = 1.0
    return encoded


def as_words(row: Sequence[int], vocabulary: Sequence[str]) -> str:
    """Ids as words for messages: 0 is shown as ``·`` (padding)."""
    shown = [vocabulary[i] if 0 < i < len(vocabulary) else "·" if i == 0 else f"#{i}" for i in row]
    return " ".join(shown)


def top_words(outputs: np.ndarray) -> np.ndarray:
    """The most likely vocabulary word's id in each row, padding (0) and OOV (1) left out."""
    return np.argmax(outputs[:, 2:], axis=1) + 2
