"""Messages between the scoring process and the learner process.

A message is a JSON document whose numpy arrays travel beside it in ``.npy``
form.  Arrays are read back with ``allow_pickle=False``, so nothing the learner
process sends can make the scoring process run code: it only ever receives
JSON values and plain numeric arrays.

Frame layout: an 8-byte big-endian length, then that many bytes of JSON; the
JSON's ``"arrays"`` field lists the byte length of each ``.npy`` blob that
follows, in order.  Inside the JSON an array stands as ``{"__ndarray__": i}``.
"""

from __future__ import annotations

import io
import json
import struct
from typing import Any, BinaryIO

import numpy as np

ARRAY_KEY = "__ndarray__"
HEADER = struct.Struct(">Q")
#: The largest message the scoring process will read (JSON and arrays together).
MAX_MESSAGE_BYTES = 512 * 1024 * 1024


class WireError(Exception):
    """A message was malformed, too large, or cut short."""


def _encode(value: Any, arrays: list[np.ndarray]) -> Any:
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return {ARRAY_KEY: len(arrays) - 1}
    if isinstance(value, dict):
        return {str(k): _encode(v, arrays) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v, arrays) for v in value]
    return value


def _decode(value: Any, arrays: list[np.ndarray]) -> Any:
    if isinstance(value, dict):
        if set(value) == {ARRAY_KEY}:
            index = value[ARRAY_KEY]
            if not isinstance(index, int) or not 0 <= index < len(arrays):
                raise WireError(f"message refers to array {index!r}, which it does not carry")
            return arrays[index]
        return {k: _decode(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    return value


def dumps(message: Any) -> bytes:
    """Serialise ``message`` (JSON values and numpy arrays) to one frame."""
    arrays: list[np.ndarray] = []
    document = _encode(message, arrays)
    blobs = []
    for array in arrays:
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
        blobs.append(buffer.getvalue())
    header = json.dumps(
        {"body": document, "arrays": [len(b) for b in blobs]}, allow_nan=True
    ).encode()
    payload = HEADER.pack(len(header)) + header
    return payload + b"".join(blobs)


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read(stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES) -> Any:
    """Read one frame from ``stream``; raise ``EOFError`` at a clean end."""
    (length,) = HEADER.unpack(_read_exactly(stream, HEADER.size))
    if length > limit:
        raise WireError(f"message header of {length} bytes exceeds the {limit}-byte limit")
    try:
        header = json.loads(_read_exactly(stream, length))
        sizes = header["arrays"]
        body = header["body"]
    except (ValueError, KeyError, TypeError) as exc:
        raise WireError(f"malformed message header: {exc}") from None
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise WireError("malformed array table")
    if length + sum(sizes) > limit:
        raise WireError(f"message of {length + sum(sizes)} bytes exceeds the {limit}-byte limit")
    arrays = []
    for size in sizes:
        blob = io.BytesIO(_read_exactly(stream, size))
        try:
            arrays.append(np.lib.format.read_array(blob, allow_pickle=False))
        except ValueError as exc:
            raise WireError(f"rejected array: {exc}") from None
    return _decode(body, arrays)


def write(stream: BinaryIO, message: Any) -> None:
    """Write one frame to ``stream`` and flush it."""
    stream.write(dumps(message))
    stream.flush()
