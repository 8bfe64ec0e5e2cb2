"""Steps that every lesson's checks share, as session fixtures.

``api.run_checks`` registers this module as a pytest plugin beside the grader's
own, so every lesson's checks (and an instructor's private checks) can take
``built`` and ``model`` as arguments without importing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from grader.checking import StepSkipped
from grader.datasets.fashion import FashionMnist, fashion_mnist
from grader.grading.model import ModelInfo
from grader.learner.session import Learner, Value

NOT_A_MODEL_STEP = "skipped: build_model did not return a Keras model."


@pytest.fixture(scope="session")
def fashion() -> FashionMnist:
    """Fashion-MNIST, loaded in the scoring process (a ``GraderFault`` if it cannot be).

    A lesson that grades on it names it in ``ready_first``."""
    return fashion_mnist()


def ready_first(*names: str) -> Any:
    """An autouse fixture for a lesson's conftest (``data_first = ready_first("fashion")``):
    the fixtures ``names`` are set up before the first call to the learner process, so
    loading data overlaps that process's import of TensorFlow instead of following it."""

    @pytest.fixture(scope="session", autouse=True)
    def data_first(request: pytest.FixtureRequest) -> None:
        for name in names:
            request.getfixturevalue(name)

    return data_first


@pytest.fixture(scope="session")
def built(learner: Learner) -> Value:
    """Whatever the learner's ``build_model()`` returned."""
    return learner.call("build_model")


@pytest.fixture(scope="session")
def model(built: Value) -> ModelInfo:
    """The learner's model, before training."""
    if built.kind != "keras_model":
        raise StepSkipped(NOT_A_MODEL_STEP)
    return ModelInfo.parse(built)


@dataclass(frozen=True)
class Training:
    """The outcome of the learner's ``train``, run once per grading run."""

    history: Value
    """What ``train`` returned (a History, if all is well)."""
    model: ModelInfo
    """The model as it is after training."""


def train(learner: Learner, model: ModelInfo, *data: Any, epochs: int) -> Training:
    """Call the learner's ``train(model, *data, epochs=epochs)`` and describe the model after."""
    history = learner.call("train", model.ref, *data, epochs=epochs)
    return Training(history, ModelInfo.parse(learner.describe(model.ref)))
