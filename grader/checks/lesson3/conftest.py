"""Lesson 3's shared steps: load the data once, train once, predict once.

Fashion-MNIST is loaded here, in the scoring process; the learner process gets
the training images and labels and the test images, never the test labels.
The compile-time probes (what the loss takes the model's outputs to be) are
lesson 2's, since the CNN is compiled the same way.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checking import SPARSE_CATEGORICAL, LossProbe, StepSkipped, output_reading, probe_loss
from grader.checks import steps
from grader.datasets import fashion as data
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.session import Learner, Value

NOT_A_DATASET_STEP = "skipped: make_dataset did not return a tf.data.Dataset to train on."


data_first = steps.ready_first("fashion")


@pytest.fixture(scope="session")
def train_dataset(learner: Learner, fashion: data.FashionMnist) -> Value:
    """The learner's ``make_dataset`` (shipped filled in) on all 60,000 training images."""
    return learner.call("make_dataset", fashion.train.images, fashion.train.labels)


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    """What the compiled loss takes the model's outputs to be; None when not compiled."""
    return probe_loss(learner, model, SPARSE_CATEGORICAL)


@pytest.fixture(scope="session")
def outputs(learner: Learner, model: ModelInfo, fashion: data.FashionMnist) -> str:
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
def predicted(learner: Learner, training: steps.Training, fashion: data.FashionMnist) -> Value:
    """The learner's ``predict_classes`` on the 10,000 test images (their labels stay here)."""
    return learner.call("predict_classes", training.model.ref, fashion.test.images)
