"""The clean room process: opens model files that learner code wrote, runs no learner code.

Started by ``cleanroom.CleanRoom`` as ``python -I`` with one argument, the
folder the scoring side copied the files into (read-only for this process when
it is sandboxed).  It imports no submission.  Requests arrive on stdin and
replies leave on the original stdout, both in ``wire`` frames; anything a
library prints goes to stderr instead.  A reply is ``{"ok": True, "value": …}``
with plain data (JSON values and numeric arrays), or ``{"ok": False,
"problem": "…"}`` saying in words why the file could not be used.

Keras archives load with ``safe_mode=True``: a Lambda layer or an unknown
custom class is refused, never run.
"""

from __future__ import annotations

import io
import os
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from grader.learner import wire
from grader.learner.ops.optimizer import optimizer_state

KERAS_ENTRIES = ("config.json", "model.weights.h5", "metadata.json")
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
MAX_UNPACKED_BYTES = 1024**3
"""The most a Keras archive may unpack to (a zip bomb stops here)."""


LAMBDA_REFUSED = (
    "refused by safe mode: it holds a Lambda layer, whose Python function Keras will not "
    "load with safe_mode=True (anyone's code could hide there)"
)


class Problem(Exception):
    """The file cannot be used; the message says why, for the learner.  ``found`` is what
    was learnt about the file before the problem (it goes into the reply)."""

    def __init__(self, message: str, **found: Any) -> None:
        super().__init__(message)
        self.found = found


def first_line(exc: BaseException, limit: int = 300) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def first_sentence(exc: BaseException) -> str:
    line = first_line(exc)
    return line.split(". ")[0].rstrip(".") if ". " in line else line


# -- Keras archives -------------------------------------------------------------


def check_archive(path: Path) -> list[str]:
    """The archive's entries, or ``Problem`` when it is not a native Keras archive."""
    if not path.is_file():
        raise Problem("there is no file there" if not path.exists() else "it is a folder")
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(HDF5_SIGNATURE):
        raise Problem(
            "it is an HDF5 file (the legacy .h5 format, or weights only), not a Keras archive"
        )
    if not zipfile.is_zipfile(path):
        raise Problem("it is not a zip archive, so not a native Keras (.keras) file")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    missing = [entry for entry in KERAS_ENTRIES if entry not in names]
    if missing:
        found = ", ".join(names[:8]) or "nothing"
        raise Problem(f"the archive has no {', '.join(missing)} (it holds {found})")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise Problem("the archive unpacks to more than 1 GiB")
    return names


def load_safely(path: Path) -> tuple[Any, list[str]]:
    """The model, loaded with ``safe_mode=True``, and the warnings Keras gave."""
    import keras

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = keras.saving.load_model(path, safe_mode=True)
        except Exception as exc:
            text = str(exc)
            if "Lambda" in text and "safe_mode" in text:
                raise Problem(LAMBDA_REFUSED) from None
            if "safe_mode" in text or "Could not locate" in text or "custom" in text.lower():
                raise Problem(f"refused by safe mode: {first_sentence(exc)}") from None
            why = f"{type(exc).__name__}: {first_line(exc)}"
            raise Problem(f"Keras could not load it ({why})") from None
    notes = [first_line(w.message) for w in caught][:10]
    return model, notes


def keras_file(root: Path, request: dict[str, Any]) -> dict[str, Any]:
    path = inside(root, request["path"])
    entries = check_archive(path)
    try:
        model, notes = load_safely(path)
    except Problem as problem:
        problem.found["entries"] = entries
        raise
    try:
        outputs = np.asarray(model.predict(request["x"], verbose=0), dtype=np.float32)
    except Exception as exc:
        raise Problem(
            f"the loaded model could not predict ({type(exc).__name__}: {first_line(exc)})",
            entries=entries,
        ) from None
    layers = [
        {"class_name": type(layer).__name__, "name": layer.name, "params": layer.count_params()}
        for layer in model.layers
    ]
    return {
        "entries": entries,
        "notes": notes,
        "outputs": outputs,
        "layers": layers,
        "params": int(model.count_params()),
        "compiled": bool(getattr(model, "compiled", False)),
        "optimizer": optimizer_state(model),
    }


