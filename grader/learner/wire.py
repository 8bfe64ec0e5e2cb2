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
import math
import struct
from typing import Any, BinaryIO

import numpy as np

ARRAY_KEY = "__ndarray__"
HEADER = struct.Struct(">Q")
#: The largest message the scoring process will read (JSON and arrays together).
MAX_MESSAGE_BYTES = 512 * 1024 * 1024
NPY_MAGIC = b"\x93NUMPY"
NPY_VERSIONS = {b"\x01\x00": 2, b"\x02\x00": 4}
"""The ``.npy`` formats read, and the width of each one's header length."""
MAX_NPY_HEADER = 10_000


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


def _parts(message: Any) -> list[bytes | memoryview]:
    """The frame for ``message`` in pieces: header, then each array's ``.npy`` header and
    its memory as it is (a 200 MB training set is not copied into one more buffer)."""
    arrays: list[np.ndarray] = []
    document = _encode(message, arrays)
    blobs: list[tuple[bytes, memoryview | bytes]] = []
    for array in arrays:
        contiguous = np.asarray(array, order="C")  # a 0-d array stays 0-d
        if contiguous.dtype.hasobject:
            raise ValueError("an array of Python objects cannot be sent (it would need pickle)")
        header = io.BytesIO()
        fields = np.lib.format.header_data_from_array_1_0(contiguous)
        try:
            np.lib.format.write_array_header_1_0(header, fields)
        except ValueError:  # a header too long for format 1.0
            header = io.BytesIO()
            np.lib.format.write_array_header_2_0(header, fields)
        data = memoryview(contiguous.reshape(-1).view(np.uint8)) if contiguous.nbytes else b""
        blobs.append((header.getvalue(), data))
    table = {"body": document, "arrays": [len(h) + len(d) for h, d in blobs]}
    encoded = json.dumps(table, allow_nan=True).encode()
    return [HEADER.pack(len(encoded)) + encoded, *(part for blob in blobs for part in blob)]


def dumps(message: Any) -> bytes:
    """Serialise ``message`` (JSON values and numpy arrays) to one frame."""
    return b"".join(_parts(message))


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_into(stream: Any, view: memoryview) -> None:
    while view:
        count = stream.readinto(view)
        if not count:
            raise EOFError("the other side closed the channel")
        view = view[count:]


def _read_array(stream: BinaryIO, size: int) -> np.ndarray:
    """One ``.npy`` blob of ``size`` bytes, read straight into its array; never pickle."""
    prefix = _read_exactly(stream, min(size, 8))
    if prefix[:6] != NPY_MAGIC or prefix[6:8] not in NPY_VERSIONS:
        raise WireError("rejected array: not a .npy blob of format 1.0 or 2.0")
    length_bytes = NPY_VERSIONS[prefix[6:8]]
    raw_length = _read_exactly(stream, length_bytes)
    length = int.from_bytes(raw_length, "little")
    if 8 + length_bytes + length > size or length > MAX_NPY_HEADER:
        raise WireError("rejected array: its header is longer than the blob")
    header = io.BytesIO(prefix + raw_length + _read_exactly(stream, length))
    try:
        read_header = getattr(np.lib.format, f"read_array_header_{prefix[6]}_0")
        np.lib.format.read_magic(header)
        shape, fortran, dtype = read_header(header)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise WireError(f"rejected array: {exc}") from None
    if dtype.hasobject:
        raise WireError("rejected array: it holds Python objects (pickle is never loaded)")
    count = math.prod(shape)
    if count and not dtype.itemsize:  # a billion elements of nothing would fit any size
        raise WireError("rejected array: its elements hold no bytes")
    if count * dtype.itemsize != size - header.tell():
        raise WireError("rejected array: its data does not match its shape")
    flat = np.empty(count, dtype)
    if flat.nbytes:
        _read_into(stream, memoryview(flat.view(np.uint8)))
    return flat.reshape(shape, order="F" if fortran else "C")


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
    arrays = [_read_array(stream, size) for size in sizes]
    return _decode(body, arrays)


def write(stream: BinaryIO, message: Any) -> None:
    """Write one frame to a buffered binary ``stream`` (which writes each part whole) and
    flush it."""
    for part in _parts(message):
        stream.write(part)
    stream.flush()
