"""Lesson 7 checks on the learned forecasts: linear, dense and recurrent models.

The grader trains each of the learner's models with the learner's ``train`` on
its own windows of the training part (``conftest.py``), then asks the
learner's ``model_forecast`` about the validation period.  The MAE thresholds
come from running the reference solution over many seeds beside weak
submissions (docs/calibration.md, lesson 7).
"""

from __future__ import annotations

import numpy as np

from grader.checking import check
from grader.checks.lesson7 import figures, reference
from grader.checks.lesson7.conftest import BATCH_SIZE, Neural
from grader.checks.lesson7.reading import forecast_of
from grader.grading.plugin import GradingContext

# Calibrated (docs/calibration.md, lesson 7).
LINEAR_THRESHOLD = 5.5
DENSE_THRESHOLD = 5.5
SPLIT = reference.SPLIT_TIME
NAIVE_MAE = reference.figures()["naive"]

LEAKAGE = (
    "The validation MAE is {mae:.3f}, below the noise floor {floor:.2f}: no forecast made "
    "from past values alone can beat the noise. The forecast has seen the values it "
    "forecasts. Check that each target comes right after its window, not inside it, and "
    "that model_forecast uses only the windows before each time step."
)


def validation_mae(neural: Neural, series: np.ndarray, request, record_property) -> float:
    """The trained model's validation MAE (recorded, with the forecast's figure), or a failed
    check: a forecast of the wrong shape, or one that has seen its targets."""
    actual = series[SPLIT:]
    what = f"model_forecast on the {neural.kind} model"
    forecast = forecast_of(neural.forecast, len(actual), what)
    mae = reference.mae(forecast, actual)
    record_property(f"{neural.kind}_mae", mae)
    figures.record_forecast(request, neural.kind, series, forecast, mae)
    assert np.isfinite(mae), f"The {neural.kind} model's forecast holds NaN or infinite values."
    assert mae >= reference.NOISE_FLOOR, LEAKAGE.format(mae=mae, floor=reference.NOISE_FLOOR)
    return mae


def budget_note(neural: Neural, grading: GradingContext) -> str:
    note = f"after {neural.passes} passes over the training windows"
    return note if grading.full_budget else note + " (a reduced budget: thresholds need the full)"


@check(
    points=3,
    hint=(
        "A linear model is one Dense unit over the window; compile it with the Huber loss.",
        "keras.Sequential([keras.Input(shape=(window_size,)), keras.layers.Dense(1)]), "
        "compiled with keras.losses.Huber() and SGD(learning_rate=1e-5, momentum=0.9) or Adam.",
    ),
)
def test_linear_model(linear: Neural, series, grading, request, record_property) -> None:
    """The linear model's forecast beats the naive forecast on the validation period"""
    trained = [layer for layer in linear.model.layers if layer.params]
    assert len(trained) == 1 and trained[0].is_a("Dense") and trained[0].units == 1, (
        f"A linear model is one Dense unit over the window; found {linear.model.summary()}."
    )
    mae = validation_mae(linear, series, request, record_property)
    assert mae <= LINEAR_THRESHOLD, (
        f"The linear model's validation MAE is {mae:.3f} {budget_note(linear, grading)}; "
        f"expected at most {LINEAR_THRESHOLD} (the naive forecast gives {NAIVE_MAE:.2f}, the "
        "best linear model about 4.99). Check the loss (Huber) and the learning rate."
    )


@check(
    points=3,
    hint=(
        "Two hidden Dense layers of 10 units with relu, then Dense(1), over the window.",
        "Compile with keras.losses.Huber() and SGD(learning_rate=1e-5, momentum=0.9) or Adam. "
        "A forecast stuck near 0 or near the window's average means the ReLU units are off: "
        "a window's values are all positive and alike, so each unit is on for every window "
        "or for none. Subtract the window's mean inside the model (and add it back), or use "
        "leaky_relu.",
    ),
)
def test_dense_model(dense: Neural, series, grading, request, record_property) -> None:
    """The dense network's forecast beats the naive forecast on the validation period"""
    units = [layer.units for layer in dense.model.layers if layer.params]
    assert units == [10, 10, 1], (
        f"Expected Dense(10) → Dense(10) → Dense(1); found {dense.model.summary()}."
    )
    mae = validation_mae(dense, series, request, record_property)
    assert mae <= DENSE_THRESHOLD, (
        f"The dense model's validation MAE is {mae:.3f} {budget_note(dense, grading)}; "
        f"expected at most {DENSE_THRESHOLD} (the naive forecast gives {NAIVE_MAE:.2f}). "
        "Check the loss (Huber), the learning rate and the activations."
    )


@check(
    points=1,
    hint=(
        "train should fit the model on the dataset it is given, for the epochs it is given.",
        "return model.fit(dataset, epochs=epochs); no other data (the validation period must "
        "stay unseen) and no early stopping.",
    ),
)
def test_train(linear: Neural) -> None:
    """train fits the model on the windows it is given, for the epochs asked"""
    steps = linear.steps_taken
    assert steps == linear.steps_expected, (
        f"Training the linear model on the grader's windows should take "
        f"{linear.steps_expected} optimizer steps (batches of {BATCH_SIZE}); the optimizer "
        f"took {steps}. train should fit on the dataset it is given, and only on it, for "
        "the epochs it is given."
    )


@check(
    points=3,
    hint=(
        "Add a feature axis inside the model, then recurrent layers, then Dense(1).",
        "Lambda(lambda x: tf.expand_dims(x, -1)) or Reshape((window_size, 1)), then "
        "SimpleRNN/LSTM/GRU layers, Dense(1), and scale the output (×200) as the course does; "
        "Adam learns faster here than SGD.",
    ),
)
def test_rnn_model(rnn: Neural, series, grading, request, record_property) -> None:
    """The recurrent network's forecast beats the naive forecast"""
    assert any(layer.is_a("RNN") or layer.is_a("Bidirectional") for layer in rnn.model.layers), (
        f"Expected recurrent layers (SimpleRNN, LSTM or GRU); found {rnn.model.summary()}."
    )
    mae = validation_mae(rnn, series, request, record_property)
    assert mae < NAIVE_MAE, (
        f"The recurrent model's validation MAE is {mae:.3f} {budget_note(rnn, grading)}; "
        f"it should beat the naive forecast ({NAIVE_MAE:.3f})."
    )
