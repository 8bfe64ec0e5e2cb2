"""Lesson 2's shared steps: load the data once, build once, train once, predict once.

The data is loaded here, in the scoring process; the learner process gets the
training images and labels and the test images, never the test labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from grader.checking import (
    SPARSE_CATEGORICAL,
    FashionMnist,
    GradingContext,
    Learner,
    LossProbe,
    ModelInfo,
    StepSkipped,
    Value,
    output_reading,
    probe_loss,
)
from grader.checks import steps

SAMPLE = 256
"""Training images used to probe normalize and make_dataset (labels may go to the learner)."""
SAMPLE_BATCH = 64
EVAL_BATCH = 50

NOT_A_DATASET_STEP = "skipped: make_dataset did not return a tf.data.Dataset to train on."


@dataclass(frozen=True)
class Probes:
    """The learner's ``make_dataset`` on a small sample, for training and for evaluation."""

    images: np.ndarray
    """The sample's raw images, uint8 (N, 28, 28, 1)."""
    labels: np.ndarray
    """The sample's labels."""
    training: Value
    """``make_dataset(images, labels, batch_size=SAMPLE_BATCH, training=True)``."""
    evaluation: Value
    """``make_dataset(images, labels, batch_size=EVAL_BATCH, training=False)``."""


data_first = steps.ready_first("fashion")


@pytest.fixture(scope="session")
def sample(fashion: FashionMnist) -> tuple[np.ndarray, np.ndarray]:
    """The first training images and their labels, for probing the learner's functions."""
    return fashion.train.images[:SAMPLE], fashion.train.labels[:SAMPLE]


@pytest.fixture(scope="session")
def probes(learner: Learner, sample: tuple[np.ndarray, np.ndarray]) -> Probes:
    images, labels = sample
    training = learner.call("make_dataset", images, labels, batch_size=SAMPLE_BATCH, training=True)
    evaluation = learner.call("make_dataset", images, labels, batch_size=EVAL_BATCH, training=False)
    return Probes(images, labels, training, evaluation)


@pytest.fixture(scope="session")
def train_dataset(learner: Learner, fashion: FashionMnist, probes: Probes) -> Value:
    """The learner's ``make_dataset`` on all 60,000 training images (after the probes worked)."""
    return learner.call("make_dataset", fashion.train.images, fashion.train.labels)


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    """What the compiled loss takes the model's outputs to be; None when not compiled."""
    return probe_loss(learner, model, SPARSE_CATEGORICAL)


@pytest.fixture(scope="session")
def outputs(learner: Learner, model: ModelInfo, fashion: FashionMnist) -> str:
    """``"probabilities"`` or ``"logits"``: what the untrained model outputs."""
    return output_reading(learner, model, fashion.train.images[:8].astype(np.float32) / 255.0)


@pytest.fixture(scope="session")
def training(
    learner: Learner, model: ModelInfo, train_dataset: Value, grading: GradingContext
) -> steps.Training:
    """The learner's ``train`` run once, for the grader's training budget."""
    if train_dataset.kind != "dataset":
        raise StepSkipped(NOT_A_DATASET_STEP)
    return steps.train(learner, model, train_dataset.ref, epochs=grading.epochs)


@pytest.fixture(scope="session")
def predicted(learner: Learner, training: steps.Training, fashion: FashionMnist) -> Value:
    """The learner's ``predict_classes`` on the 10,000 test images (their labels stay here)."""
    return learner.call("predict_classes", training.model.ref, fashion.test.images)
