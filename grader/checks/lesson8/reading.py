"""Lesson 8's probes and readers: example sentences, padding worked out in numpy, and
the projector files read as plain text (never run, never unpickled, size-limited)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np

from grader.learner.session import Learner

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
MAX_FILE_BYTES = 4 * 1024 * 1024
"""The most the grader reads of a projector file."""


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


def learner_home(learner: Learner) -> Path:
    """The learner process's writable folder, as the scoring process sees it."""
    child = learner.child
    assert child is not None, "the learner process is not running"
    workdir = Path(child.workdir)
    return workdir / "home" if getattr(child, "sandboxed", False) else workdir


def fresh_folder(learner: Learner, name: str) -> Path:
    """An empty folder in the learner's home for write_projector_files to write into."""
    folder = learner_home(learner) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def text_lines(path: Path) -> list[str] | None:
    """The lines of a text file the learner wrote (``None`` when it is missing, a link or
    not a regular file); at most ``MAX_FILE_BYTES`` are read, decoded as UTF-8."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        content = os.read(handle, MAX_FILE_BYTES)
    finally:
        os.close(handle)
    return content.decode("utf-8", "replace").splitlines()


def vector_rows(lines: list[str]) -> list[list[float] | None]:
    """Each line of ``vecs.tsv`` as its numbers (``None`` for a line that does not parse)."""
    rows: list[list[float] | None] = []
    for line in lines:
        try:
            rows.append([float(x) for x in line.split("\t")])
        except ValueError:
            rows.append(None)
    return rows


def listing(folder: Path) -> list[str]:
    """The names directly in ``folder`` (never following a link, never opening a file)."""
    try:
        return sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return []
