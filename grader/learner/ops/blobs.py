"""Operations on bytes: a learner function's ``bytes`` answer, and bytes handed to one.

``describe`` reports a ``bytes`` value as ``other`` (its repr only), which is
right for most answers but not for a function whose answer *is* bytes (e.g. a
serialized model).  ``call_for_bytes`` calls such a function and ships its
bytes back as a uint8 array, size-limited; the scoring side gets them as plain
data and never parses them (it may hand them to the clean room).
``bytes_object`` goes the other way: it turns a uint8 array into a ``bytes``
object kept in the learner process, so a learner function that takes bytes can
be called with its ref.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.learner.describe import safe_repr, type_name
from grader.learner.ops import malformed, operation
from grader.limits import MiB

MAX_BLOB_BYTES = 64 * MiB
"""The most bytes ``call_for_bytes`` ships back; above it only the size is reported."""


@dataclass(frozen=True)
class Blob:
    """What a learner function returned, when bytes were expected."""

    type_name: str
    """Its Python type, e.g. ``bytes``."""
    repr: str
    """A short repr, for messages about an answer that is not bytes."""
    size: int | None
    """Its length in bytes; ``None`` when it is not bytes or bytearray."""
    data: bytes | None
    """The bytes themselves; ``None`` when not bytes or above ``MAX_BLOB_BYTES``."""


def _read_blob(value: Any) -> Blob:
    if not isinstance(value, dict):
        raise malformed("bytes")
    size, data = value.get("size"), value.get("data")
    well_formed = (
        isinstance(value.get("type"), str)
        and isinstance(value.get("repr"), str)
        and (size is None or type(size) is int)
        and (
            data is None
            or (
                isinstance(data, np.ndarray)
                and data.dtype == np.uint8
                and data.ndim == 1
                and data.size == size
                and size <= MAX_BLOB_BYTES
            )
        )
    )
    if not well_formed:
        raise malformed("bytes")
    return Blob(value["type"], value["repr"], size, None if data is None else data.tobytes())


def blob(value: Any) -> dict[str, Any]:
    """``value`` as plain data: its bytes as a uint8 array when it is bytes or bytearray."""
    info: dict[str, Any] = {"type": type_name(value), "repr": safe_repr(value, 80)}
    if type(value) not in (bytes, bytearray):
        return {**info, "size": None, "data": None}
    size = len(value)
    data = np.frombuffer(bytes(value), dtype=np.uint8).copy() if size <= MAX_BLOB_BYTES else None
    return {**info, "size": size, "data": data}


@operation("call_for_bytes", "{function}", read=_read_blob)
def call_for_bytes(
    child: Any, function: str, args: list[Any], kwargs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Call the learner's ``function(*args, **kwargs)``; its answer as a ``Blob``."""
    return blob(child.function(function)(*args, **(kwargs or {})))


@operation("bytes_object", "passing bytes", described=True)
def bytes_object(child: Any, data: np.ndarray) -> dict[str, Any]:
    """``bytes(data)`` kept in the learner process: its description, with a ref to pass."""
    array = np.asarray(data)
    if array.dtype != np.uint8 or array.ndim != 1 or array.size > MAX_BLOB_BYTES:
        raise ValueError("bytes_object takes a one-dimensional uint8 array")
    content = array.tobytes()
    return {
        "kind": "bytes",
        "type": "bytes",
        "repr": f"<{len(content)} bytes>",
        "size": len(content),
        "ref": child.store.add(content),
    }
