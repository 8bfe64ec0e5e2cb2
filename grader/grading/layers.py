"""Layers in words: activations named by what they compute, every course layer readable.

The learner process applies each layer's activation to a fixed probe
(``learner/describe.py``); here the numbers are matched against the activations
the course uses, so ``"softmax"``, ``tf.nn.softmax`` and a ``Softmax`` layer are
all called "softmax", and no message ever shows a config dict.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

PROBE = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
TOLERANCE = 1e-4
RECURRENT = ("SimpleRNN", "LSTM", "GRU")


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "softmax": _softmax,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "softplus": lambda x: np.log1p(np.exp(x)),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
}
"""What each activation gives on ``PROBE``, computed here in numpy."""


def activation_name(probe: Any) -> str | None:
    """The activation whose outputs on ``PROBE`` match ``probe``; ``None`` when there is none
    to match (no probe); ``"an activation of your own"`` when nothing known matches."""
    if not isinstance(probe, list) or len(probe) != len(PROBE):
        return None
    if not all(type(v) in (int, float) for v in probe):
        return None
    values = np.asarray(probe, dtype=float)
    for name, function in ACTIVATIONS.items():
        if np.allclose(values, function(PROBE), atol=TOLERANCE, rtol=TOLERANCE):
            return name
    return "an activation of your own"


def _pair(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2 and value[0] == value[1]:
        return f"{value[0]}×{value[1]}"
    if isinstance(value, list):
        return "×".join(map(str, value))
    return str(value)


def _fraction(value: Any) -> str:
    if type(value) not in (int, float):
        return str(value)
    close = Fraction(value).limit_denominator(1000)
    return f"{close.numerator}/{close.denominator}" if close.denominator > 1 else str(value)


def _factor(value: Any) -> str:
    """A symmetric range ``[-0.1, 0.1]`` reads as ``0.1``, as the learner wrote it."""
    if isinstance(value, list) and len(value) == 2 and value[0] == -value[1]:
        return str(value[1])
    return str(value)


def _extras(config: dict[str, Any], activation: str | None) -> list[str]:
    extras = []
    if config.get("padding") not in (None, "valid"):
        extras.append(str(config["padding"]))
    strides = config.get("strides")
    if strides not in (None, 1, [1], [1, 1], config.get("pool_size")):
        extras.append(f"stride {_pair(strides)}")
    if config.get("dilation_rate") not in (None, 1, [1], [1, 1]):
        extras.append(f"dilation {_pair(config['dilation_rate'])}")
    if config.get("return_sequences"):
        extras.append("return_sequences")
    if activation not in (None, "linear"):
        extras.append(activation)
    return extras


def layer_text(class_name: str, config: dict[str, Any], activation: str | None) -> str:
    """``Conv2D(32, 3×3, same, relu)``, ``MaxPooling2D(2×2)``, ``Dropout(0.5)`` …"""
    if class_name in RECURRENT and activation == "tanh":
        activation = None  # their default: not worth a word
    first: list[str] = []
    if "units" in config:
        first.append(str(config["units"]))
    if "filters" in config:
        first += [str(config["filters"]), _pair(config.get("kernel_size"))]
    if "pool_size" in config:
        first.append(_pair(config["pool_size"]))
    if "rate" in config:
        first.append(str(config["rate"]))
    if class_name == "Rescaling":
        offset = config.get("offset") or 0
        first.append(_fraction(config.get("scale")) + (f", offset {offset}" if offset else ""))
    if class_name == "Embedding":
        first += [str(config.get("input_dim")), str(config.get("output_dim"))]
    if class_name.startswith("Random"):
        for key in ("mode", "factor", "height_factor", "width_factor"):
            if key in config:
                first.append(_factor(config[key]))
    if class_name == "TextVectorization":
        first += [f"max_tokens={config.get('max_tokens')}"]
        first += [f"sequence_length={config.get('output_sequence_length')}"]
    if class_name in ("Activation", "Softmax", "ReLU") and activation:
        return activation if class_name == "Activation" else f"{class_name}()"
    return f"{class_name}({', '.join(first + _extras(config, activation))})"


def wrapped_text(config: dict[str, Any]) -> str:
    """What a wrapper such as ``Bidirectional`` holds: ``LSTM(16)``."""
    inner = config.get("layer")
    if not isinstance(inner, dict) or not isinstance(inner.get("config"), dict):
        return "?"
    inner_config = inner["config"]
    activation = inner_config.get("activation")
    named = activation if isinstance(activation, str) and activation != "tanh" else None
    return layer_text(str(inner.get("class_name")), inner_config, named)
