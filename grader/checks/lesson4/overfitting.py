"""Measuring overfitting: accuracies on training, validation and test images, by the grader.

The learner's History reports training accuracy with augmentation and dropout
at work and, for a model that outputs logits, may threshold them at 0.5; so the
grader measures every accuracy itself, from the trained model's output in
inference mode (``model.predict``) on the images, with its own threshold: 0.5
for a sigmoid's probabilities, 0 for logits (what the compiled loss says the
output is).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks import steps
from grader.datasets import Split
from grader.grading.probes import LossProbe
from grader.learner.session import Learner
from grader.results import Figure

SETTINGS = {"plain": (False, 0.0), "regularized": (True, 0.5)}
"""``build_model``'s arguments for each trained model."""
TITLES = {"plain": "no augmentation, no dropout", "regularized": "augmentation and dropout"}
VALIDATION_NAMES = ("val_accuracy", "val_acc", "val_binary_accuracy")
ACCURACY_NAMES = ("accuracy", "acc", "binary_accuracy")


@dataclass(frozen=True)
class Splits:
    """The images the grader trains and measures on (uint8, N × 28 × 28 × 1; labels 0/1)."""

    train: Split
    validation: Split
    test: Split
    """Fashion-MNIST's test images of the two classes (never sent with their labels)."""


@dataclass(frozen=True)
class Measured:
    """One trained model, and its accuracies as the grader measured them."""

    name: str
    """``plain`` or ``regularized``."""
    training: steps.Training
    train: float | None = None
    """Accuracy on the 2,000 training images (inference mode)."""
    validation: float | None = None
    """Accuracy on the 1,000 validation images."""
    test: float | None = None
    """Accuracy on the 2,000 test images."""
    problem: str | None = None
    """Why the model's output could not be read as one score per image."""

    @property
    def gap(self) -> float | None:
        """Training minus validation accuracy: how much the model overfits."""
        if self.train is None or self.validation is None:
            return None
        return self.train - self.validation

    @property
    def call(self) -> str:
        augment, dropout = SETTINGS[self.name]
        return f"build_model(augment={augment}, dropout={dropout})"


def threshold(output: np.ndarray, probe: LossProbe | None) -> float:
    """Where a score becomes class 1: 0 for logits, 0.5 for probabilities."""
    if probe is not None and probe.reading in ("logits", "probabilities"):
        return 0.0 if probe.reading == "logits" else 0.5
    return 0.5 if output.min() >= 0 and output.max() <= 1 else 0.0


def decisions(output: np.ndarray, count: int, probe: LossProbe | None) -> np.ndarray | str:
    """0/1 for each image from the model's output, or what is wrong with the output."""
    if output.shape in ((count,), (count, 1)):
        scores = output.reshape(count).astype(np.float64)
        if not np.all(np.isfinite(scores)):
            return "The model's output holds NaN or infinite values: training diverged."
        return (scores > threshold(scores, probe)).astype(np.int64)
    if output.shape == (count, 2):
        return np.argmax(output, axis=1)
    return (
        f"Expected one output per image, shape ({count}, 1); the model gave shape "
        f"{output.shape}. End the model with Dense(1, activation='sigmoid')."
    )


def measure(
    learner: Learner, name: str, training: steps.Training, probe: LossProbe | None, splits: Splits
) -> Measured:
    """The trained model's accuracies on the three sets, from one call of its predict."""
    parts = (splits.train, splits.validation, splits.test)
    images = np.concatenate([part.images for part in parts]).astype(np.float32)
    output = learner.model_output(training.model.ref, images)
    found = decisions(output, len(images), probe)
    if isinstance(found, str):
        return Measured(name, training, problem=found)
    accuracies, start = [], 0
    for part in parts:
        end = start + len(part.labels)
        accuracies.append(float(np.mean(found[start:end] == part.labels)))
        start = end
    return Measured(name, training, *accuracies)


def curve(history: Mapping[str, Any], names: tuple[str, ...]) -> tuple[float, ...] | None:
    for name in names:
        values = history.get(name)
        if isinstance(values, list) and values and all(type(v) in (int, float) for v in values):
            return tuple(float(v) for v in values)
    return None


def curves(*measured: Measured) -> Figure | None:
    """Training and validation accuracy per epoch of both models, from their Histories."""
    series: dict[str, tuple[float, ...]] = {}
    for each in measured:
        history = each.training.history.info.get("history")
        if each.training.history.kind != "history" or not isinstance(history, dict):
            continue
        for label, names in (("training", ACCURACY_NAMES), ("validation", VALIDATION_NAMES)):
            values = curve(history, names)
            if values is not None:
                series[f"{TITLES[each.name]}: {label}"] = values
    if not series:
        return None
    return Figure("curves", "Accuracy per epoch", series, x_label="epoch", y_label="accuracy")
