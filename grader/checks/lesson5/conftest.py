"""Lesson 5's shared steps: send the base, build, train once, predict, fine-tune once.

The base network is the file the package ships (``grader.datasets.base_network``):
the scoring process reads it and checks its SHA-256, the learner process loads
it (``keras_file``) and keeps it; the learner's ``build_model`` gets that
object. Its weights are digested in the learner process before ``build_model``
and after ``train``, so a check can tell whether training changed them without
shipping them here. The few labelled images come from training images the base
never saw; the test images' groups stay in this process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from grader.checking import (
    GradingContext,
    Learner,
    LossProbe,
    ModelInfo,
    Value,
    output_reading,
    probe_loss,
)
from grader.checks import steps
from grader.checks.lesson5 import transfer
from grader.datasets import base_network, fashion_mnist

FINE_TUNE_LAYERS = 2
FINE_TUNE_RATE = 2e-5
"""What the grader asks ``fine_tune`` for (not the defaults, so that they must be used)."""
FINE_TUNE_EPOCHS = 10
"""Epochs of ``train`` after ``fine_tune`` (fewer when the grader's budget is smaller)."""


@pytest.fixture(scope="session")
def task() -> base_network.TransferTask:
    """The four groups, the few labelled images, the test images and their groups."""
    return base_network.transfer_task(fashion_mnist())


data_first = steps.ready_first("task")


@pytest.fixture(scope="session")
def base(learner: Learner) -> ModelInfo:
    """The shipped base network up to ``features``, loaded in the learner process."""
    content = np.frombuffer(base_network.base_bytes(), dtype=np.uint8)
    value = learner.run(
        "keras_file",
        data=content,
        sha256=base_network.BASE_SHA256,
        layer=base_network.FEATURES,
    )
    return ModelInfo.parse(value)


@pytest.fixture(scope="session")
def base_before(learner: Learner, base: ModelInfo) -> dict[str, dict[str, Any]]:
    """Digests of the base's weights as shipped, before the learner's code touches it."""
    return learner.run("weights_digest", model=base.ref)


@pytest.fixture(scope="session")
def built(learner: Learner, base: ModelInfo, base_before: dict[str, Any]) -> Value:
    """The learner's ``build_model(base, num_classes=4)``."""
    return learner.call("build_model", base.ref, num_classes=transfer.GROUPS)


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    return probe_loss(learner, model, transfer.FOUR_GROUPS)


@pytest.fixture(scope="session")
def outputs(learner: Learner, model: ModelInfo, task) -> str:
    """``"probabilities"`` or ``"logits"``: what the model gives for raw images."""
    return output_reading(learner, model, task.images[:8].astype(np.float32))


@pytest.fixture(scope="session")
def training(learner: Learner, model: ModelInfo, task, grading: GradingContext) -> steps.Training:
    """The learner's ``train`` on the few labelled images, for the grader's budget."""
    return steps.train(learner, model, task.images, task.labels, epochs=grading.epochs)


@pytest.fixture(scope="session")
def base_after(learner: Learner, base: ModelInfo, training) -> dict[str, dict[str, Any]]:
    """Digests of the base's weights after the learner's ``train``."""
    return learner.run("weights_digest", model=base.ref)


@pytest.fixture(scope="session")
def predicted(learner: Learner, training: steps.Training, task) -> Value:
    """The learner's ``predict_classes`` on the 10,000 test images (their groups stay here)."""
    return learner.call("predict_classes", training.model.ref, task.test_images)


@dataclass(frozen=True)
class FineTuning:
    """What ``fine_tune`` returned, the model and base after it, and the short run after."""

    returned: Value
    model: ModelInfo
    """The model as ``fine_tune`` left it (before the short training)."""
    base: ModelInfo
    """The base as ``fine_tune`` left it."""
    predicted: Value | None
    """``predict_classes`` after training the fine-tuned model briefly; None when
    ``fine_tune`` did not return a model."""


@pytest.fixture(scope="session")
def fine_tuning(
    learner: Learner, training: steps.Training, predicted: Value, base: ModelInfo, task, grading
) -> FineTuning:
    """``fine_tune(model, base, layers=2, learning_rate=2e-5)`` on the trained model, then a
    few more epochs of the learner's ``train`` and ``predict_classes``."""
    returned = learner.call(
        "fine_tune",
        training.model.ref,
        base.ref,
        layers=FINE_TUNE_LAYERS,
        learning_rate=FINE_TUNE_RATE,
    )
    if returned.kind != "keras_model":
        return FineTuning(returned, training.model, base, None)
    tuned = ModelInfo.parse(returned)
    base_now = ModelInfo.parse(learner.describe(base.ref))
    epochs = min(FINE_TUNE_EPOCHS, grading.epochs)
    learner.call("train", tuned.ref, task.images, task.labels, epochs=epochs)
    after = learner.call("predict_classes", tuned.ref, task.test_images)
    return FineTuning(returned, tuned, base_now, after)
