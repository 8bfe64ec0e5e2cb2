"""The clean room: the only place where the grader opens files that learner code wrote.

Model files, SavedModel folders and TensorFlow Lite flatbuffers come from
learner code, so loading them is running the learner's data through Keras,
TensorFlow and the TFLite interpreter, whose loaders have had holes (a Lambda
layer is a pickled function; a crafted flatbuffer can crash the interpreter).
The scoring process therefore never deserializes them.  It copies them (no
symlinks, size-limited) into a folder of its own, and a separate process of
the grader's, ``cleanroom_main``, which imports no submission, opens the copies
and answers with plain data over the ``wire`` format.  A call that runs over
its time limit kills that process; the next call starts a fresh one.

Usage from a lesson's ``conftest.py`` (a session fixture)::

    from grader.learner.cleanroom import CleanRoom

    @pytest.fixture(scope="session")
    def cleanroom():
        with CleanRoom() as room:
            room.start()          # TensorFlow loads while other steps run
            yield room

    found = cleanroom.inspect_keras(path_learner_wrote, x)     # KerasFile
    found = cleanroom.inspect_savedmodel(folder_learner_wrote, x)  # SavedModelFile
    found = cleanroom.inspect_tflite(model_bytes, x)           # TfliteFile
    if found.problem is not None:
        raise AssertionError(f"The model file … could not be used: {found.problem}")
    max_difference = np.max(np.abs(found.outputs - expected))

``x`` is a float32 batch (e.g. ``(N, 28, 28, 1)`` in [0, 1]).  Every failure —
no file, a file of the wrong kind, a Lambda layer refused by safe mode, a
truncated flatbuffer that crashes the interpreter, a time-out — comes back as
``problem``, a sentence fragment to put into a failed check's message ("it is
an HDF5 file …"); the grader itself never raises for a bad file.  Paths given
to ``inspect_keras``/``inspect_savedmodel`` are host paths the scoring process
can read (e.g. inside the learner's temporary folder); they are copied before
anything is opened, so the learner cannot swap them afterwards.

``TfliteFile.kernel_ops()`` lists the convolution and dense ops with the dtypes
of their inputs (activation, weights, bias): ``["int8", "int8", "int32"]`` is
full-integer quantization, ``["float32", "int8", "float32"]`` dynamic-range.
Quantized outputs come back as floats.  The process runs under bubblewrap
whenever it works here (the default), seeing only its copies.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.learner import sandbox
from grader.learner.cleanroom_process import RoomProcess
from grader.learner.ops.optimizer import OptimizerState, read_state
from grader.limits import MiB, format_size

MAX_COPY_BYTES = 512 * MiB
"""The most the grader copies into the clean room for one file or folder."""
MAX_COPY_FILES = 2000
"""The most files one folder (a SavedModel) may hold."""


@dataclass(frozen=True)
class KerasFile:
    """What a ``.keras`` file turned out to be."""

    problem: str | None
    """Why it could not be used, in words; ``None`` when it loaded and predicted."""
    outputs: np.ndarray | None = None
    """The loaded model's ``predict`` on the inputs given."""
    entries: tuple[str, ...] = ()
    """The names inside the archive; given also when the archive is sound but its model did
    not load (a Lambda layer refused by safe mode)."""
    layers: tuple[dict[str, Any], ...] = ()
    """``{"class_name", "name", "params"}`` per layer."""
    params: int = 0
    compiled: bool = False
    optimizer: OptimizerState | None = None
    """The restored optimizer, ``None`` when the file holds none."""
    notes: tuple[str, ...] = ()
    """Warnings Keras gave while loading (e.g. optimizer variables it skipped)."""


@dataclass(frozen=True)
class SavedModelFile:
    """What a SavedModel folder turned out to be."""

    problem: str | None
    outputs: np.ndarray | None = None
    """The ``serving_default`` signature's output on the inputs (float32)."""
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class TfliteFile:
    """What a TensorFlow Lite flatbuffer turned out to be."""

    problem: str | None
    outputs: np.ndarray | None = None
    """The interpreter's outputs on the inputs (quantized outputs turned back to floats)."""
    size: int = 0
    """Its size in bytes."""
    runtime: str = ""
    """Which interpreter ran it (LiteRT, or tf.lite when ai-edge-litert is missing)."""
    inputs: tuple[dict[str, Any], ...] = ()
    """Input tensors: ``name, index, shape, shape_signature, dtype, scale, zero_point``."""
    output_details: tuple[dict[str, Any], ...] = ()
    ops: tuple[dict[str, Any], ...] = ()
    """Each op: ``{"op": "FULLY_CONNECTED", "inputs": [dtype…], "outputs": [dtype…]}``."""

    def kernel_ops(self) -> list[dict[str, Any]]:
        """The convolution and dense ops, whose dtypes tell full-integer quantization (int8
        activations and weights) from dynamic-range quantization (float32 activations)."""
        kernels = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV")
        return [op for op in self.ops if op.get("op") in kernels]


def _copy_problem(source: Path) -> str | None:
    try:
        info = source.lstat()
    except OSError:
        return "there is nothing there"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link; the grader only opens files the code wrote itself"
    return None


class CopyRefused(Exception):
    """What learner code wrote cannot be copied into the clean room."""


NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def copy_tree(source: Path, target: Path) -> None:
    """Copy a file or a folder within the size limits, never following a symbolic link: each
    entry is opened relative to its folder's descriptor, so a link swapped in mid-copy is
    refused, not followed."""
    parent = os.open(source.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        _Copy().entry(parent, source.name, target)
    finally:
        os.close(parent)


class _Copy:
    """One copy into the clean room, with what is left of its size and file budgets."""

    def __init__(self) -> None:
        self.bytes_left, self.files_left = MAX_COPY_BYTES, MAX_COPY_FILES

    def content(self, descriptor: int, dst: Path) -> None:
        with dst.open("wb") as out:
            while chunk := os.read(descriptor, MiB):
                self.bytes_left -= len(chunk)
                if self.bytes_left < 0:
                    raise CopyRefused(f"it is larger than {format_size(MAX_COPY_BYTES)}")
                out.write(chunk)

    def entry(self, folder: int, name: str, dst: Path) -> None:
        self.files_left -= 1
        if self.files_left < 0:
            raise CopyRefused(f"it holds more than {MAX_COPY_FILES} files")
        try:
            descriptor = os.open(name, NO_FOLLOW, dir_fd=folder)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise CopyRefused(f"{name} is a symbolic link") from None
            raise
        try:
            mode = os.fstat(descriptor).st_mode
            if stat.S_ISDIR(mode):
                dst.mkdir()
                for each in sorted(os.listdir(descriptor)):
                    self.entry(descriptor, each, dst / each)
            elif stat.S_ISREG(mode):
                self.content(descriptor, dst)
            else:
                raise CopyRefused(f"{name} is not a regular file")
        finally:
            os.close(descriptor)


class CleanRoom:
    """The clean room process and its folder of copies, for one grading run."""

    def __init__(
        self,
        call_seconds: float = 60.0,
        start_seconds: float = 120.0,
        sandboxed: bool | None = None,
        preload: str = "keras",
    ) -> None:
        """``sandboxed``: under bubblewrap (``None``: whenever it works here).  ``preload=
        "tflite"``: a room for flatbuffers alone, started without TensorFlow's 3 s of CPU."""
        if sandboxed is None:
            sandboxed = sandbox.probe().works
        self.folder = Path(tempfile.mkdtemp(prefix="grader-cleanroom-"))
        self.inbox = self.folder / "files"
        self.inbox.mkdir()
        self.process = RoomProcess(self.inbox, call_seconds, start_seconds, sandboxed, preload)
        self.counter = itertools.count(1)

    def __enter__(self) -> CleanRoom:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the process now, so that TensorFlow loads while other work goes on."""
        self.process.start()

    def close(self) -> None:
        self.process.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def admit(self, source: str | Path) -> str:
        """Copy what learner code wrote at ``source`` into the clean room's folder; its
        name there.  ``CopyRefused`` says why it cannot be copied."""
        source = Path(source)
        problem = _copy_problem(source)
        if problem is not None:
            raise CopyRefused(problem)
        name = f"{next(self.counter)}-{source.name or 'file'}"
        try:
            copy_tree(source, self.inbox / name)
        except OSError as exc:
            raise CopyRefused(f"it could not be copied ({exc.strerror or exc})") from None
        return name

    def _inspect(self, op: str, source: str | Path, x: np.ndarray) -> dict[str, Any]:
        try:
            name = self.admit(source)
        except CopyRefused as refused:
            return {"ok": False, "problem": str(refused)}
        return self.process.ask({"op": op, "path": name, "x": np.asarray(x, np.float32)})

    def inspect_keras(self, path: str | Path, x: np.ndarray) -> KerasFile:
        """Check and load a ``.keras`` file (safe mode) and run it on ``x``."""
        reply = self._inspect("keras", path, x)
        if not reply["ok"]:
            entries = reply.get("entries")
            found = tuple(str(e) for e in entries) if isinstance(entries, list) else ()
            return KerasFile(problem=reply["problem"], entries=found)
        return read_keras(reply["value"])

    def inspect_savedmodel(self, directory: str | Path, x: np.ndarray) -> SavedModelFile:
        """Load a SavedModel folder (``tf.saved_model.load``) and run its serving signature."""
        reply = self._inspect("savedmodel", directory, x)
        if not reply["ok"]:
            return SavedModelFile(problem=reply["problem"])
        outputs, signatures = _array(reply["value"].get("outputs")), reply["value"]["signatures"]
        return SavedModelFile(None, outputs=outputs, signatures=tuple(signatures))

    def inspect_tflite(self, data: bytes, x: np.ndarray) -> TfliteFile:
        """Run a TensorFlow Lite flatbuffer given as bytes on ``x``."""
        if not isinstance(data, (bytes, bytearray)):
            return TfliteFile(problem=f"it is a {type(data).__name__}, not bytes")
        if len(data) > MAX_COPY_BYTES:
            return TfliteFile(problem=f"it is larger than {format_size(MAX_COPY_BYTES)}")
        request = {"op": "tflite", "data": np.frombuffer(bytes(data), dtype=np.uint8)}
        reply = self.process.ask({**request, "x": np.asarray(x, np.float32)})
        if not reply["ok"]:
            return TfliteFile(problem=reply["problem"])
        value = reply["value"]
        return TfliteFile(
            None,
            outputs=_array(value.get("outputs")),
            size=int(value["size"]),
            runtime=str(value["runtime"]),
            inputs=tuple(value["inputs"]),
            output_details=tuple(value["output_details"]),
            ops=tuple(value["ops"]),
        )


def _array(value: Any) -> np.ndarray | None:
    return value if isinstance(value, np.ndarray) else None


def read_keras(value: dict[str, Any]) -> KerasFile:
    return KerasFile(
        None,
        outputs=_array(value.get("outputs")),
        entries=tuple(value["entries"]),
        layers=tuple(value["layers"]),
        params=int(value["params"]),
        compiled=bool(value["compiled"]),
        optimizer=read_state(value.get("optimizer")),
        notes=tuple(value["notes"]),
    )
