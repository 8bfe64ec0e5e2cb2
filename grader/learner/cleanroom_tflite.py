"""The clean room's reading of TensorFlow Lite flatbuffers (see ``cleanroom_main``).

The flatbuffer arrives as bytes; the interpreter (LiteRT, else ``tf.lite``)
runs it on the grader's inputs, turning quantized inputs and outputs to and
from floats with each tensor's scale and zero point.  The dtypes around each
op tell full-integer quantization (int8 activations) from dynamic-range
quantization (float activations, int8 weights).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader.learner.cleanroom_main import Problem, first_line


def interpreter_class() -> tuple[Any, str]:
    try:
        from ai_edge_litert.interpreter import Interpreter

        return Interpreter, "LiteRT (ai_edge_litert)"
    except ImportError:
        import tensorflow as tf

        return tf.lite.Interpreter, "tf.lite.Interpreter (ai-edge-litert is not installed)"


def plain_details(detail: dict[str, Any]) -> dict[str, Any]:
    scale, zero_point = detail.get("quantization", (0.0, 0))
    return {
        "name": str(detail.get("name", "")),
        "index": int(detail["index"]),
        "shape": [int(n) for n in detail.get("shape", [])],
        "shape_signature": [int(n) for n in detail.get("shape_signature", detail["shape"])],
        "dtype": np.dtype(detail["dtype"]).name,
        "scale": float(scale),
        "zero_point": int(zero_point),
    }


def to_input(x: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(detail["dtype"])
    if dtype.kind in "iu" and detail["scale"]:
        info = np.iinfo(dtype)
        q = np.round(x / detail["scale"] + detail["zero_point"])
        return np.clip(q, info.min, info.max).astype(dtype)
    return x.astype(dtype)


def from_output(y: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    if np.dtype(detail["dtype"]).kind in "iu" and detail["scale"]:
        return ((y.astype(np.float32) - detail["zero_point"]) * detail["scale"]).astype(np.float32)
    return y.astype(np.float32)


def run_interpreter(interpreter: Any, x: np.ndarray) -> np.ndarray:
    """Outputs for every row of ``x``: as one batch when the input's batch size may vary,
    else one row at a time."""
    source = interpreter.get_input_details()[0]
    if source["shape_signature"][0] == -1 and len(x) != source["shape"][0]:
        interpreter.resize_tensor_input(source["index"], [len(x), *source["shape"][1:]])
    interpreter.allocate_tensors()
    source = plain_details(interpreter.get_input_details()[0])
    target = plain_details(interpreter.get_output_details()[0])
    step = source["shape"][0] or 1
    outputs = []
    for start in range(0, len(x), step):
        interpreter.set_tensor(source["index"], to_input(x[start : start + step], source))
        interpreter.invoke()
        outputs.append(from_output(interpreter.get_tensor(target["index"]), target))
    return np.concatenate(outputs)[: len(x)]


def op_types(interpreter: Any) -> list[dict[str, Any]]:
    """For each compute op: the dtypes of its input tensors (in order; ``None`` for an
    absent optional input) and of its outputs."""
    dtypes = {d["index"]: np.dtype(d["dtype"]).name for d in interpreter.get_tensor_details()}
    found = []
    for op in interpreter._get_ops_details():
        found.append(
            {
                "op": str(op["op_name"]),
                "inputs": [dtypes.get(int(i)) for i in op["inputs"]],
                "outputs": [dtypes.get(int(i)) for i in op["outputs"]],
            }
        )
    return found[:1000]


def tflite_file(root: Path, request: dict[str, Any]) -> dict[str, Any]:
    data = bytes(np.asarray(request["data"], dtype=np.uint8))
    if not data:
        raise Problem("it is empty (0 bytes)")
    if data[:2] == b"PK":
        raise Problem("it is a zip archive (a Keras file?), not a TensorFlow Lite flatbuffer")
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise Problem(
            f"it does not carry the TensorFlow Lite file identifier TFL3 "
            f"(bytes 4–8 are {data[4:8]!r})"
        )
    interpreter_type, runtime = interpreter_class()
    try:
        interpreter = interpreter_type(model_content=data, num_threads=1)
        interpreter.allocate_tensors()
        ops = op_types(interpreter)
        outputs = run_interpreter(interpreter, np.asarray(request["x"], dtype=np.float32))
    except Exception as exc:
        raise Problem(
            f"the interpreter could not run it ({type(exc).__name__}: {first_line(exc)})"
        ) from None
    return {
        "runtime": runtime,
        "size": len(data),
        "inputs": [plain_details(d) for d in interpreter.get_input_details()],
        "output_details": [plain_details(d) for d in interpreter.get_output_details()],
        "ops": ops,
        "outputs": outputs,
    }
