"""Lesson 2's shared steps: load the data once, build once, train once, predict once.

The data is loaded here, in the scoring process; the learner process gets the
training images and labels and the test images, never the test labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from grader.checking import StepSkipped
from grader.checks import steps
from grader.datasets import fashion as data
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.outcomes import LearnerRaised
from grader.learner.session import Learner, Value

SAMPLE = 256
"""Training images used to probe normalize and make_dataset (labels may go to the learner)."""
SAMPLE_BATCH = 64
EVAL_BATCH = 50

NOT_A_DATASET_STEP = "skipped: make_dataset did not return a tf.data.Dataset to train on."


# The loss probe: targets [0, 3] and two rows of ten outputs.  Sparse categorical
# cross-entropy reading them as probabilities gives −mean(log 0.7, log 0.4); reading
# them as logits (from_logits=True) applies softmax first and gives another value.
PROBE_TARGETS = np.array([0, 3])
PROBE_OUTPUTS = np.array(
    [
        [0.7, 0.1, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01],
        [0.1, 0.1, 0.1, 0.4, 0.1, 0.05, 0.05, 0.05, 0.03, 0.02],
    ]
)


def _from_logits(outputs: np.ndarray) -> np.ndarray:
    exp = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


PROBE_LOSSES = {
    "probabilities": float(-np.mean(np.log(PROBE_OUTPUTS[[0, 1], PROBE_TARGETS]))),
    "logits": float(-np.mean(np.log(_from_logits(PROBE_OUTPUTS)[[0, 1], PROBE_TARGETS]))),
}


@dataclass(frozen=True)
class LossProbe:
    """What the learner's compiled loss gave on the probe, and how it read the outputs."""

    loss: float | None
    """The loss, or None when computing it failed (e.g. a loss that wants one-hot labels)."""
    reading: str
    """``"probabilities"``, ``"logits"`` (sparse categorical cross-entropy either way) or
    ``"other"`` (another loss)."""


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


@pytest.fixture(scope="session")
def fashion() -> data.FashionMnist:
    """Fashion-MNIST, loaded in the scoring process (a ``GraderFault`` if it cannot be)."""
    return data.fashion_mnist()


@pytest.fixture(scope="session")
def sample(fashion: data.FashionMnist) -> tuple[np.ndarray, np.ndarray]:
    """The first training images and their labels, for probing the learner's functions."""
    return fashion.train.images[:SAMPLE], fashion.train.labels[:SAMPLE]


@pytest.fixture(scope="session")
def probes(learner: Learner, sample: tuple[np.ndarray, np.ndarray]) -> Probes:
    images, labels = sample
    training = learner.call("make_dataset", images, labels, batch_size=SAMPLE_BATCH, training=True)
    evaluation = learner.call("make_dataset", images, labels, batch_size=EVAL_BATCH, training=False)
    return Probes(images, labels, training, evaluation)


@pytest.fixture(scope="session")
def train_dataset(learner: Learner, fashion: data.FashionMnist, probes: Probes) -> Value:
    """The learner's ``make_dataset`` on all 60,000 training images (after the probes worked)."""
    return learner.call("make_dataset", fashion.train.images, fashion.train.labels)


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    """What the compiled loss takes the model's outputs to be; None when not compiled."""
    if not model.compiled:
        return None
    try:
        loss = learner.compute_loss(model.ref, PROBE_TARGETS, PROBE_OUTPUTS)
    except LearnerRaised:
        return LossProbe(None, "other")
    for reading, expected in PROBE_LOSSES.items():
        if abs(loss - expected) <= 1e-3 * expected:
            return LossProbe(loss, reading)
    return LossProbe(loss, "other")


@pytest.fixture(scope="session")
def outputs(learner: Learner, model: ModelInfo, fashion: data.FashionMnist) -> str:
    """``"probabilities"`` when the untrained model's outputs are rows summing to 1, else
    ``"logits"``."""
    images = fashion.train.images[:8].astype(np.float32) / 255.0
    output = learner.model_output(model.ref, images)
    if output.ndim != 2 or output.shape[0] != len(images):
        return "logits"
    rows = output.astype(float)
    sums_to_one = np.allclose(rows.sum(axis=1), 1.0, atol=1e-3)
    return "probabilities" if sums_to_one and rows.min() >= 0 and rows.max() <= 1 else "logits"


@pytest.fixture(scope="session")
def training(
    learner: Learner, model: ModelInfo, train_dataset: Value, grading: GradingContext
) -> steps.Training:
    """The learner's ``train`` run once, for the grader's training budget."""
    if train_dataset.kind != "dataset":
        raise StepSkipped(NOT_A_DATASET_STEP)
    return steps.train(learner, model, train_dataset.ref, epochs=grading.epochs)


@pytest.fixture(scope="session")
def predicted(learner: Learner, training: steps.Training, fashion: data.FashionMnist) -> Value:
    """The learner's ``predict_classes`` on the 10,000 test images (their labels stay here)."""
    return learner.call("predict_classes", training.model.ref, fashion.test.images)
