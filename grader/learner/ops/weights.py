"""Operations on weights: fetch them when a check needs the numbers, else compare digests.

Layers are named by their path: ``dense`` at the top, ``base/conv2d`` inside a
nested model (a frozen base), so a check can follow one layer across calls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from grader.learner.describe import numeric_array
from grader.learner.ops import malformed, operation

MAX_DEPTH = 4


def layers_with_paths(model: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Every layer with weights, nested models opened, as (path, layer)."""
    for layer in getattr(model, "layers", []):
        path = f"{prefix}{layer.name}"
        inner = getattr(layer, "layers", None)
        if inner is not None and depth < MAX_DEPTH:
            yield from layers_with_paths(layer, f"{path}/", depth + 1)
        elif layer.weights:
            yield path, layer


def _read_weights(value: Any) -> list[dict[str, Any]]:
    well_formed = isinstance(value, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and isinstance(item.get("weights"), list)
        and all(isinstance(w, np.ndarray) for w in item["weights"])
        for item in value
    )
    if not well_formed:
        raise malformed("weights")
    return value


@operation("weights", "the model's weights", read=_read_weights)
def weights(child: Any, model: Any) -> list[dict[str, Any]]:
    """Every layer's weights: ``[{"path", "trainable", "weights": [arrays]}]``."""
    return [
        {
            "path": path,
            "trainable": bool(layer.trainable),
            "weights": [numeric_array(w) for w in layer.get_weights()],
        }
        for path, layer in layers_with_paths(model)
    ]


def _read_digests(value: Any) -> dict[str, dict[str, Any]]:
    well_formed = isinstance(value, dict) and all(
        isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in value.values()
    )
    if not well_formed:
        raise malformed("weight digests")
    return value


@operation("weights_digest", "the model's weights", read=_read_digests)
def weights_digest(child: Any, model: Any) -> dict[str, dict[str, Any]]:
    """``{path: {"sha256", "trainable", "params"}}``: weights compared without shipping them."""
    digests = {}
    for path, layer in layers_with_paths(model):
        digest = hashlib.sha256()
        for array in layer.get_weights():
            array = np.ascontiguousarray(array)
            digest.update(str((array.dtype.str, array.shape)).encode())
            digest.update(array.tobytes())
        digests[path] = {
            "sha256": digest.hexdigest(),
            "trainable": bool(layer.trainable),
            "params": int(layer.count_params()),
        }
    return digests
