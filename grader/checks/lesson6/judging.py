"""How lesson 6's checks compare predictions and optimizer states, with messages that teach."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.checks.lesson6.conftest import Saved
from grader.learner.ops.optimizer import OptimizerState


def compare(found: np.ndarray | None, expected: np.ndarray | None, what: str) -> float:
    """The largest absolute difference, or a failed check when the shapes differ."""
    assert found is not None and expected is not None, f"{what} gave no predictions."
    assert found.shape == expected.shape, (
        f"{what} gave predictions of shape {found.shape}; expected {expected.shape}, one row of "
        "10 outputs per image."
    )
    return float(np.max(np.abs(found.astype(np.float64) - expected.astype(np.float64))))


def safe_mode_advice(problem: str | None) -> str:
    if problem is not None and "Lambda" in problem:
        return (
            "A Lambda layer in build_model holds a Python function, which nobody should load "
            "from a file they did not write; use a built-in layer instead (e.g. "
            "keras.layers.Rescaling for scaling)."
        )
    if problem is not None and problem.startswith("refused by safe mode"):
        return "Use Keras's own layers, so that the file loads without custom code."
    return "Save the whole model with model.save(path)."


def resumed_steps_advice(found: OptimizerState, second: Saved) -> str:
    """Why the resumed optimizer's step count is off, guessed from what it is."""
    if found.iterations == 0:
        return (
            "It is a fresh optimizer: compiling the loaded model again replaces the saved one. "
            "Load the model with keras.models.load_model(path) and train it as it is."
        )
    other = second.file.optimizer
    if other is not None and found.iterations == other.iterations:
        return (
            f"That is the step count of the other model the grader saved ({second.path.name}): "
            "resume_training must load the model from the path it is given."
        )
    return "Load the model from the path you are given and train it without compiling again."


def assert_same_moments(
    found: OptimizerState, file: OptimizerState, record: Callable[[str, float], None]
) -> None:
    """The resumed optimizer's per-weight state equals the saved one, digest by digest."""
    saved_moments, moments = file.moments(), found.moments()
    assert len(moments) == len(saved_moments), (
        f"The resumed {found.class_name} optimizer keeps {len(moments)} moment arrays; the "
        f"saved {file.class_name} optimizer kept {len(saved_moments)}. Train the loaded model "
        "with the optimizer it came back with."
    )
    largest = 0.0
    for mine, theirs in zip(moments, saved_moments, strict=True):
        if mine.sha256 == theirs.sha256:
            continue
        if mine.array is not None and theirs.array is not None and mine.shape == theirs.shape:
            largest = max(largest, float(np.max(np.abs(mine.array - theirs.array))))
        else:
            largest = float("inf")
    record("moment_difference", largest)
    assert largest == 0.0, (
        f"With epochs=0, the resumed optimizer's moment estimates differ from the saved ones "
        f"(largest difference {largest:.3g}): the optimizer's state did not come back from the "
        "file. Load the model with keras.models.load_model(path) and do not compile it again."
    )
