"""Lesson 9's models in words: what each layer should be, its parameter count, and what
keeps a learner's model from being the course's, said the way the course says it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checking import LayerInfo, ModelInfo


@dataclass(frozen=True)
class Want:
    """One layer the course's model has."""

    text: str
    """How a message names it, e.g. ``Bidirectional(LSTM(16))``."""
    test: Callable[[LayerInfo], bool]
    """Whether a learner's layer is it."""
    advice: Callable[[LayerInfo], str] = lambda layer: ""
    """What to say when the learner's layer in its place is not it."""


def inner(layer: LayerInfo) -> tuple[str, dict[str, Any]]:
    """The class name and config of the layer a wrapper (``Bidirectional``) holds."""
    wrapped = layer.config.get("layer")
    if not isinstance(wrapped, dict) or not isinstance(wrapped.get("config"), dict):
        return "", {}
    return str(wrapped.get("class_name")), wrapped["config"]


def embedding(vocab_size: int, dim: int) -> Want:
    def test(layer: LayerInfo) -> bool:
        config = layer.config
        return layer.is_a("Embedding") and (config.get("input_dim"), config.get("output_dim")) == (
            vocab_size,
            dim,
        )

    return Want(f"Embedding({vocab_size}, {dim})", test)


def bidirectional(kind: str, units: int, sequences: bool = False) -> Want:
    """``Bidirectional(kind(units))``, returning its whole sequence when ``sequences``."""

    def test(layer: LayerInfo) -> bool:
        name, config = inner(layer)
        returns = bool(config.get("return_sequences"))
        return layer.is_a("Bidirectional") and (name, config.get("units"), returns) == (
            kind,
            units,
            sequences,
        )

    def advice(layer: LayerInfo) -> str:
        if layer.is_a(kind):
            return (
                f" Wrap the {kind} in Bidirectional: it reads each text forwards and "
                "backwards and joins what both directions found."
            )
        name, config = inner(layer)
        if name == kind and config.get("units") != units:
            return f" The course's {kind} has {units} units."
        if name == kind and sequences:
            return (
                f" A {kind} that feeds another must hand on one vector per word: give the "
                "first one return_sequences=True."
            )
        return ""

    flag = ", return_sequences" if sequences else ""
    return Want(f"Bidirectional({kind}({units}{flag}))", test, advice)


def dense(units: int, activation: str, logits: bool = False) -> Want:
    """``Dense(units, activation)``; when ``logits``, a linear one does too (the loss then
    applies the activation, ``from_logits=True``)."""
    allowed = {activation, "linear"} if logits else {activation}
    return Want(
        f"Dense({units}, {activation})",
        lambda layer: layer.is_a("Dense") and layer.units == units and layer.activation in allowed,
    )


def conv1d(filters: int, size: int, activation: str) -> Want:
    def test(layer: LayerInfo) -> bool:
        size_found = layer.config.get("kernel_size")
        sizes = size_found if isinstance(size_found, list) else [size_found]
        shape = (layer.config.get("filters"), sizes)
        return (
            layer.is_a("Conv1D") and shape == (filters, [size]) and layer.activation == activation
        )

    return Want(f"Conv1D({filters}, {size}, {activation})", test)


def plain(kind: str) -> Want:
    return Want(f"{kind}()", lambda layer: layer.is_a(kind))


def architecture_problem(model: ModelInfo, wanted: list[Want]) -> str | None:
    """What keeps ``model`` from having the ``wanted`` layers, in words; ``None`` when it has."""
    layers = model.folded()
    expected = " → ".join(w.text for w in wanted)
    found = " → ".join(str(layer) for layer in layers) or "no layers"
    if len(layers) != len(wanted):
        return f"Expected {expected}; found {found} ({len(layers)} layers, not {len(wanted)})."
    for want, layer in zip(wanted, layers, strict=True):
        if not want.test(layer):
            return (
                f"Expected {expected}; found {found}: {layer} where {want.text} belongs."
                + want.advice(layer)
            )
    return None


def parameters(model: ModelInfo) -> int:
    """The model's parameter count, from its weights' shapes."""
    return sum(int(np.prod(shape)) for layer in model.layers for shape in layer.shapes)


def recurrent_parameters(kind: str, inputs: int, units: int, reset_after: bool = True) -> int:
    """One direction of an LSTM (4 gates) or a GRU (3; Keras's default GRU has two biases
    per gate, ``reset_after=True``) reading ``inputs`` numbers per word."""
    gates, biases = (4, 1) if kind == "LSTM" else (3, 2 if reset_after else 1)
    return gates * (inputs * units + units * units + biases * units)


def head_parameters(inputs: int) -> int:
    """Dense(6) on ``inputs`` numbers, then Dense(1)."""
    return (inputs * 6 + 6) + (6 + 1)
