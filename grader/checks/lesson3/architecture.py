"""Lesson 3's CNN as the checks expect it, and its differences from a learner's model, in words.

The expected model is a table of layers; each of the learner's layers is read
from its configuration (filters, kernel size, padding, pool size, strides) and
named the way the course names it: "the first convolution", "the second max
pooling", "the hidden dense layer".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.grading.model import LayerInfo, ModelInfo

ORDINALS = ("first", "second", "third", "fourth")
KINDS = {"Conv2D": "convolution", "MaxPooling2D": "max pooling", "Flatten": "flatten"}


@dataclass(frozen=True)
class Expected:
    """One layer of the course's CNN."""

    kind: str
    """``convolution``, ``max pooling``, ``flatten`` or ``dense``."""
    settings: dict[str, Any]
    """What the layer's configuration must say (sizes as tuples)."""


CNN = (
    Expected("convolution", {"filters": 32, "kernel_size": (3, 3), "padding": "same"}),
    Expected("max pooling", {"pool_size": (2, 2), "strides": (2, 2)}),
    Expected("convolution", {"filters": 64, "kernel_size": (3, 3), "padding": "same"}),
    Expected("max pooling", {"pool_size": (2, 2), "strides": (2, 2)}),
    Expected("flatten", {}),
    Expected("dense", {"units": 128}),
    Expected("dense", {"units": 10}),
)
SEQUENCE = " → ".join(layer.kind for layer in CNN)
WORDS = {
    "filters": "{} filters",
    "kernel_size": "a {}×{} kernel",
    "padding": "padding={!r}",
    "pool_size": "a {}×{} window",
    "strides": "strides of {}×{}",
    "units": "{} units",
}
WHY = {
    "padding": " (with 'valid' there are no zeros around the image, so a 3×3 kernel makes the "
    "feature maps 2 pixels smaller each way: 28×28 becomes 26×26)",
    "strides": " (a stride of 2 halves the feature maps; 28×28 becomes 14×14)",
}


def kind(layer: LayerInfo) -> str:
    """How the course names this layer's kind."""
    for class_name, word in KINDS.items():
        if layer.is_a(class_name):
            return word
    return "dense" if layer.is_a("Dense") else layer.class_name


def sequence(layers: list[LayerInfo]) -> str:
    return " → ".join(kind(layer) for layer in layers) or "no layers"


def setting(layer: LayerInfo, name: str) -> Any:
    """A configuration value, lists as tuples (JSON turns tuples into lists)."""
    value = layer.config.get(name)
    if name == "strides" and value is None:
        value = layer.config.get("pool_size")
    return tuple(value) if isinstance(value, list) else value


def in_words(name: str, value: Any) -> str:
    template = WORDS[name]
    return template.format(*value) if isinstance(value, tuple) else template.format(value)


def layer_name(position: int, layers: tuple[Expected, ...] = CNN) -> str:
    """ "the second convolution", "the hidden dense layer", "the output layer"."""
    expected = layers[position]
    if expected.kind == "dense":
        return "the output layer" if position == len(layers) - 1 else "the hidden dense layer"
    same_kind = [i for i, other in enumerate(layers) if other.kind == expected.kind]
    return f"the {ORDINALS[same_kind.index(position)]} {expected.kind}"


def differences(layers: list[LayerInfo]) -> list[str]:
    """What differs, layer by layer, from the course's CNN (the kinds already match)."""
    problems: list[str] = []
    explained: set[str] = set()
    for position, (layer, expected) in enumerate(zip(layers, CNN, strict=True)):
        for name, wanted in expected.settings.items():
            found = setting(layer, name)
            if found != wanted:
                why = "" if name in explained else WHY.get(name, "")
                explained.add(name)
                problems.append(
                    f"{layer_name(position).capitalize()} has {in_words(name, found)}; "
                    f"expected {in_words(name, wanted)}{why}."
                )
        hidden = expected.kind == "convolution" or position == len(CNN) - 2
        if hidden and layer.activation != "relu":
            problems.append(
                f"{layer_name(position).capitalize()} has the {layer.activation} activation; "
                "expected relu."
            )
    return problems


def sequence_problem(layers: list[LayerInfo]) -> str | None:
    """None when the layer kinds are the CNN's, else what is missing or extra, in words."""
    found = [kind(layer) for layer in layers]
    if found == [layer.kind for layer in CNN]:
        return None
    advice = ""
    if "convolution" not in found:
        advice = (
            " There is no convolution: a CNN starts with Conv2D(32, (3, 3), …), whose filters "
            "look at 3×3 neighbourhoods of pixels."
        )
    elif "max pooling" not in found:
        advice = (
            " There is no max pooling: each convolution should be followed by "
            "MaxPooling2D((2, 2), strides=2), which halves the feature maps."
        )
    return f"Expected the layers {SEQUENCE}; found {sequence(layers)}.{advice}"


def parameters(model: ModelInfo) -> int:
    """The model's parameter count (from each layer's count, else from its weights)."""
    counts = (getattr(layer, "params", None) for layer in model.layers)
    return sum(
        count if isinstance(count, int) else sum(int(w.size) for w in layer.weights)
        for count, layer in zip(counts, model.layers, strict=True)
    )
