"""The first convolution's feature maps, recomputed by the grader from the layer's weights.

The learner's ``feature_maps`` runs a Keras sub-model; the grader takes the
first Conv2D layer's kernel and bias (the generic ``weights`` operation) and
computes the same maps in numpy (``computing.conv_layer``), then says how the
learner's answer differs when it does.
"""

from __future__ import annotations

import numpy as np

from grader.checks.lesson3 import computing
from grader.grading.model import LayerInfo, ModelInfo
from grader.learner.session import Learner

IMAGES = 16
"""Test images whose first-layer feature maps the grader recomputes."""
TOLERANCE = 1e-5
"""Largest difference allowed, relative to the maps' largest value (at least 1)."""
NO_CONVOLUTION = "The model has no Conv2D layer, so it has no feature maps to compare with."


def first_convolution(
    learner: Learner, model: ModelInfo
) -> tuple[LayerInfo, np.ndarray, np.ndarray]:
    """The model's first Conv2D layer, with its kernel and bias as they are now."""
    described = ModelInfo.parse(learner.describe(model.ref))
    layer = next((layer for layer in described.layers if layer.is_a("Conv2D")), None)
    assert layer is not None, NO_CONVOLUTION
    name = str(layer.config.get("name"))
    entries = learner.run("weights", model=model.ref)
    weights = next(
        (e["weights"] for e in entries if e["path"] == name or e["path"].endswith(f"/{name}")),
        list(layer.weights),
    )
    kernel = weights[0] if weights else np.zeros((1, 1, 1, 1))
    bias = weights[1] if len(weights) > 1 else np.zeros(kernel.shape[-1])
    return layer, kernel, bias


def expected_maps(layer: LayerInfo, kernel: np.ndarray, bias: np.ndarray, images: np.ndarray):
    """The layer's output on normalised ``images``, after relu, as the grader computes it."""
    padding = str(layer.config.get("padding", "valid"))
    before = computing.conv_layer(images.astype(np.float32) / 255.0, kernel, bias, padding)
    return computing.relu(before) if layer.activation == "relu" else before


def _close(found: np.ndarray, expected: np.ndarray) -> bool:
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    return found.shape == expected.shape and bool(
        np.allclose(found, expected, rtol=0.0, atol=TOLERANCE * scale)
    )


def shape_problem(found: tuple[int, ...], count: int) -> str | None:
    """None for (count, 28, 28, 32), else what the shape says went wrong."""
    expected = (count, 28, 28, 32)
    if found == expected:
        return None
    where = ""
    if found == (count, 10):
        where = " That is the model's output: end the sub-model at the first Conv2D layer."
    elif len(found) == 4 and found[1:3] == (14, 14):
        where = " 14×14 maps come after max pooling: end the sub-model at the first Conv2D layer."
    elif len(found) == 4 and found[1:3] == (26, 26):
        where = " 26×26 maps mean padding='valid'; the course's first convolution keeps 28×28."
    return (
        f"Expected feature maps of shape {expected}: 32 maps of 28×28, one per filter of the "
        f"first convolution, for each of {count} images; found {found}.{where}"
    )


def value_problem(found, expected, layer, kernel, bias, images) -> str | None:
    """None when ``found`` equals the grader's maps, else what they look like instead."""
    if _close(found, expected):
        return None
    padding = str(layer.config.get("padding", "valid"))
    raw = computing.conv_layer(images.astype(np.float64), kernel, bias, padding)
    if _close(found, computing.relu(raw)) or _close(found, raw):
        return (
            "feature_maps gave the first convolution's output on the raw pixel values (0–255). "
            "Normalise the images as predict_classes does before calling the sub-model."
        )
    before_relu = computing.conv_layer(images.astype(np.float32) / 255.0, kernel, bias, padding)
    if _close(found, before_relu):
        return (
            "feature_maps gave the first convolution's output before its relu (it has negative "
            "values). Use the layer's output, which has the activation applied."
        )
    difference = float(np.abs(found - expected).max())
    return (
        f"feature_maps differs from the grader's own computation of the first convolution "
        f"(with relu) on the normalised images by up to {difference:.3g}. Return "
        "keras.Model(model.inputs, first_conv.output) applied to the normalised images."
    )
