"""The learner process: imports the submission and answers the grader's requests.

This module is the only grader code that shares a process with learner code.
It is started as ``python -I`` in a fresh working directory with a scrubbed
environment (see ``session.py``).  It reads requests from one pipe and writes
replies to another; the learner's stdout and stderr go elsewhere, so nothing
the learner prints can pass for a reply.  Every value sent back is described
as plain data: JSON values and numeric numpy arrays, never pickles.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.learner import cells, wire

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


def describe_layer(layer: Any) -> dict[str, Any]:
    return {
        "class_name": type(layer).__name__,
        "mro": [c.__name__ for c in type(layer).__mro__],
        "name": str(layer.name),
        "config": plain(layer.get_config()),
        "weights": [numeric_array(w) for w in layer.get_weights()],
        "params": int(layer.count_params()) if layer.built else None,
    }


def describe_model(model: Any) -> dict[str, Any]:
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    try:
        inputs = [list(t.shape) for t in model.inputs] if model.built else None
    except (AttributeError, ValueError):
        inputs = None
    optimizer = getattr(model, "optimizer", None)
    compiled = bool(getattr(model, "compiled", False))
    loss = getattr(model, "loss", None)
    return {
        "layers": [describe_layer(layer) for layer in layers],
        "inputs": inputs,
        "params": int(model.count_params()) if model.built else None,
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
        return {
            **info,
            "kind": "history",
            "ref": store.add(value),
            "history": plain(value.history),
            "params": plain(value.params),
            "epochs": len(value.epoch),
        }
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


class Child:
    """Answers requests for one submission."""

    def __init__(self, start: dict[str, Any], send: Callable[[dict[str, Any]], None]) -> None:
        self.send = send
        self.path: str = start["submission"]
        self.display: str = start["display"]
        self.seed: int = start["seed"]
        self.lines = cells.LineMap(start.get("line_map"))
        self.store = Store()
        self.module: Any = None

    def learner_traceback(self, exc: BaseException) -> str:
        """The traceback cut to the learner's own frames, with their file name."""
        frames = traceback.extract_tb(exc.__traceback__)
        own = [f for f in frames if f.filename == self.path and self.lines.where(f.lineno)]
        lines = [
            f'  File "{self.display}", {self.lines.where(f.lineno)}, in {f.name}\n    {f.line}'
            for f in own
        ]
        if frames and frames[-1].filename != self.path and not isinstance(exc, SyntaxError):
            where = frames[-1].filename
            where = where.split("site-packages/")[-1] if "site-packages/" in where else where
            lines.append(f"  (raised inside {where}, line {frames[-1].lineno})")
        last = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        lines.append(self.lines.relabel(last, self.path, self.display))
        return "\n".join(lines)

    def failure(self, exc: BaseException, function: str) -> dict[str, Any]:
        if isinstance(exc, SystemExit):
            kind = "exit"
        elif isinstance(exc, NotImplementedError):
            kind = "not_implemented"
        else:
            kind = "exception"
        return {
            "ok": False,
            "function": function,
            "kind": kind,
            "type": type(exc).__name__,
            "message": safe_repr(exc.code) if isinstance(exc, SystemExit) else str(exc)[:MAX_TEXT],
            "traceback": self.learner_traceback(exc),
        }

    def load(self) -> dict[str, Any]:
        try:
            import keras  # start TensorFlow before any learner code runs
        except BaseException as exc:
            return {
                "ok": False,
                "function": "import",
                "kind": "environment",
                "type": type(exc).__name__,
                "message": str(exc)[:MAX_TEXT],
                "traceback": "",
            }

        from grader.learner import reporting

        reporting.install(self.send)
        spec = importlib.util.spec_from_file_location("submission", self.path)
        if spec is None or spec.loader is None:
            return {
                "ok": False,
                "function": "import",
                "kind": "exception",
                "type": "ImportError",
                "message": "not a Python module",
                "traceback": "",
            }
        module = importlib.util.module_from_spec(spec)
        sys.modules["submission"] = module
        notes: list[str] = []
        try:
            if self.lines:  # generated from notebook cells: run cell by cell
                notes = self.lines.run(module, self.path)
            else:
                spec.loader.exec_module(module)
        except BaseException as exc:
            return self.failure(exc, "import")
        self.module = module
        keras.utils.set_random_seed(self.seed)
        functions = sorted(n for n, v in vars(module).items() if callable(v))
        return {"ok": True, "functions": functions, "notes": notes}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request["op"]
        if op == "call":
            return self.call(request["function"], request["args"], request["kwargs"])
        if op == "describe":
            return {"ok": True, "value": describe(self.store.get(request["ref"]), self.store)}
        if op == "compute_loss":
            model = self.store.get(request["ref"])
            loss = model.compute_loss(x=None, y=request["y_true"], y_pred=request["y_pred"])
            return {"ok": True, "value": float(np.asarray(loss))}
        if op == "make_model":
            import keras

            model = keras.models.model_from_json(request["config"])
            model.set_weights(request["weights"])
            return {"ok": True, "value": describe(model, self.store)}
        if op == "take_batches":
            dataset = self.store.get(request["ref"])
            return self.guarded(
                "iterating the dataset from make_dataset",
                lambda: take_batches(dataset, int(request["passes"]), int(request["batches"])),
            )
        if op == "map_dataset":
            return self.map_dataset(request)
        if op == "model_output":
            model = self.store.get(request["ref"])
            return self.guarded(
                "the model's own predict",
                lambda: numeric_array(model.predict(request["x"], verbose=0)),
            )
        raise ValueError(f"unknown request {op!r}")

    def map_dataset(self, request: dict[str, Any]) -> dict[str, Any]:
        """A dataset of the grader's arrays with a learner function mapped over it, batched."""
        import tensorflow as tf

        function = getattr(self.module, request["function"], None)
        if not callable(function):
            return self.call(request["function"], [], {})  # the usual "defines no function"
        dataset = tf.data.Dataset.from_tensor_slices(tuple(request["arrays"]))
        return self.guarded(
            request["function"],
            lambda: describe(dataset.map(function).batch(int(request["batch_size"])), self.store),
        )

    def guarded(self, what: str, work: Callable[[], Any]) -> dict[str, Any]:
        """Run ``work``, which runs learner code; its exception is the learner's, named ``what``."""
        try:
            return {"ok": True, "value": work()}
        except BaseException as exc:
            return self.failure(exc, what)

    def call(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        function = getattr(self.module, name, None)
        if not callable(function):
            return {
                "ok": False,
                "function": name,
                "kind": "missing",
                "type": "AttributeError",
                "message": f"the submission defines no function {name}()",
                "traceback": "",
            }
        args, kwargs = self.store.resolve(args), self.store.resolve(kwargs)
        mismatch = signature_mismatch(function, name, args, kwargs)
        if mismatch is not None:
            return {
                "ok": False,
                "function": name,
                "kind": "signature",
                "type": "TypeError",
                "message": mismatch,
                "traceback": "",
            }
        try:
            value = function(*args, **kwargs)
        except BaseException as exc:
            return self.failure(exc, name)
        return {"ok": True, "value": describe(value, self.store)}


def signature_mismatch(
    function: Any, name: str, args: list[Any], kwargs: dict[str, Any]
) -> str | None:
    """Why the grader's call cannot fit the learner's definition, or ``None`` if it can."""
    try:
        signature = inspect.signature(function)
    except Exception:
        return None  # not introspectable: the call itself will tell
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        call = ", ".join(["…"] * len(args) + [f"{key}=…" for key in kwargs])
        return (
            f"{name} is defined as {name}{signature}, but the grader calls it as "
            f"{name}({call}): {exc}. Keep the parameters the exercise file gives {name}."
        )
    return None


def main(argv: list[str]) -> None:
    requests = os.fdopen(int(argv[0]), "rb")
    replies = os.fdopen(int(argv[1]), "wb")
    lock = threading.Lock()  # progress events may come from Keras' callback threads

    def send(message: dict[str, Any]) -> None:
        with lock:
            wire.write(replies, message)

    socket.setdefaulttimeout(5)
    child = Child(wire.read(requests), send)
    send(child.load())
    while True:
        try:
            request = wire.read(requests)
        except EOFError:
            return
        try:
            reply = child.handle(request)
        except Exception as exc:
            reply = {
                "ok": False,
                "function": request.get("op", "?"),
                "kind": "grader",
                "type": type(exc).__name__,
                "message": str(exc)[:MAX_TEXT],
                "traceback": child.learner_traceback(exc),
            }
        send(reply)
