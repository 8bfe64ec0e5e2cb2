"""Operations on files the grader ships: a Keras model handed to learner functions.

A lesson may give the learner's functions a model the package ships (a
pre-trained base network). The learner process may be sandboxed and does not
see the package's data, so the scoring side reads the file (checked against its
SHA-256 there) and sends its bytes; ``keras_file`` checks the SHA-256 again in
the learner process, writes the bytes to a private temporary file, loads it
with ``safe_mode=True`` (no code from the file runs) and keeps the model there,
optionally cut at a named layer. The reply describes it, with a ref the grader
passes to learner functions.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Any

import numpy as np

from grader.learner.describe import describe
from grader.learner.ops import operation

MAX_FILE_BYTES = 64 * 1024 * 1024


def up_to(model: Any, layer: str | None) -> Any:
    """``model`` from its inputs to the output of its layer called ``layer`` (all of it when
    ``None``), sharing the layers and their weights, named ``model.name``."""
    import keras

    if layer is None:
        return model
    return keras.Model(model.inputs, model.get_layer(layer).output, name=model.name)


def load_keras_bytes(content: bytes, sha256: str, layer: str | None = None) -> Any:
    """The Keras model in ``content`` (a ``.keras`` file), checked against ``sha256`` and
    loaded in safe mode without compiling; cut at ``layer`` when given."""
    import keras

    digest = hashlib.sha256(content).hexdigest()
    if digest != sha256:
        raise ValueError(f"the model file's SHA-256 is {digest}, expected {sha256}")
    handle, path = tempfile.mkstemp(suffix=".keras")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    finally:
        os.unlink(path)
    return up_to(model, layer)


@operation("keras_file", "loading the grader's model file", described=True)
def keras_file(
    child: Any, data: np.ndarray, sha256: str, layer: str | None = None
) -> dict[str, Any]:
    """The ``.keras`` file whose bytes are ``data`` (uint8), loaded and kept in the learner
    process: its description, with a ref to pass to learner functions."""
    array = np.asarray(data)
    if array.dtype != np.uint8 or array.ndim != 1 or array.size > MAX_FILE_BYTES:
        raise ValueError("keras_file takes a one-dimensional uint8 array")
    return describe(load_keras_bytes(array.tobytes(), str(sha256), layer), child.store)
