"""Lesson 1's checks from both sides: other spellings of the right model pass, and
each wrong submission fails the check it should, with the message it should.

Runs use a small training budget except where a check is about what training
achieves (the weights and the boiling point), which needs the calibrated 500.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.lesson1.test_lesson1 import NOT_COMPILED, RETURNED_NONE
from grader.results import RunResult, Status
from tests.conftest import SMALL_BUDGET, check, grade_source, variant

BUILD = "    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])\n"
COMPILE = (
    '    model.compile(loss="mean_squared_error", '
    "optimizer=keras.optimizers.Adam(learning_rate=0.1))\n"
)
FIT = "return model.fit(celsius, fahrenheit, epochs=epochs, verbose=0)"
PREDICT = "return model.predict(np.asarray(celsius, dtype=float), verbose=0)"
NOT_BUILT_ON = ("learned_weights", "predicts_boiling_point")

SPELLINGS = {
    "tf.keras, functional, loss object, positional Adam": (
        (
            BUILD,
            "    import tensorflow as tf\n"
            "    inputs = tf.keras.Input((1,))\n"
            "    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))\n",
        ),
        (
            COMPILE,
            "    model.compile(optimizer=tf.keras.optimizers.Adam(0.1),"
            " loss=tf.keras.losses.MeanSquaredError())\n",
        ),
    ),
    "input_shape=[1], loss 'mse', loss function": (
        (BUILD, "    model = keras.Sequential([keras.layers.Dense(1, input_shape=[1])])\n"),
        (
            COMPILE,
            "    model.compile(keras.optimizers.Adam(0.1), keras.losses.mean_squared_error)\n",
        ),
    ),
}


def grade(folder: Path, *replacements: tuple[str, str], epochs: int = SMALL_BUDGET) -> RunResult:
    return grade_source(folder, variant(*replacements), epochs=epochs)


def failed(result: RunResult, check_id: str) -> str:
    verdict = check(result, check_id)
    assert verdict.status is Status.FAILED, (check_id, verdict.status, verdict.message)
    assert verdict.hint, "a failed check always comes with a hint"
    return verdict.message or ""


@pytest.mark.parametrize("name", SPELLINGS)
def test_other_spellings_of_the_same_model_pass(tmp_path: Path, name: str) -> None:
    result = grade(tmp_path, *SPELLINGS[name])
    for check_id in ("returns_a_model", "architecture", "compiled"):
        assert check(result, check_id).passed, check(result, check_id).message
    training = check(result, "training")
    assert training.metrics["loss_ratio"] < 1, "it trains (20 epochs are too few to pass)"
    assert check(result, "predict_uses_the_model").passed


def test_a_model_that_is_not_returned(tmp_path: Path) -> None:
    result = grade(tmp_path, ("    return model\n\n\ndef train", "\n\ndef train"))
    assert failed(result, "returns_a_model") == RETURNED_NONE
    for check_id in ("architecture", "compiled", "training", *NOT_BUILT_ON):
        verdict = check(result, check_id)
        assert verdict.status is Status.SKIPPED
        assert verdict.message == "skipped: build_model did not return a Keras model."
    assert check(result, "predict_uses_the_model").passed, "predict is graded on its own"


def test_something_else_than_a_model(tmp_path: Path) -> None:
    result = grade(
        tmp_path, ("    return model\n\n\ndef train", "    return 'model'\n\n\ndef train")
    )
    assert failed(result, "returns_a_model") == (
        "build_model should return a Keras model; it returned str ('model')."
    )


def test_an_activation_the_wrong_optimizer_ignored_epochs_and_a_list(tmp_path: Path) -> None:
    result = grade(
        tmp_path,
        ("keras.layers.Dense(units=1)", "keras.layers.Dense(units=1, activation='relu')"),
        ("keras.optimizers.Adam(learning_rate=0.1)", "keras.optimizers.SGD(learning_rate=0.1)"),
        (FIT, "return model.fit(celsius, fahrenheit, epochs=3, verbose=0)"),
        (PREDICT, "return [float(v) for v in model.predict(celsius, verbose=0).ravel()]"),
    )
    assert failed(result, "architecture") == (
        "Expected no activation on the neuron; found relu. F = w·C + b is a straight line, "
        "which a single neuron without activation computes."
    )
    assert failed(result, "compiled") == "Expected the Adam optimizer; found SGD."
    assert failed(result, "training") == (
        f"The grader asked train for {SMALL_BUDGET} epochs; the History has 3 loss values. "
        "Pass epochs=epochs on to model.fit."
    )
    expected = "predict should return a numpy array; it returned list."
    assert failed(result, "predicts_boiling_point") == expected
    assert failed(result, "predict_uses_the_model") == expected


def test_no_compile_two_inputs_and_a_tensor(tmp_path: Path) -> None:
    result = grade(
        tmp_path,
        ("keras.Input(shape=(1,))", "keras.Input(shape=(2,))"),
        (COMPILE, ""),
        (PREDICT, "import tensorflow as tf\n    return tf.constant(celsius)"),
    )
    assert failed(result, "architecture") == (
        "Expected the model to take one input value (input_shape=[1]); it takes [[2]]."
    )
    assert failed(result, "compiled") == NOT_COMPILED
    assert check(result, "training").status is Status.ERROR
    assert failed(result, "predict_uses_the_model").startswith(
        "predict returned a TensorFlow tensor; return a numpy array"
    )


def test_a_schedule_no_history_and_one_prediction_too_few(tmp_path: Path) -> None:
    result = grade(
        tmp_path,
        (
            "learning_rate=0.1",
            "learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, 100, 0.9)",
        ),
        (FIT, FIT.replace("return ", "") + "\n    return None"),
        (PREDICT, "return model.predict(np.asarray(celsius)[1:], verbose=0)"),
    )
    assert (
        failed(result, "compiled") == "Expected a constant learning rate of 0.1; found a schedule."
    )
    assert failed(result, "training") == (
        "train returned None. Return the History that model.fit gives back."
    )
    assert failed(result, "predicts_boiling_point") == (
        "Expected one prediction per input: 3 inputs gave an array of shape (2, 1)."
    )


def test_a_learning_rate_too_small_to_learn_in_500_epochs(tmp_path: Path) -> None:
    """At the calibrated budget: the weak variant from docs/calibration.md."""
    result = grade(tmp_path, ("learning_rate=0.1", "learning_rate=0.01"), epochs=None)
    assert failed(result, "compiled") == "Expected Adam with learning rate 0.1; found 0.01."
    w, b = (
        check(result, "learned_weights").metrics["w"],
        check(result, "learned_weights").metrics["b"],
    )
    assert failed(result, "learned_weights") == (
        f"Expected w ≈ 1.8 (± 0.06) and b ≈ 32 (± 5); the model learned w = {w:.3f}, b = {b:.2f}."
    )
    assert failed(result, "predicts_boiling_point").endswith("°F for 100 °C; expected 212 ± 2.")
    assert check(result, "predict_uses_the_model").passed
