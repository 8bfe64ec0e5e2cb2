"""Private checks for lesson 1: a course's own checks, kept out of learners' repositories.

This folder is a test fixture for ``python -m grader lesson1 --checks tests/private_checks``;
it has the same layout as ``grader/checks/lesson1/``.
"""

from __future__ import annotations

from grader.checking import check
from grader.grading.model import ModelInfo
from grader.learner.session import Value


@check(points=3, hint="build_model must return the model it built.")
def test_private_returns_a_model(built: Value) -> None:
    """Private: build_model hands back a Keras model"""
    assert built.kind == "keras_model", f"build_model returned {built.type_name}, not a model."


@check(points=2, hint="The course's model is a single neuron.")
def test_private_single_dense_layer(model: ModelInfo) -> None:
    """Private: the model has exactly one Dense layer"""
    found = len(model.dense_layers())
    assert found == 1, f"Expected one Dense layer; found {found}."
