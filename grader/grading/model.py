"""Keras objects as the scoring process sees them: plain data, read defensively.

The learner process describes a model as JSON and arrays (``learner/child.py``);
these classes give checks a readable view of that description.  Anything
malformed is the submission's doing (it shares a process with the describer),
so it is reported as the learner's error, not as a grader fault.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.learner.outcomes import LearnerRaised
from grader.learner.session import Ref, Value

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
    """The layer's weights (kernel, bias, …)."""

    @classmethod
    def parse(cls, data: Any) -> LayerInfo:
        _require(isinstance(data, dict))
        mro, config, weights = data.get("mro"), data.get("config"), data.get("weights")
        _require(isinstance(data.get("class_name"), str) and isinstance(mro, list))
        _require(isinstance(config, dict) and isinstance(weights, list))
        _require(all(isinstance(w, np.ndarray) for w in weights))
        return cls(data["class_name"], tuple(map(str, mro)), config, tuple(weights))

    def is_a(self, class_name: str) -> bool:
        return class_name in self.classes

    @property
    def units(self) -> Any:
        return self.config.get("units")

    @property
    def activation(self) -> str:
        activation = self.config.get("activation", "linear")
        return activation if isinstance(activation, str) else str(activation)

    def __str__(self) -> str:
        if self.is_a("Dense"):
            extra = "" if self.activation == "linear" else f", {self.activation}"
            return f"Dense({self.units}{extra})"
        return f"{self.class_name}()"


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

    def dense_layers(self) -> list[LayerInfo]:
        return [layer for layer in self.layers if layer.is_a("Dense")]

    def summary(self) -> str:
        """The layers as a learner would read them: ``Dense(4) → Dense(1)``."""
        return " → ".join(str(layer) for layer in self.layers) or "no layers"
