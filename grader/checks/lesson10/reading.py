"""How lesson 10's checks read the learner's flatbuffers and predictions.

The scoring process never opens a flatbuffer: it checks that learner code
answered with bytes of a sensible size and hands them to the clean room, whose
``TfliteFile`` says what the interpreter made of them.  Each helper here either
returns what a check needs or fails it (``assert``) with a message for the
learner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.learner.cleanroom import CleanRoom, TfliteFile
from grader.learner.ops.blobs import MAX_BLOB_BYTES, Blob
from grader.learner.outcomes import StepSkipped
from grader.learner.session import Value
from grader.limits import format_size

KERNELS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV")


@dataclass(frozen=True)
class Converted:
    """A learner function's flatbuffer and what the clean room found in it."""

    function: str
    size: int | None
    """Its size in bytes; ``None`` when the answer was not bytes."""
    problem: str | None
    """Why it is not a model the interpreter can run, in words; ``None`` when it ran."""
    file: TfliteFile | None = None

    def usable(self) -> TfliteFile:
        """The examined file, or a failed check saying why there is none."""
        assert self.problem is None and self.file is not None, (
            f"{self.function} should return a TensorFlow Lite model (the bytes "
            f"converter.convert() gives), but {self.problem}."
        )
        return self.file

    def needed_by(self, what: str) -> TfliteFile:
        """The examined file, or a skipped step: another check already failed on it."""
        if self.problem is not None or self.file is None:
            raise StepSkipped(f"skipped: {self.function} gave no model to {what}.")
        return self.file


def examine(function: str, blob: Blob, room: CleanRoom, x: np.ndarray) -> Converted:
    """Check the answer's type and size here; everything else happens in the clean room."""
    if blob.size is None:
        problem = f"it returned {blob.type_name} ({blob.repr}), not bytes"
        return Converted(function, None, problem)
    if blob.data is None:
        problem = f"it returned {blob.size:,} bytes, more than {format_size(MAX_BLOB_BYTES)}"
        return Converted(function, blob.size, problem)
    if blob.size == 0:
        return Converted(function, 0, "it returned empty bytes (b'')")
    found = room.inspect_tflite(blob.data, x)
    if found.problem is not None:
        return Converted(function, blob.size, found.problem)
    if found.outputs is None or found.outputs.shape != (len(x), 10):
        shape = None if found.outputs is None else found.outputs.shape
        problem = f"on {len(x)} images it gave outputs of shape {shape}, not ({len(x)}, 10)"
        return Converted(function, blob.size, problem)
    return Converted(function, blob.size, None, found)


def kernel_problems(found: TfliteFile) -> list[str]:
    """Convolution and dense operations that do not compute entirely in int8, each kind once."""
    problems: list[str] = []
    for op in found.ops:
        if op.get("op") not in KERNELS:
            continue
        inputs, outputs = list(op.get("inputs") or []), list(op.get("outputs") or [])
        activation = inputs[0] if inputs else None
        weights = inputs[1] if len(inputs) > 1 else None
        result = outputs[0] if outputs else None
        if activation != "int8" or result != "int8":
            problem = f"{op['op']} computes on {activation} activations (its output: {result})"
        elif weights != "int8":
            problem = f"{op['op']} has {weights} weights"
        else:
            continue
        if problem not in problems:
            problems.append(problem)
    return problems


def float_ends(found: TfliteFile) -> list[str]:
    """The model's input and output dtypes that are not float32."""
    ends = [("input", d) for d in found.inputs] + [("output", d) for d in found.output_details]
    return [f"its {end} is {d.get('dtype')}" for end, d in ends if d.get("dtype") != "float32"]


def predictions(value: Value, count: int) -> np.ndarray:
    """tflite_predict's answer as an (N, 10) float array, or a failed check saying why."""
    assert value.kind != "none", "tflite_predict returned None. Return the outputs as an array."
    assert value.kind in ("array", "tensor") and value.array is not None, (
        f"tflite_predict should return a numpy array of outputs; it returned "
        f"{value.type_name} ({value.info.get('repr')})."
    )
    found = value.array
    if found.ndim == 3 and found.shape[1] == 1:
        found = found[:, 0]  # one (1, 10) output per image, stacked: accepted as (N, 10)
    assert found.shape == (count, 10), (
        f"Expected ten outputs per image: {count} images should give shape ({count}, 10); "
        f"found {found.shape}. Keep each image's output row, in the images' order."
    )
    return found.astype(np.float32)


def prediction_problem(found: np.ndarray, expected: np.ndarray, tolerance: float) -> str | None:
    """What is wrong with tflite_predict's outputs beside the grader's interpreter's."""
    difference = np.abs(found - expected).max(axis=1)
    wrong = int(np.sum(difference > tolerance))
    if wrong == 0:
        return None
    if np.allclose(found, found[0], atol=tolerance):
        return (
            f"every image got the same output, {np.round(found[0], 3).tolist()}: was the output "
            "read before invoke(), or the same input set each time?"
        )
    rows_sum_to_one = np.allclose(found.sum(axis=1), 1.0, atol=1e-3) and found.min() >= 0
    if rows_sum_to_one and not np.allclose(expected.sum(axis=1), 1.0, atol=1e-3):
        return (
            "the outputs are probabilities (rows summing to 1), but this model outputs raw "
            "scores: the answer did not come from the model it was given."
        )
    first = int(np.argmax(difference > tolerance))
    expected_row, found_row = np.round(expected[first], 3).tolist(), np.round(found[first], 3)
    return (
        f"{wrong} of {len(found)} images got other outputs (largest difference "
        f"{difference.max():.3g}); image {first}: expected {expected_row}, "
        f"found {found_row.tolist()}."
    )


def describe_ops(found: TfliteFile) -> str:
    """``CONV_2D, FULLY_CONNECTED, …`` for messages (each op name once, in order)."""
    names: list[Any] = []
    for op in found.ops:
        if op.get("op") not in names:
            names.append(op.get("op"))
    return ", ".join(str(n) for n in names)
