"""Lesson 9's shared steps: vectorize once, build once, train each model once.

Reviews (``grader.datasets.reviews``) and song lines (``grader.datasets.songs``)
are generated here, in the scoring process.  The grader makes its own
``TextVectorization`` layers in the learner process (``make_layer``) and sends
the learner's functions word ids or that layer.  Held-out reviews, reviews
decided by word order and held-out song lines come from a seed drawn afresh for
each run; their labels and next words stay here.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import numpy as np
import pytest

from grader.checking import BINARY, Learner, LossProbe, ModelInfo, StepSkipped, Value, probe_loss
from grader.checks import steps
from grader.checks.lesson9 import ngrams
from grader.checks.lesson9.losses import NextWordLoss, next_word_loss
from grader.datasets import reviews, songs
from grader.grading.plugin import GradingContext

MAX_TOKENS = 1000
EMBEDDING_DIM = 16
SEQUENCE_LENGTH = reviews.MAX_WORDS
"""25 ids per review, as in lesson 8: no review is cut, and the models read little padding."""
TRAIN_SEED = 0
NEGATION_COUNT = 500
HELDOUT_SEED_VARIABLE = "GRADER_HELDOUT_SEED"
"""Fixes the held-out seed (goldens, tests); unset, each run draws its own."""
NOT_A_GENERATOR = "skipped: build_generator did not return a Keras model (see its check)."


@dataclass(frozen=True)
class Corpus:
    """Reviews and their labels (1 positive, 0 negative)."""

    texts: list[str]
    labels: np.ndarray
    seed: int
    """The generator's seed for this split."""


def text_layer(learner: Learner, texts: list[str], **config: int) -> Value:
    """A ``TextVectorization(**config)`` of the grader's, adapted to ``texts``, kept in the
    learner process."""
    return learner.run("make_layer", class_name="TextVectorization", config=config, adapt=texts)


@pytest.fixture(scope="session")
def heldout_seed() -> int:
    """Drawn for this run only (the learner process's environment is scrubbed, so a seed
    fixed for tests stays here too)."""
    fixed = os.environ.get(HELDOUT_SEED_VARIABLE, "")
    return int(fixed) if fixed.isdigit() else secrets.randbelow(2**31)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    texts, labels = reviews.reviews("train", seed=TRAIN_SEED)
    return Corpus(texts, np.array(labels), TRAIN_SEED)


@pytest.fixture(scope="session")
def heldout(heldout_seed: int) -> Corpus:
    texts, labels = reviews.reviews("heldout", seed=heldout_seed)
    return Corpus(texts, np.array(labels), heldout_seed)


@pytest.fixture(scope="session")
def negations(heldout_seed: int) -> Corpus:
    """Reviews whose label only word order tells, labelled as the grammar says (no flips)."""
    drawn = reviews.negation_reviews(NEGATION_COUNT, heldout_seed)
    return Corpus([r.text for r in drawn], np.array([r.true_label for r in drawn]), heldout_seed)


@pytest.fixture(scope="session")
def review_ids(
    learner: Learner, corpus: Corpus, heldout: Corpus, negations: Corpus
) -> dict[str, np.ndarray]:
    """The three sets of reviews as the grader's vectorizer turns them into ids."""
    layer = text_layer(
        learner, corpus.texts, max_tokens=MAX_TOKENS, output_sequence_length=SEQUENCE_LENGTH
    )
    sets = {"train": corpus, "heldout": heldout, "negations": negations}
    texts = [text for each in sets.values() for text in each.texts]
    ids = learner.run("texts_through", obj=layer.ref, texts=texts, what="the grader's vectorizer")
    ends = np.cumsum([len(each.texts) for each in sets.values()])
    return dict(zip(sets, np.split(ids.astype(np.int64), ends[:-1]), strict=True))


