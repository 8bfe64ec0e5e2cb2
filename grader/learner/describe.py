"""Learner objects described as plain data, in the learner process.

Runs beside the submission (``child.py`` is its only user).  ``describe`` turns
whatever learner code returned into JSON values and numeric numpy arrays; the
object itself stays in this process, in the ``Store``, under a reference id the
scoring side can pass back.  Nothing here trusts the object: a ``__repr__``
that raises, a rigged subclass or a deep structure gets a safe description.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_TEXT = 2_000
NUMERIC_KINDS = "biufc"
MAX_DESCRIBED_ITEMS = 8
"""Items of a returned list or tuple described one by one (e.g. an (images, labels) pair)."""


def safe_repr(value: Any, limit: int = 200) -> str:
    """``repr`` that survives a learner object whose ``__repr__`` raises."""
    try:
        text = repr(value)
    except BaseException:
        text = f"<{type_name(value)} object>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_name(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def plain(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of ``value``: containers, numbers, strings; the rest as repr."""
    if value is None or type(value) in (bool, int, float):
        return value
    if type(value) is str:
        return value[:MAX_TEXT]
    if depth >= MAX_DEPTH:
        return safe_repr(value)
    if type(value) is dict:
        return {str(k): plain(v, depth + 1) for k, v in list(value.items())[:MAX_ITEMS]}
    if type(value) in (list, tuple):
        return [plain(v, depth + 1) for v in value[:MAX_ITEMS]]
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        return value.item() if value.dtype.kind in NUMERIC_KINDS else safe_repr(value)
    if type(value) is np.ndarray and value.dtype.kind in NUMERIC_KINDS and value.size <= MAX_ITEMS:
        return value.tolist()
    return safe_repr(value)


class Store:
    """Learner objects that stay in this process, named by reference ids."""

    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        ref = f"obj-{len(self.objects) + 1}"
        self.objects[ref] = value
        return ref

    def get(self, ref: str) -> Any:
        return self.objects[ref]

    def resolve(self, value: Any) -> Any:
        """Replace ``{"__ref__": id}`` in request arguments by the stored object."""
        if isinstance(value, dict):
            if set(value) == {"__ref__"}:
                return self.get(value["__ref__"])
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def numeric_array(value: Any) -> np.ndarray | None:
    array = np.asarray(value)
    return array if array.dtype.kind in NUMERIC_KINDS else None


ACTIVATION_PROBE = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]
"""Inputs on which a layer's activation is applied, so the scoring side can name it by what it
does (``"relu"``, ``tf.nn.relu`` and ``keras.layers.ReLU()`` all give the same numbers)."""
ACTIVATION_LAYERS = ("ReLU", "Softmax", "Activation", "LeakyReLU", "ELU", "PReLU")
SMALL_MODEL = 20_000
"""Models with at most this many parameters have their weights described; larger ones send
shapes only, and a check that needs the numbers asks for them (``ops/weights.py``)."""


def activation_probe(layer: Any) -> list[float] | None:
    """The layer's activation applied to ``ACTIVATION_PROBE`` (one row), or ``None``."""
    function = getattr(layer, "activation", None)
    if not callable(function) and type(layer).__name__ in ACTIVATION_LAYERS:
        function = layer
    if not callable(function):
        return None
    try:
        output = np.asarray(function(np.array([ACTIVATION_PROBE], dtype=np.float32)))
        return [float(v) for v in output.reshape(-1)[: len(ACTIVATION_PROBE)]]
    except Exception:
        return None


def config_of(layer: Any) -> Any:
    """The layer's config as plain data; empty for a custom layer that cannot give one
    (Keras raises when its ``__init__`` takes arguments ``get_config`` does not name)."""
    try:
        return plain(layer.get_config())
    except Exception:
        return {}


def describe_layer(layer: Any, with_weights: bool, depth: int = 0) -> dict[str, Any]:
    weights = layer.get_weights()
    described = {
        "class_name": type(layer).__name__,
        "mro": [c.__name__ for c in type(layer).__mro__],
        "name": str(layer.name),
        "config": config_of(layer),
        "weights": [numeric_array(w) for w in weights] if with_weights else [],
        "shapes": [list(np.shape(w)) for w in weights],
        "params": int(layer.count_params()) if layer.built else None,
        "trainable": bool(layer.trainable),
        "trainable_params": int(sum(np.prod(w.shape) for w in layer.trainable_weights)),
        "activation_probe": activation_probe(layer),
    }
    inner = getattr(layer, "layers", None)
    if isinstance(inner, list) and depth < 3:
        described["layers"] = [
            describe_layer(each, with_weights, depth + 1)
            for each in inner
            if type(each).__name__ != "InputLayer"
        ]
    return described


