"""How lesson 5's checks read a transfer model: the base, the head, what is trainable.

Everything here works on plain data the learner process sent (digests,
descriptions, weights, outputs); nothing runs learner code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checking import LayerInfo, LossSpec, ModelInfo
from grader.datasets.base_network import FEATURE_SIZE
from grader.grading.probes import softmax

GROUPS = 4


def _four_groups() -> LossSpec:
    targets = np.array([0, 3])
    outputs = np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.1, 0.3, 0.4]])
    picked = [0.7, 0.4]
    return LossSpec(
        targets,
        outputs,
        {
            "probabilities": float(-np.mean(np.log(picked))),
            "logits": float(-np.mean(np.log(softmax(outputs)[[0, 1], targets]))),
        },
    )


FOUR_GROUPS = _four_groups()
"""Sparse categorical cross-entropy over the four groups."""


def head_params(num_classes: int = GROUPS) -> int:
    """A Dense of ``num_classes`` units on the 128 features: 128 × k weights + k biases."""
    return FEATURE_SIZE * num_classes + num_classes


def weighted_layers(base: ModelInfo) -> list[LayerInfo]:
    """The base's layers that have weights, bottom to top."""
    return [layer for layer in base.layers if layer.params]


def name_of(layer: LayerInfo) -> str:
    return str(layer.config.get("name", layer.class_name))


def top_layers(base: ModelInfo, count: int) -> list[LayerInfo]:
    """The top ``count`` layers of the base that have weights."""
    return weighted_layers(base)[-count:]


def changed(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """The base's layers whose weights differ between two digests."""
    return [
        path
        for path, entry in before.items()
        if path not in after or after[path]["sha256"] != entry["sha256"]
    ]


def flagged_trainable(digests: dict[str, dict[str, Any]]) -> list[str]:
    """Layers whose own ``trainable`` flag is on."""
    return [path for path, entry in digests.items() if entry.get("trainable")]


def head_weights(layers: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray] | None:
    """The last layer with a (128, k) kernel and a (k,) bias: the head, as arrays."""
    for layer in reversed(layers):
        arrays = layer["weights"]
        if (
            len(arrays) == 2
            and arrays[0].ndim == 2
            and arrays[0].shape[0] == FEATURE_SIZE
            and arrays[1].shape == (arrays[0].shape[1],)
        ):
            return arrays[0].astype(np.float64), arrays[1].astype(np.float64)
    return None


def head_outputs(features: np.ndarray, head: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The head's logits for these features."""
    kernel, bias = head
    return features.astype(np.float64) @ kernel + bias


def matches(output: np.ndarray, logits: np.ndarray) -> bool:
    """Whether the model's output is these logits, or their softmax."""
    if output.shape != logits.shape:
        return False
    scale = 1e-3 * max(1.0, float(np.abs(logits).max()))
    return bool(
        np.allclose(output, logits, atol=scale) or np.allclose(output, softmax(logits), atol=1e-3)
    )


def accuracy(ids: np.ndarray, groups: np.ndarray) -> float:
    return float(np.mean(ids == groups))
