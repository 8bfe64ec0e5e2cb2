"""Keras objects as the scoring process sees them: plain data, read defensively.

The learner process describes a model as JSON and arrays (``learner/child.py``);
these classes give checks a readable view of that description.  Anything
malformed is the submission's doing (it shares a process with the describer),
so it is reported as the learner's error, not as a grader fault.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.grading.layers import activation_name, layer_text, wrapped_text
from grader.learner.outcomes import LearnerRaised
from grader.learner.session import Ref, Value

ACTIVATION_LAYERS = ("Activation", "Softmax", "ReLU", "LeakyReLU", "ELU")
MALFORMED = "The submission interfered with the grader: its model description is malformed."


def _require(condition: bool) -> None:
    if not condition:
        raise LearnerRaised(MALFORMED)


@dataclass(frozen=True)
class LayerInfo:
    """One layer of a learner's model."""

    class_name: str
    """The layer's class, e.g. ``Dense``."""
    classes: tuple[str, ...]
    """Class names of the layer's class and its bases (a subclass of Dense is a Dense)."""
    config: dict[str, Any]
    """``layer.get_config()`` as plain data."""
    weights: tuple[np.ndarray, ...]
    """The layer's weights (kernel, bias, …) for small models; empty for larger ones (ask the
    learner process with ``learner.run("weights", model=…)``)."""
    shapes: tuple[tuple[int, ...], ...] = ()
    """The shapes of its weights, always."""
    params: int | None = None
    """Its parameter count; ``None`` before it is built."""
    trainable: bool = True
    """Whether training may change it."""
    trainable_params: int = 0
    """How many of its parameters training may change."""
    activation_probe: tuple[float, ...] | None = None
    """Its activation applied to ``layers.PROBE`` in the learner process."""
    layers: tuple[LayerInfo, ...] = ()
    """The layers inside it, for a nested model (a base network)."""

    @classmethod
    def parse(cls, data: Any) -> LayerInfo:
        _require(isinstance(data, dict))
        mro, config, weights = data.get("mro"), data.get("config"), data.get("weights")
        _require(isinstance(data.get("class_name"), str) and isinstance(mro, list))
        _require(isinstance(config, dict) and isinstance(weights, list))
        _require(all(isinstance(w, np.ndarray) for w in weights))
        shapes, inner = data.get("shapes") or [], data.get("layers") or []
        _require(isinstance(shapes, list) and isinstance(inner, list))
        params = data.get("params")
        probe = data.get("activation_probe")
        return cls(
            data["class_name"],
            tuple(map(str, mro)),
            config,
            tuple(weights),
            tuple(tuple(int(d) for d in shape) for shape in shapes if isinstance(shape, list)),
            int(params) if type(params) is int else None,
            data.get("trainable") is not False,
            int(data.get("trainable_params") or 0),
            tuple(float(v) for v in probe) if activation_name(probe) else None,
            tuple(cls.parse(layer) for layer in inner),
        )

    def is_a(self, class_name: str) -> bool:
        return class_name in self.classes

    @property
    def units(self) -> Any:
        return self.config.get("units")

    @property
    def activation(self) -> str:
        """The activation by what it computes: ``"relu"``, ``"softmax"``, ``"linear"`` …"""
        probe = None if self.activation_probe is None else list(self.activation_probe)
        named = activation_name(probe)
        if named is not None:
            return named
        activation = self.config.get("activation", "linear")
        return activation if isinstance(activation, str) else "an activation of your own"

    def __str__(self) -> str:
        if self.layers:
            frozen = "" if self.trainable else "frozen, "
            name = self.config.get("name", "?")
            return f"{self.class_name} '{name}' ({frozen}{len(self.layers)} layers)"
        if "layer" in self.config:
            return f"{self.class_name}({wrapped_text(self.config)})"
        has_activation = "activation" in self.config or self.class_name in (
            "Activation",
            "Softmax",
            "ReLU",
        )
        return layer_text(self.class_name, self.config, self.activation if has_activation else None)


@dataclass(frozen=True)
class OptimizerInfo:
    """The optimizer a model was compiled with."""

    class_name: str
    """E.g. ``Adam``."""
    classes: tuple[str, ...]
    """Class names of the optimizer's class and its bases."""
    config: dict[str, Any]
    """``optimizer.get_config()`` as plain data."""

    def is_a(self, class_name: str) -> bool:
        return class_name in self.classes

    @property
    def learning_rate(self) -> float | None:
        """The constant learning rate; ``None`` for a schedule."""
        rate = self.config.get("learning_rate")
        return float(rate) if type(rate) in (int, float) and math.isfinite(rate) else None


@dataclass(frozen=True)
class ModelInfo:
    """A learner's Keras model, described."""

    ref: Ref
    """Where the model lives in the learner process."""
    layers: tuple[LayerInfo, ...]
    """Its layers in order, without the input layer."""
    input_shapes: tuple[tuple[int | None, ...], ...] | None
    """Shapes of its inputs, batch dimension first; ``None`` before the model is built."""
    compiled: bool
    """Whether ``compile()`` was called."""
    optimizer: OptimizerInfo | None
    """The optimizer, when compiled."""
    loss_name: str | None
    """How the loss was given (``"mse"``, ``mean_squared_error``, ``MeanSquaredError`` …)."""
    compile_config: dict[str, Any] | None
    """``model.get_compile_config()`` as plain data (metrics live here)."""

    @classmethod
    def parse(cls, value: Value) -> ModelInfo:
        info = value.info
        _require(value.kind == "keras_model" and value.ref is not None)
        layers, inputs = info.get("layers"), info.get("inputs")
        _require(isinstance(layers, list))
        _require(
            inputs is None
            or (isinstance(inputs, list) and all(isinstance(s, list) for s in inputs))
        )
        optimizer = info.get("optimizer")
        if optimizer is not None:
            _require(isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict))
            optimizer = OptimizerInfo(
                str(optimizer.get("class_name")),
                tuple(map(str, optimizer.get("mro") or ())),
                optimizer["config"],
            )
        loss = info.get("loss")
        compile_config = info.get("compile_config")
        return cls(
            ref=value.ref,
            layers=tuple(LayerInfo.parse(layer) for layer in layers),
            input_shapes=None if inputs is None else tuple(tuple(shape) for shape in inputs),
            compiled=info.get("compiled") is True,
            optimizer=optimizer,
            loss_name=str(loss.get("name")) if isinstance(loss, dict) else None,
            compile_config=compile_config if isinstance(compile_config, dict) else None,
        )

    def folded(self) -> list[LayerInfo]:
        """The layers with each standalone activation layer (``Softmax()``, ``ReLU()``,
        ``Activation("relu")``) folded into the layer before it, so that ``Dense(10)`` followed
        by ``Softmax()`` reads as a Dense whose activation is softmax."""
        folded: list[LayerInfo] = []
        for layer in self.layers:
            standalone = any(layer.is_a(name) for name in ACTIVATION_LAYERS)
            if standalone and folded and folded[-1].activation == "linear":
                folded[-1] = dataclasses.replace(
                    folded[-1], activation_probe=layer.activation_probe
                )
            else:
                folded.append(layer)
        return folded

    def dense_layers(self) -> list[LayerInfo]:
        return [layer for layer in self.layers if layer.is_a("Dense")]

    def summary(self) -> str:
        """The layers as a learner would read them: ``Dense(4) → Dense(1)``."""
        return " → ".join(str(layer) for layer in self.layers) or "no layers"