def describe_model(model: Any) -> dict[str, Any]:
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    try:
        inputs = [list(t.shape) for t in model.inputs] if model.built else None
    except (AttributeError, ValueError):
        inputs = None
    optimizer = getattr(model, "optimizer", None)
    compiled = bool(getattr(model, "compiled", False))
    loss = getattr(model, "loss", None)
    params = int(model.count_params()) if model.built else None
    small = params is not None and params <= SMALL_MODEL
    return {
        "layers": [describe_layer(layer, small) for layer in layers],
        "inputs": inputs,
        "params": params,
        "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        "compiled": compiled,
        "optimizer": None
        if optimizer is None or not compiled
        else {
            "class_name": type(optimizer).__name__,
            "mro": [c.__name__ for c in type(optimizer).__mro__],
            "config": plain(optimizer.get_config()),
        },
        "loss": None if loss is None else {"repr": safe_repr(loss), "name": loss_name(loss)},
        "compile_config": plain(model.get_compile_config()) if compiled else None,
    }


def loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    inner = getattr(loss, "fn", None)  # LossFunctionWrapper
    if inner is not None and getattr(loss, "name", None) in (
        None,
        getattr(inner, "__name__", None),
    ):
        return getattr(inner, "__name__", type(loss).__name__)
    return getattr(loss, "__name__", None) or type(loss).__name__


def is_dataset(value: Any) -> bool:
    tf = sys.modules.get("tensorflow")
    return tf is not None and isinstance(value, tf.data.Dataset)


def plain_spec(spec: Any, depth: int = 0) -> Any:
    """A dataset's element spec as plain data: ``{"shape": [...], "dtype": "float32"}`` leaves."""
    if depth >= MAX_DEPTH:
        return safe_repr(spec)
    if isinstance(spec, dict):
        return {str(k): plain_spec(v, depth + 1) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [plain_spec(v, depth + 1) for v in spec]
    shape, dtype = getattr(spec, "shape", None), getattr(spec, "dtype", None)
    if shape is None or dtype is None:
        return safe_repr(spec)
    dims = None if shape.rank is None else [d if d is None else int(d) for d in shape.as_list()]
    return {"shape": dims, "dtype": str(getattr(dtype, "name", dtype))}


def describe_dataset(dataset: Any) -> dict[str, Any]:
    return {
        "element_spec": plain_spec(dataset.element_spec),
        "cardinality": int(dataset.cardinality()),
    }


def take_batches(dataset: Any, passes: int, batches: int) -> list[list[list[Any]]]:
    """The first ``batches`` elements of each of ``passes`` passes, each flattened to arrays."""
    import tensorflow as tf

    taken = []
    for _ in range(passes):
        elements = []
        for element in dataset.take(batches):
            elements.append([numeric_array(t) for t in tf.nest.flatten(element)])
        taken.append(elements)
    return taken


def describe_history(history: Any) -> dict[str, Any]:
    return {
        "history": plain(history.history),
        "params": plain(history.params),
        "epochs": len(history.epoch),
    }


def describe(value: Any, store: Store, nested: bool = False) -> dict[str, Any]:
    """Plain data about ``value``; the value itself stays here under a ref.

    A list or tuple has its first items described too, one level deep only.
    """
    import keras

    kind = type(value)
    info: dict[str, Any] = {"type": type_name(value), "repr": safe_repr(value)}
    if value is None:
        return {**info, "kind": "none"}
    if isinstance(value, keras.Model):
        return {**info, "kind": "keras_model", "ref": store.add(value), **describe_model(value)}
    if isinstance(value, keras.callbacks.History):
        return {**info, "kind": "history", "ref": store.add(value), **describe_history(value)}
    if is_dataset(value):
        return {**info, "kind": "dataset", "ref": store.add(value), **describe_dataset(value)}
    if kind is np.ndarray or (isinstance(value, np.generic) and kind.__module__ == "numpy"):
        return {**info, "kind": "array", "value": numeric_array(value)}
    if kind.__module__.startswith("tensorflow") and hasattr(value, "numpy"):
        return {**info, "kind": "tensor", "value": numeric_array(value.numpy())}
    if kind in (bool, int, float, str):
        return {**info, "kind": "scalar", "value": plain(value)}
    if kind in (list, tuple):
        described = () if nested else value[:MAX_DESCRIBED_ITEMS]
        items = [describe(item, store, nested=True) for item in described]
        return {
            **info,
            "kind": "sequence",
            "length": len(value),
            "value": plain(value),
            "items": items,
        }
    return {**info, "kind": "other"}
