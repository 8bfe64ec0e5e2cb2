"""The optimizer and accuracy readers that the lessons' compile checks share."""

from __future__ import annotations

import keras
import pytest

from grader.grading import messages
from grader.grading.readers import BINARY_ACCURACY_NAMES, accuracy_problems, optimizer_problems
from tests.test_layers import described


def compiled(optimizer: object, metrics: list[object]) -> object:
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, "sigmoid")])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=metrics)
    return described(model)


@pytest.mark.parametrize(
    "metric", ["accuracy", "acc", "binary_accuracy", keras.metrics.BinaryAccuracy()]
)
def test_every_spelling_of_adam_and_binary_accuracy_passes(metric: object) -> None:
    for optimizer in ("adam", keras.optimizers.Adam(learning_rate=0.01)):
        model = compiled(optimizer, [metric])
        assert optimizer_problems(model) == []
        assert accuracy_problems(model, BINARY_ACCURACY_NAMES) == []


def test_another_optimizer_and_a_missing_accuracy_are_named() -> None:
    model = compiled("sgd", ["mae"])
    assert optimizer_problems(model) == ["Expected the Adam optimizer; found SGD."]
    assert accuracy_problems(model, BINARY_ACCURACY_NAMES) == [
        "Expected metrics=['accuracy']; found ['mae']."
    ]
    assert accuracy_problems(compiled("adam", []), messages.ACCURACY_NAMES, "accuracy") == [
        "Expected accuracy; found none."
    ]


def test_a_model_never_compiled_has_no_optimizer() -> None:
    model = described(keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)]))
    assert optimizer_problems(model, "RMSprop") == ["Expected the RMSprop optimizer; found none."]
