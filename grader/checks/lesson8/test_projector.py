"""Lesson 8 checks: the word vectors written out for the Embedding Projector.

The files are written by learner code into a folder the grader gives; the
scoring process reads them as size-limited text and only parses numbers.
"""

from __future__ import annotations

import numpy as np

from grader.checking import Learner, Value, check
from grader.checks import steps
from grader.checks.lesson8 import reading
from grader.checks.lesson8.conftest import EMBEDDING_DIM, Projector, vocabulary_of
from grader.checks.lesson8.judging import embedding_matrix


@check(
    points=2,
    hint=(
        "Two text files in the folder you are given, one line per vocabulary entry but the "
        "padding token: the vector in vecs.tsv, the word in meta.tsv.",
        "Loop over enumerate(vectorizer.get_vocabulary()) from index 1; write the Embedding "
        "layer's weights[index] joined by tabs to vecs.tsv and the word to meta.tsv.",
    ),
)
def test_projector(
    learner: Learner, projector: Projector, vectorizer: Value, training: steps.Training
) -> None:
    """The projector files hold one vector and one word per vocabulary entry, aligned"""
    for name, lines in (("vecs.tsv", projector.vecs), ("meta.tsv", projector.meta)):
        assert lines is not None, (
            f"No {name} in the folder the grader gave; it holds {projector.listing or 'nothing'}."
        )
    vocabulary = vocabulary_of(learner, vectorizer)
    assert projector.meta == vocabulary[1:], (
        f"meta.tsv should list the vocabulary but the padding token, in order "
        f"({len(vocabulary) - 1} lines, starting {vocabulary[1:4]}); it has "
        f"{len(projector.meta)} lines, starting {projector.meta[:3]}."
    )
    rows = reading.vector_rows(projector.vecs)
    assert len(rows) == len(projector.meta), (
        f"vecs.tsv has {len(rows)} lines and meta.tsv {len(projector.meta)}; they must align."
    )
    bad = [i + 1 for i, row in enumerate(rows) if row is None or len(row) != EMBEDDING_DIM]
    assert not bad, (
        f"Every line of vecs.tsv should hold {EMBEDDING_DIM} numbers separated by tabs; "
        f"line {bad[0]} does not."
    )
    matrix = embedding_matrix(training.model)
    if matrix is not None:
        close = np.allclose(np.array(rows), matrix[1 : len(rows) + 1], atol=1e-4)
        assert close, (
            "The vectors in vecs.tsv are not the trained Embedding layer's rows for the "
            "words in meta.tsv (line n holds the vector of vocabulary id n)."
        )
