"""The grader's own TensorFlow Lite models, shipped as files with their SHA-256.

They are made from a network other than the lesson's (see ``rebuild_models.py``,
which also says how to rebuild them), so a ``tflite_predict`` that answers from
anything but the bytes it is given cannot match them.  The scoring process only
reads their bytes; the clean room runs them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from grader.learner.outcomes import GraderFault

MODELS_DIR = Path(__file__).resolve().parent / "models"


@dataclass(frozen=True)
class GraderModel:
    file: str
    sha256: str
    what: str
    """How messages name it."""


MODELS = {
    "float": GraderModel(
        "grader_float.tflite",
        "d7cfce82c8312278459b805a76482909d7882a8d71f2b59434241d160f7db7eb",
        "the grader's float model",
    ),
    "int8": GraderModel(
        "grader_int8.tflite",
        "c11010ad38a6d279923ac1ce3598c3e3a304ea69d23a575a34649e51e1e2ea48",
        "the grader's quantized (int8) model",
    ),
}


def model_bytes(name: str) -> bytes:
    """The shipped model's bytes, checked; a ``GraderFault`` when missing or changed."""
    model = MODELS[name]
    path = MODELS_DIR / model.file
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise GraderFault(f"the grader's model {path} cannot be read: {exc}") from None
    if hashlib.sha256(content).hexdigest() != model.sha256:
        raise GraderFault(
            f"the grader's model {path} is not the one shipped (SHA-256 differs); rebuild "
            "with python -m grader.checks.lesson10.rebuild_models"
        )
    return content
