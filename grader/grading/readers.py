"""Readers for what learner functions return: arrays, class ids, image pairs, metrics.

Each turns a learner's value into arrays or names, or fails the check (``assert``)
with a message for the learner. Lessons share them; none knows a lesson.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from grader.grading import messages
from grader.grading.model import LayerInfo, ModelInfo
from grader.learner.outcomes import LearnerOutcome
from grader.learner.session import Learner, Value


def tensors(value: Value, what: str) -> tuple[np.ndarray, np.ndarray]:
    """The (images, labels) pair a call returned, as arrays, or a failed check saying why."""
    items = value.info.get("items")
    assert value.kind == "sequence" and isinstance(items, list) and len(items) == 2, (
        f"{what} should return a pair (images, labels); it returned {value.type_name} "
        f"({value.info.get('repr')})."
    )
    arrays = [item.get("value") if isinstance(item, dict) else None for item in items]
    arrays = [np.asarray(a) if type(a) in (int, float) else a for a in arrays]
    assert all(isinstance(a, np.ndarray) for a in arrays), (
        f"{what} should return two arrays or tensors of numbers."
    )
    return arrays[0], arrays[1]


def assert_normalised(images: np.ndarray, raw: np.ndarray, what: str) -> None:
    assert images.dtype == np.float32, (
        f"{what}: expected the images as float32; found {images.dtype}. "
        "Cast them with tf.cast(images, tf.float32)."
    )
    assert images.shape == raw.shape, (
        f"{what}: expected the images' shape to stay {raw.shape}; found {images.shape}."
    )
    low, high = float(images.min()), float(images.max())
    assert low >= 0.0 and high <= 1.0 + 1e-6, (
        f"{what}: expected pixel values in [0, 1]; found values from {low:g} to {high:g}. "
        "Divide by 255, the largest pixel value."
    )
    assert high >= 0.9 * float(raw.max()) / 255.0, (
        f"{what}: the brightest pixel (255) became {high:g}; expected about 1."
    )


def metric_names(metrics: Any) -> list[str]:
    """Names and class names of the compiled metrics, however they were given."""
    if isinstance(metrics, str):
        return [metrics]
    if isinstance(metrics, dict):
        if "class_name" in metrics:
            config = metrics.get("config") if isinstance(metrics.get("config"), dict) else {}
            return [str(metrics["class_name"]), str(config.get("name", ""))]
        return [name for value in metrics.values() for name in metric_names(value)]
    if isinstance(metrics, list):
        return [name for value in metrics for name in metric_names(value)]
    return []


def assert_trained_for(history: Value, epochs: int) -> None:
    """The History says ``fit`` ran the ``epochs`` the grader asked for, or a failed check."""
    found = history.info.get("epochs")
    assert found == epochs, (
        f"The grader asked train for {epochs} epochs; it trained for {found}. "
        "Pass epochs=epochs on to model.fit."
    )


BINARY_ACCURACY_NAMES = frozenset({"accuracy", "acc", "binary_accuracy", "BinaryAccuracy"})
"""Metric names that are accuracy for one sigmoid (or logit) output and labels 0/1."""


def optimizer_problems(model: ModelInfo, expected: str = "Adam") -> list[str]:
    """``[]`` when the model is compiled with ``expected``, else the sentence that says not."""
    optimizer = model.optimizer
    if optimizer is not None and optimizer.is_a(expected):
        return []
    found = optimizer.class_name if optimizer else "none"
    return [f"Expected the {expected} optimizer; found {found}."]


def accuracy_problems(
    model: ModelInfo, accepted: Collection[str], expected: str = "metrics=['accuracy']"
) -> list[str]:
    """``[]`` when one of the compiled metrics is named in ``accepted``, else the sentence."""
    names = metric_names((model.compile_config or {}).get("metrics"))
    if set(accepted) & set(names):
        return []
    return [f"Expected {expected}; found {names or 'none'}."]


def class_ids(value: Value, count: int, function: str = "predict_classes") -> np.ndarray:
    """``function``'s answer as integer ids, or a failed check saying why not."""
    assert value.kind != "none", f"{function} returned None. Return the class ids."
    assert value.kind in ("array", "tensor") and value.array is not None, (
        f"{function} should return a numpy array of class ids; it returned "
        f"{value.type_name} ({value.info.get('repr')})."
    )
    ids = value.array
    assert ids.shape == (count,), (
        f"Expected one class id per image: {count} images gave an array of shape {ids.shape}. "
        "Take the argmax over the last axis of the model's output."
    )
    assert ids.dtype.kind in "iu", (
        f"Expected integer class ids; found {ids.dtype}. np.argmax gives integers."
    )
    return ids


def normalised_by(
    learner: Learner, images: np.ndarray, function: str = "normalize"
) -> np.ndarray | None:
    """``images`` as the learner's ``function`` makes them, inside Dataset.map; None if it
    cannot (the check of that function says why). The labels it is given are placeholders."""
    try:
        mapped = learner.map_dataset(
            function, [images, np.zeros(len(images), np.int64)], batch_size=len(images)
        )
        if mapped.ref is None:
            return None
        batches = learner.take_batches(mapped.ref, passes=1, batches=1)[0]
    except LearnerOutcome:
        return None
    if len(batches) != 1 or len(batches[0]) != 2 or batches[0][0].shape != images.shape:
        return None
    return batches[0][0].astype(np.float32)


def output_layers(model: ModelInfo) -> tuple[list[LayerInfo], str]:
    """The model's layers, activation layers folded in, and the output activation (named by
    what it computes: ``tf.nn.softmax``, ``"softmax"`` and a ``Softmax()`` layer agree)."""
    layers = model.folded()
    last = layers[-1] if layers else None
    return layers, last.activation if last is not None and last.is_a("Dense") else "linear"


def assert_input_shape(model: ModelInfo, shape: list[int], what: str = "inputs") -> None:
    """The model takes ``what`` of ``shape`` (batch dimension left out), when it says."""
    if model.input_shapes is not None:
        shapes = [list(each[1:]) for each in model.input_shapes]
        expected = "×".join(map(str, shape))
        assert shapes == [shape], (
            f"Expected the model to take {expected} {what}; it takes {shapes}."
        )


def assert_output_agrees_with_loss(outputs: str, loss_probe: Any) -> None:
    """What the model outputs (probabilities or logits) is what its loss expects."""
    if loss_probe is None or loss_probe.reading == "other":
        return
    assert not (outputs == "probabilities" and loss_probe.reading == "logits"), (
        messages.SOFTMAX_TWICE
    )
    assert not (outputs == "logits" and loss_probe.reading == "probabilities"), (
        messages.LOGITS_AS_PROBABILITIES
    )
