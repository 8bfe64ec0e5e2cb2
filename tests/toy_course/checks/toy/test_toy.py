"""The toy lesson's checks: one on a plain function, one on a model, using the toolkit."""

from __future__ import annotations

import numpy as np

from grader.checking import Learner, ModelInfo, check

PROBE = np.array([[-1.5, 0.0, 2.0]])


@check(points=2, hint=("Multiply by two.", "Return x * 2; numpy does it element by element."))
def test_double(learner: Learner) -> None:
    """double multiplies every number by two"""
    value = learner.call("double", PROBE)
    assert value.array is not None, f"double should return an array; it returned {value.type_name}."
    assert np.allclose(value.array, PROBE * 2), (
        f"Expected double({PROBE.tolist()}) = {(PROBE * 2).tolist()}; found {value.array.tolist()}."
    )


@check(points=1, hint=("One Dense layer.", "keras.layers.Dense(1) after keras.Input(shape=(3,))."))
def test_model(model: ModelInfo) -> None:
    """build_model gives one neuron"""
    assert model.summary() == "Dense(1)", f"Expected Dense(1); found {model.summary()}."
