"""Lesson 8's shared steps: vectorize once, build once, train once, predict once.

The reviews are generated here, in the scoring process (``grader.datasets.reviews``).
The learner process gets the 4,000 training reviews with their labels and the
texts of 1,000 held-out reviews drawn from a seed chosen afresh for this run;
their labels stay here.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import numpy as np
import pytest

from grader.checking import BINARY, LossProbe, StepSkipped, probe_loss
from grader.checks import steps
from grader.datasets import reviews
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.grading.written import fresh_folder, listing, text_lines
from grader.learner.session import Learner, Value

MAX_TOKENS = 1000
EMBEDDING_DIM = 16
SEQUENCE_LENGTH = reviews.MAX_WORDS
"""Ids per review: the longest review's length, so no review is cut and the average of a
review's vectors is not mostly padding (with 50 positions training stalls on some seeds)."""
TRAIN_SEED = 0
HELDOUT_SEED_VARIABLE = "GRADER_HELDOUT_SEED"
"""Fixes the held-out reviews' seed (goldens, tests); unset, each run draws its own."""
NO_SEQUENCES_STEP = (
    "skipped: build_vectorizer's layer did not turn the training reviews into "
    f"{SEQUENCE_LENGTH} ids each (see the vectorizer checks)."
)


@dataclass(frozen=True)
class Corpus:
    """Reviews and their labels (1 positive, 0 negative)."""

    texts: list[str]
    labels: np.ndarray
    seed: int
    """The generator's seed for this split."""


@dataclass(frozen=True)
class Projector:
    """What ``write_projector_files`` left in the grader's folder, read as text."""

    vecs: list[str] | None
    """The lines of ``vecs.tsv`` (``None`` when it is missing)."""
    meta: list[str] | None
    """The lines of ``meta.tsv``."""
    listing: list[str]
    """The names in the folder."""


def vectorizer_of(learner: Learner, texts: list[str], **kwargs: int) -> Value:
    """``build_vectorizer(texts, **kwargs)``, kept in the learner process (a ref)."""
    return learner.run("call_keeping", function="build_vectorizer", args=[texts], kwargs=kwargs)


def through(learner: Learner, vectorizer: Value, texts: list[str]) -> np.ndarray:
    """The learner's vectorizer called on ``texts``, as an array."""
    return learner.run("texts_through", obj=vectorizer.ref, texts=texts, what="the vectorizer")


def vocabulary_of(learner: Learner, vectorizer: Value) -> list[str]:
    """The learner's vectorizer's ``get_vocabulary()``."""
    return learner.run("vocabulary", obj=vectorizer.ref)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    texts, labels = reviews.reviews("train", seed=TRAIN_SEED)
    return Corpus(texts, np.array(labels), TRAIN_SEED)


@pytest.fixture(scope="session")
def heldout() -> Corpus:
    """1,000 reviews from a seed drawn for this run only (learner code never learns it; the
    learner process's environment is scrubbed, so a seed fixed for tests stays here too)."""
    fixed = os.environ.get(HELDOUT_SEED_VARIABLE, "")
    seed = int(fixed) if fixed.isdigit() else secrets.randbelow(2**31)
    texts, labels = reviews.reviews("heldout", seed=seed)
    return Corpus(texts, np.array(labels), seed)


data_first = steps.ready_first("corpus", "heldout")


@pytest.fixture(scope="session")
def vectorizer(learner: Learner, corpus: Corpus) -> Value:
    """The learner's vectorizer adapted to the training reviews."""
    return vectorizer_of(
        learner, corpus.texts, max_tokens=MAX_TOKENS, sequence_length=SEQUENCE_LENGTH
    )


@pytest.fixture(scope="session")
def train_sequences(learner: Learner, vectorizer: Value, corpus: Corpus) -> np.ndarray:
    sequences = through(learner, vectorizer, corpus.texts)
    if sequences.shape != (len(corpus.texts), SEQUENCE_LENGTH):
        raise StepSkipped(NO_SEQUENCES_STEP)
    return sequences.astype(np.int64)


@pytest.fixture(scope="session")
def built(learner: Learner) -> Value:
    """``build_model`` for the grader's vocabulary, embedding size and sequence length."""
    return learner.call(
        "build_model",
        vocab_size=MAX_TOKENS,
        embedding_dim=EMBEDDING_DIM,
        sequence_length=SEQUENCE_LENGTH,
    )


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    """What the compiled loss takes the model's output to be; None when not compiled."""
    return probe_loss(learner, model, BINARY)


@pytest.fixture(scope="session")
def training(
    learner: Learner,
    model: ModelInfo,
    train_sequences: np.ndarray,
    corpus: Corpus,
    grading: GradingContext,
) -> steps.Training:
    """The learner's ``train`` run once, on its vectorizer's ids, for the grader's budget."""
    return steps.train(learner, model, train_sequences, corpus.labels, epochs=grading.epochs)


@pytest.fixture(scope="session")
def predicted(
    learner: Learner, training: steps.Training, vectorizer: Value, heldout: Corpus
) -> Value:
    """``predict_sentiment`` on the held-out texts (their labels stay here)."""
    return learner.call("predict_sentiment", training.model.ref, vectorizer.ref, heldout.texts)


@pytest.fixture(scope="session")
def projector(learner: Learner, training: steps.Training, vectorizer: Value) -> Projector:
    """``write_projector_files`` into a fresh folder, then its two files read as text."""
    folder = fresh_folder(learner, "projector")
    learner.call("write_projector_files", vectorizer.ref, training.model.ref, str(folder))
    vecs, meta = text_lines(folder / "vecs.tsv"), text_lines(folder / "meta.tsv")
    return Projector(vecs, meta, listing(folder))
