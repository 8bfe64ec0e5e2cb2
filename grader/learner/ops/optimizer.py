"""Operations on a model's optimizer: its step count and state, as digests and small arrays.

``optimizer_state`` also serves the clean room (``cleanroom_main``), so that the
optimizer restored from a file and the one a learner's model holds are
described the same way and can be compared variable by variable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.learner.ops import malformed, operation

SCALARS = ("iteration", "iterations", "learning_rate")
"""The names of an optimizer's own scalars in Keras 3 (``adam/iteration``)."""
SMALL_STATE = 2_000_000
"""Variables travel as arrays while they hold this many numbers together."""


@dataclass(frozen=True)
class OptimizerVariable:
    """One variable of an optimizer (its step count, a moment estimate)."""

    path: str
    """Its name in Keras, e.g. ``adam/dense_kernel_momentum``."""
    shape: tuple[int, ...]
    dtype: str
    sha256: str
    """Digest of dtype, shape and bytes: equal digests mean equal arrays."""
    norm: float
    """Its Euclidean norm (zero for a moment estimate that has not moved)."""
    array: np.ndarray | None = field(default=None, repr=False)
    """The values themselves, when the optimizer's state is small."""


@dataclass(frozen=True)
class OptimizerState:
    """An optimizer as plain data."""

    class_name: str
    """``Adam``, ``SGD``, …"""
    iterations: int
    """How many steps it has taken."""
    variables: tuple[OptimizerVariable, ...]
    """Every variable, in the optimizer's order (the step count first in Keras 3)."""

    def moments(self) -> list[OptimizerVariable]:
        """The variables kept per weight (moment estimates), not the step count or the
        learning rate."""
        return [v for v in self.variables if v.path.rsplit("/", 1)[-1] not in SCALARS]


def _summary(variable: Any, with_array: bool) -> dict[str, Any]:
    array = np.ascontiguousarray(np.asarray(variable))
    digest = hashlib.sha256(str((array.dtype.str, array.shape)).encode() + array.tobytes())
    return {
        "path": str(getattr(variable, "path", getattr(variable, "name", "?"))),
        "shape": [int(n) for n in array.shape],
        "dtype": array.dtype.name,
        "sha256": digest.hexdigest(),
        "norm": float(np.linalg.norm(array.astype(np.float64).ravel())),
        "array": array if with_array and array.dtype.kind in "biuf" else None,
    }


def optimizer_state(model: Any) -> dict[str, Any] | None:
    """The model's optimizer as plain data, ``None`` when it has none (not compiled)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "iterations"):
        return None
    variables = list(getattr(optimizer, "variables", []))
    small = sum(int(np.prod(v.shape)) for v in variables) <= SMALL_STATE
    return {
        "class_name": type(optimizer).__name__,
        "iterations": int(np.asarray(optimizer.iterations)),
        "variables": [_summary(v, small) for v in variables],
    }


def read_state(value: Any) -> OptimizerState | None:
    """Scoring side: the plain data back as an ``OptimizerState``."""
    if value is None:
        return None
    try:
        variables = tuple(
            OptimizerVariable(
                path=str(v["path"]),
                shape=tuple(int(n) for n in v["shape"]),
                dtype=str(v["dtype"]),
                sha256=str(v["sha256"]),
                norm=float(v["norm"]),
                array=v["array"] if isinstance(v.get("array"), np.ndarray) else None,
            )
            for v in value["variables"]
        )
        return OptimizerState(str(value["class_name"]), int(value["iterations"]), variables)
    except (KeyError, TypeError, ValueError):
        raise malformed("optimizer state") from None


@operation("optimizer_state", "the model's optimizer", read=read_state)
def state(child: Any, model: Any) -> dict[str, Any] | None:
    """The optimizer's class, step count and variables (``OptimizerState`` when read)."""
    return optimizer_state(model)
