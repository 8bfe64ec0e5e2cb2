"""Lesson 8's probes and readers: example sentences, padding worked out in numpy, and
the projector files read as plain text (never run, never unpickled, size-limited)."""

from __future__ import annotations

import numpy as np

SENTENCES = [
    "My cat sleeps on the warm windowsill",
    "The cat and the dog share a blanket!",
    "Do you think my dog likes the rain?",
    "Our neighbour walks her dog every morning",
    "I love the smell of fresh bread",
    "The bread at this bakery is always warm.",
]
"""Six short sentences for probing a vectorizer (written for this lesson)."""
UNSEEN = "zebras juggle purple violins"
"""Four words none of the sentences holds."""
PAD_SEQUENCES = [[5, 8, 2], [7, 1, 9, 4, 6, 3], [11, 12, 13, 14], [3], []]
"""Ragged id lists: shorter than, as long as and longer than ``maxlen`` = 4."""
PAD_MAXLEN = 4
PLAIN_REVIEWS = {
    "the food was great": 1,
    "the service was terrible": 0,
    "a really lovely cafe": 1,
    "the battery is awful": 0,
}
"""New reviews any trained model gets right (written for this lesson)."""


def padded(sequences: list[list[int]], maxlen: int, padding: str, truncating: str) -> np.ndarray:
    """What ``keras.utils.pad_sequences`` gives (integers, zeros for padding), in numpy."""
    rows = np.zeros((len(sequences), maxlen), dtype=np.int32)
    for row, sequence in zip(rows, sequences, strict=True):
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        if not kept:
            continue
        if padding == "pre":
            row[maxlen - len(kept) :] = kept
        else:
            row[: len(kept)] = kept
    return rows


def vector_rows(lines: list[str]) -> list[list[float] | None]:
    """Each line of ``vecs.tsv`` as its numbers (``None`` for a line that does not parse)."""
    rows: list[list[float] | None] = []
    for line in lines:
        try:
            rows.append([float(x) for x in line.split("\t")])
        except ValueError:
            rows.append(None)
    return rows
