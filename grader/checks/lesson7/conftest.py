"""Lesson 7's shared steps: make the series once, cut its windows once, train each model once.

The series and every reference figure are computed here, in the scoring
process (``reference.py``).  The learner process gets the training part's
windows for training and, after training, the windows of the validation
period to forecast from; the values to forecast stay here until the MAE is
computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from grader.checking import StepSkipped
from grader.checks import steps
from grader.checks.lesson7 import reference
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.session import Learner, Value

BATCH_SIZE = 32
"""The course's batch size for the windowed dataset."""
PASSES_PER_EPOCH = 10
"""Passes over the 970 training windows in one epoch of the grader's dataset (when the
budget is a multiple of it): fewer, longer epochs cost less than many short ones."""
RNN_SHARE = 5
"""The recurrent model trains for ``epochs // RNN_SHARE`` passes: each costs about five
times a linear pass."""
MODELS = ("linear", "dense", "rnn")
NOT_A_MODEL = "skipped: build_{kind}_model did not return a Keras model (see its check)."


@dataclass(frozen=True)
class Neural:
    """One of the learner's models, built, trained by the grader and asked to forecast."""

    kind: str
    """``linear``, ``dense`` or ``rnn``."""
    model: ModelInfo
    """The model before training."""
    training: steps.Training
    """What the learner's ``train`` returned, and the model after it."""
    passes: int
    """How many times training went over the 970 windows."""
    steps_expected: int
    """The optimizer steps that many passes take in batches of 32."""
    steps_taken: int | None
    """The optimizer's step count after ``train`` (None when it has none)."""
    forecast: Value
    """What ``model_forecast`` returned for the validation period."""


@pytest.fixture(scope="session")
def series() -> np.ndarray:
    """The course's series, made by the grader."""
    return reference.make_series()


@pytest.fixture(scope="session")
def window_probe(learner: Learner, series: np.ndarray) -> Value:
    """The learner's ``window_dataset`` on the training part, window 30."""
    return learner.call("window_dataset", series[: reference.SPLIT_TIME], reference.WINDOW_SIZE)


def passes_per_epoch(epochs: int) -> int:
    return math.gcd(epochs, PASSES_PER_EPOCH)


def budget(kind: str, epochs: int) -> int:
    """Passes over the training windows for ``kind``'s model."""
    return max(1, epochs // RNN_SHARE) if kind == "rnn" else epochs


@pytest.fixture(scope="session")
def training_windows(learner: Learner, series: np.ndarray, grading: GradingContext) -> Value:
    """The grader's own windows of the training part, shuffled and batched in the learner
    process, so that training does not depend on the learner's ``window_dataset``."""
    inputs, targets = reference.windows(series[: reference.SPLIT_TIME], reference.WINDOW_SIZE)
    return learner.run(
        "dataset_from_arrays",
        arrays=[inputs.astype(np.float32), targets.astype(np.float32)],
        batch_size=BATCH_SIZE,
        shuffle_buffer=1000,
        repeat=passes_per_epoch(grading.epochs),
    )


def train_and_forecast(
    learner: Learner, kind: str, windows: Value, series: np.ndarray, epochs: int
) -> Neural:
    built = learner.call(f"build_{kind}_model", reference.WINDOW_SIZE)
    if built.kind != "keras_model":
        raise StepSkipped(NOT_A_MODEL.format(kind=kind))
    model = ModelInfo.parse(built)
    per_epoch = passes_per_epoch(epochs)
    fit_epochs = max(1, budget(kind, epochs) // per_epoch)
    training = steps.train(learner, model, windows.ref, epochs=fit_epochs)
    state = learner.run("optimizer_state", model=model.ref)
    window_count = reference.SPLIT_TIME - reference.WINDOW_SIZE
    steps_expected = fit_epochs * math.ceil(window_count * per_epoch / BATCH_SIZE)
    start = reference.SPLIT_TIME - reference.WINDOW_SIZE
    forecast = learner.call("model_forecast", model.ref, series[start:-1], reference.WINDOW_SIZE)
    taken = getattr(state, "iterations", None)
    passes = fit_epochs * per_epoch
    return Neural(kind, model, training, passes, steps_expected, taken, forecast)


@pytest.fixture(scope="session")
def linear(learner, training_windows, series, grading) -> Neural:
    """The learner's linear model, trained by its ``train`` and asked to forecast."""
    return train_and_forecast(learner, "linear", training_windows, series, grading.epochs)


@pytest.fixture(scope="session")
def dense(learner, training_windows, series, grading) -> Neural:
    """The learner's dense network, trained by its ``train`` and asked to forecast."""
    return train_and_forecast(learner, "dense", training_windows, series, grading.epochs)


@pytest.fixture(scope="session")
def rnn(learner, training_windows, series, grading) -> Neural:
    """The learner's recurrent network, trained by its ``train`` and asked to forecast."""
    return train_and_forecast(learner, "rnn", training_windows, series, grading.epochs)