# -- SavedModels ----------------------------------------------------------------


def savedmodel_file(root: Path, request: dict[str, Any]) -> dict[str, Any]:
    import tensorflow as tf

    directory = inside(root, request["path"])
    if not directory.is_dir():
        raise Problem("there is no folder there" if not directory.exists() else "it is a file")
    missing = [n for n in ("saved_model.pb", "variables") if not (directory / n).exists()]
    if missing:
        found = ", ".join(sorted(p.name for p in directory.iterdir())[:8]) or "nothing"
        raise Problem(f"it has no {' and no '.join(missing)} (it holds {found})")
    try:
        loaded = tf.saved_model.load(str(directory))
    except Exception as exc:
        raise Problem(
            f"tf.saved_model.load failed ({type(exc).__name__}: {first_line(exc)})"
        ) from None
    signatures = sorted(loaded.signatures.keys())
    if "serving_default" not in signatures:
        raise Problem(f"it has no serving_default signature (signatures: {signatures or 'none'})")
    serve = loaded.signatures["serving_default"]
    try:
        result = serve(tf.constant(request["x"], dtype=tf.float32))
    except Exception as exc:
        raise Problem(
            f"its serving signature failed on a float32 batch of images "
            f"({type(exc).__name__}: {first_line(exc)})"
        ) from None
    keys = sorted(result)
    return {
        "signatures": signatures,
        "output_keys": keys,
        "outputs": np.asarray(result[keys[0]], dtype=np.float32),
    }


# -- the loop -------------------------------------------------------------------


def inspectors() -> dict[str, Any]:
    """What each request's ``op`` asks for; each returns plain data or raises ``Problem``."""
    from grader.learner.cleanroom_tflite import tflite_file

    return {"keras": keras_file, "savedmodel": savedmodel_file, "tflite": tflite_file}


def inside(root: Path, name: str) -> Path:
    """``name`` under ``root``; never a path outside it."""
    path = (root / name).resolve()
    if path != root and root not in path.parents:
        raise Problem("the grader asked for a path outside its folder")
    return path


def answer(root: Path, request: dict[str, Any]) -> dict[str, Any]:
    inspector = inspectors().get(request.get("op", ""))
    if inspector is None:
        return {"ok": False, "problem": f"unknown request {request.get('op')!r}"}
    try:
        return {"ok": True, "value": inspector(root, request)}
    except Problem as problem:
        return {**problem.found, "ok": False, "problem": str(problem)}
    except Exception as exc:  # a file that breaks a library in a way not foreseen
        return {"ok": False, "problem": f"{type(exc).__name__}: {first_line(exc)}"}


def preload(library: str) -> None:
    """Load what the files will need before saying "ready", while other work goes on:
    Keras (and TensorFlow, about 3 s of CPU) or, for flatbuffers alone, the interpreter."""
    if library == "tflite":
        from grader.learner.cleanroom_tflite import interpreter_class

        interpreter_class()
    else:
        import keras  # noqa: F401


def main(argv: list[str]) -> None:
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what libraries print goes to stderr, never into a reply
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb"), write_through=True)
    requests = sys.stdin.buffer
    root = Path(argv[-1]).resolve()  # the folder is the last argument, however started
    preload(argv[-2] if len(argv) > 1 else "keras")
    wire.write(replies, {"ok": True, "value": "ready"})
    while True:
        try:
            request = wire.read(requests)
        except EOFError:
            return
        wire.write(replies, answer(root, request))


if __name__ == "__main__":  # run as a module (the sandbox): use the importable copy, so
    # that ``Problem`` raised by ``cleanroom_tflite`` is the class ``answer`` catches
    from grader.learner import cleanroom_main

    cleanroom_main.main(sys.argv[1:])
