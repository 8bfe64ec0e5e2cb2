"""Lesson 4's CNN as the checks expect it: the layers, the Rescaling, the switches.

The model's core is read from its description with the extras left out
(Rescaling, the augmenter's random layers, Dropout), so that the switches can be
judged on their own: the augmenter's random layers (any layer whose class is
``Random…``, nested in a Sequential or not) and Dropout with the rate asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from grader.grading.model import LayerInfo, ModelInfo

COURSE_MODEL = (
    "Conv2D(32, 3, relu) → MaxPooling2D → Conv2D(64, 3, relu) → MaxPooling2D → Flatten → "
    "Dense(128, relu) → Dense(1, sigmoid)"
)
KINDS = ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense")
SETTINGS = {0: ("filters", 32), 2: ("filters", 64), 5: ("units", 128), 6: ("units", 1)}


def is_random(layer: LayerInfo) -> bool:
    """A random preprocessing layer (RandomFlip, RandomRotation, …), by its classes."""
    return any(name.startswith("Random") for name in layer.classes)


def every_layer(layers: tuple[LayerInfo, ...] | list[LayerInfo]) -> Iterator[LayerInfo]:
    """The layers, and the layers inside nested models, depth first."""
    for layer in layers:
        yield layer
        yield from every_layer(layer.layers)


def random_layers(model: ModelInfo) -> list[str]:
    return [layer.class_name for layer in every_layer(model.layers) if is_random(layer)]


def dropout_rates(model: ModelInfo) -> list[float]:
    """The rates of the model's Dropout layers (those that drop anything)."""
    rates = []
    for layer in every_layer(model.layers):
        rate = layer.config.get("rate")
        if layer.is_a("Dropout") and type(rate) in (int, float) and rate > 0:
            rates.append(float(rate))
    return rates


def _extra(layer: LayerInfo) -> bool:
    if layer.layers:
        return all(_extra(inner) for inner in layer.layers)
    return is_random(layer) or layer.is_a("Rescaling") or layer.is_a("Dropout")


def core(model: ModelInfo) -> list[LayerInfo]:
    """The layers without Rescaling, augmentation and Dropout (activation layers folded)."""
    return [layer for layer in model.folded() if not _extra(layer)]


def core_problem(model: ModelInfo) -> str | None:
    """What keeps the model's core from being the course's CNN; None when it is."""
    layers = core(model)
    names = " → ".join(str(layer) for layer in layers) or "no layers"
    if len(layers) != len(KINDS) or not all(
        layer.is_a(kind) for layer, kind in zip(layers, KINDS, strict=True)
    ):
        return f"Expected {COURSE_MODEL} (after Rescaling and the augmenter); found {names}."
    for position, (name, wanted) in SETTINGS.items():
        if layers[position].config.get(name) != wanted:
            return (
                f"Expected {COURSE_MODEL}; found {names}: check the {name} of {layers[position]}."
            )
    for position in (0, 2, 5):
        if layers[position].activation != "relu":
            return f"Expected relu in {layers[position]}; found {layers[position].activation}."
    kernels = [tuple(layers[p].config.get("kernel_size") or ()) for p in (0, 2)]
    if kernels != [(3, 3), (3, 3)]:
        return f"Expected 3 × 3 kernels in both convolutions; found {kernels}."
    if layers[-1].activation not in ("sigmoid", "linear"):
        return (
            f"The output layer has the {layers[-1].activation} activation; expected sigmoid, "
            "one probability that the image is a T-shirt/top."
        )
    return None


def first_convolution(model: ModelInfo) -> int | None:
    """The position of the first Conv2D among the model's own layers."""
    return next((i for i, layer in enumerate(model.layers) if layer.is_a("Conv2D")), None)


def rescaling_problem(raw: np.ndarray, seen: np.ndarray | None) -> str | None:
    """What the first convolution is given (``seen``) for raw images, against raw / 255."""
    unscaled = (
        "The first convolution is given the raw pixel values (0–255). Put "
        "keras.layers.Rescaling(1/255) first in the model, so that it sees values in [0, 1]."
    )
    if seen is None:
        return unscaled
    if seen.shape == raw.shape and np.allclose(seen, raw / 255.0, atol=1e-4):
        return None
    if seen.shape == raw.shape and np.allclose(seen, raw, atol=1e-3):
        return unscaled
    low, high = float(seen.min()), float(seen.max())
    return (
        f"For raw images (0–255) the first convolution is given values from {low:.3g} to "
        f"{high:.3g}; expected the images divided by 255, values in [0, 1]: "
        "keras.layers.Rescaling(1/255)."
    )
