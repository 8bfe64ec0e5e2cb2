"""Probes: small inputs whose right answers the grader knows, to judge by behaviour.

A loss probe gives the learner's compiled loss fixed targets and outputs; the
value tells which loss it is and whether it reads the outputs as probabilities
or as logits. An output probe looks at what the untrained model gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.grading.model import ModelInfo
from grader.learner.outcomes import LearnerRaised
from grader.learner.session import Learner


def softmax(outputs: np.ndarray) -> np.ndarray:
    exp = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def sigmoid(outputs: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-outputs))


@dataclass(frozen=True)
class LossSpec:
    """Targets and outputs to hand a compiled loss, and what each reading of them gives."""

    targets: np.ndarray
    """The ``y_true`` given to the loss."""
    outputs: np.ndarray
    """The ``y_pred`` given to the loss."""
    readings: dict[str, float]
    """``{"probabilities": loss, "logits": loss}`` for the loss the lesson expects."""


def _sparse_categorical() -> LossSpec:
    targets = np.array([0, 3])
    outputs = np.array(
        [
            [0.7, 0.1, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01],
            [0.1, 0.1, 0.1, 0.4, 0.1, 0.05, 0.05, 0.05, 0.03, 0.02],
        ]
    )
    rows = [0, 1]
    return LossSpec(
        targets,
        outputs,
        {
            "probabilities": float(-np.mean(np.log(outputs[rows, targets]))),
            "logits": float(-np.mean(np.log(softmax(outputs)[rows, targets]))),
        },
    )


def _binary() -> LossSpec:
    targets = np.array([[1.0], [0.0], [1.0]])
    outputs = np.array([[0.8], [0.3], [0.6]])

    def cross_entropy(p: np.ndarray) -> float:
        return float(-np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p)))

    return LossSpec(
        targets,
        outputs,
        {"probabilities": cross_entropy(outputs), "logits": cross_entropy(sigmoid(outputs))},
    )


SPARSE_CATEGORICAL = _sparse_categorical()
"""Sparse categorical cross-entropy over ten classes."""
BINARY = _binary()
"""Binary cross-entropy over one sigmoid output."""


@dataclass(frozen=True)
class LossProbe:
    """What the learner's compiled loss gave on the probe, and how it read the outputs."""

    loss: float | None
    """The loss, or None when computing it failed (e.g. a loss that wants one-hot labels)."""
    reading: str
    """``"probabilities"``, ``"logits"`` (the expected loss either way) or ``"other"``."""


def probe_loss(learner: Learner, model: ModelInfo, spec: LossSpec) -> LossProbe | None:
    """What the compiled loss takes the model's outputs to be; None when not compiled."""
    if not model.compiled:
        return None
    try:
        loss = learner.compute_loss(model.ref, spec.targets, spec.outputs)
    except LearnerRaised:
        return LossProbe(None, "other")
    for reading, expected in spec.readings.items():
        if abs(loss - expected) <= 1e-3 * expected:
            return LossProbe(loss, reading)
    return LossProbe(loss, "other")


def output_reading(learner: Learner, model: ModelInfo, x: np.ndarray) -> str:
    """``"probabilities"`` when the model's outputs on ``x`` are rows summing to 1 (or, for
    one output, values in [0, 1]), else ``"logits"``."""
    output = learner.model_output(model.ref, x).astype(float)
    if output.ndim != 2 or output.shape[0] != len(x):
        return "logits"
    in_range = output.min() >= 0 and output.max() <= 1
    if output.shape[1] == 1:
        return "probabilities" if in_range else "logits"
    sums_to_one = np.allclose(output.sum(axis=1), 1.0, atol=1e-3)
    return "probabilities" if sums_to_one and in_range else "logits"