@pytest.fixture(scope="session")
def built(learner: Learner) -> Value:
    """``build_lstm_model`` for the grader's vocabulary, embedding size and sequence length."""
    return learner.call(
        "build_lstm_model",
        vocab_size=MAX_TOKENS,
        embedding_dim=EMBEDDING_DIM,
        sequence_length=SEQUENCE_LENGTH,
    )


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    return probe_loss(learner, model, BINARY)


@pytest.fixture(scope="session")
def training(
    learner: Learner,
    model: ModelInfo,
    review_ids: dict[str, np.ndarray],
    corpus: Corpus,
    grading: GradingContext,
) -> steps.Training:
    """The learner's ``train`` run once on the LSTM model, for the grader's budget."""
    return steps.train(learner, model, review_ids["train"], corpus.labels, epochs=grading.epochs)


@pytest.fixture(scope="session")
def said_positive(
    learner: Learner,
    training: steps.Training,
    review_ids: dict[str, np.ndarray],
    loss_probe: LossProbe | None,
) -> dict[str, np.ndarray]:
    """Whether the trained model calls each held-out review positive (its own output: above
    0.5, or above 0 when its loss reads logits)."""
    inputs = np.concatenate([review_ids["heldout"], review_ids["negations"]])
    outputs = learner.model_output(training.model.ref, inputs).astype(float)
    if outputs.shape[0] != len(inputs) or outputs.size != len(inputs):
        raise StepSkipped(
            f"skipped: the trained model gave an output of shape {outputs.shape} for "
            f"{len(inputs)} reviews; expected one number per review (see the model's check)."
        )
    cut = 0.0 if loss_probe is not None and loss_probe.reading == "logits" else 0.5
    positive = outputs.reshape(-1) > cut
    return {
        "heldout": positive[: len(review_ids["heldout"])],
        "negations": positive[-NEGATION_COUNT:],
    }


@pytest.fixture(scope="session")
def song_lines() -> list[str]:
    return songs.lines("train", seed=TRAIN_SEED)


@pytest.fixture(scope="session")
def heldout_lines(heldout_seed: int) -> list[str]:
    return songs.lines("heldout", seed=heldout_seed)


@pytest.fixture(scope="session")
def song_vectorizer(learner: Learner, song_lines: list[str]) -> Value:
    """The grader's TextVectorization adapted to the training lines (every word fits)."""
    return text_layer(learner, song_lines)


@pytest.fixture(scope="session")
def song_vocabulary(learner: Learner, song_vectorizer: Value) -> list[str]:
    return learner.run("vocabulary", obj=song_vectorizer.ref)


@pytest.fixture(scope="session")
def generator_built(learner: Learner, song_vocabulary: list[str], song_lines: list[str]) -> Value:
    """``build_generator(total_words, max_length)`` for the training lines."""
    return learner.call(
        "build_generator", total_words=len(song_vocabulary), max_length=ngrams.longest(song_lines)
    )


@pytest.fixture(scope="session")
def generator(generator_built: Value) -> ModelInfo:
    if generator_built.kind != "keras_model":
        raise StepSkipped(NOT_A_GENERATOR)
    return ModelInfo.parse(generator_built)


@pytest.fixture(scope="session")
def generator_loss(learner: Learner, generator: ModelInfo) -> NextWordLoss | None:
    return next_word_loss(learner, generator)


@pytest.fixture(scope="session")
def generator_training(
    learner: Learner,
    generator: ModelInfo,
    generator_loss: NextWordLoss | None,
    song_lines: list[str],
    song_vocabulary: list[str],
    grading: GradingContext,
) -> steps.Training:
    """The learner's ``train`` run once on the generator, on the grader's own n-grams of the
    training lines (next words as ids, or one-hot when the loss wants them so)."""
    inputs, targets, _ = ngrams.ngrams(song_lines, song_vocabulary)
    if generator_loss is not None and generator_loss.targets == "categorical":
        targets = ngrams.one_hot(targets, len(song_vocabulary))
    return steps.train(learner, generator, inputs, targets, epochs=grading.epochs)
