"""The wire format between the processes carries plain data and nothing else."""

from __future__ import annotations

import io
import json
import os
import threading

import numpy as np
import pytest

from grader.learner import wire


def roundtrip(message: object) -> object:
    return wire.read(io.BytesIO(wire.dumps(message)))


def test_json_values_and_arrays_roundtrip() -> None:
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False]), np.int64(7)]
    message = {"ok": True, "value": {"weights": arrays[:2], "n": 3, "name": "dense"}, "x": None}
    back = roundtrip(message)
    assert back["value"]["n"] == 3 and back["x"] is None
    np.testing.assert_array_equal(back["value"]["weights"][0], arrays[0])
    assert back["value"]["weights"][0].dtype == np.float32
    np.testing.assert_array_equal(back["value"]["weights"][1], arrays[1])


def test_object_arrays_are_refused_when_written() -> None:
    with pytest.raises(ValueError):
        wire.dumps({"value": np.array([object()], dtype=object)})


def test_a_pickled_array_is_refused_when_read() -> None:
    blob = io.BytesIO()
    np.save(blob, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    header = json.dumps({"body": {"__ndarray__": 0}, "arrays": [len(blob.getvalue())]}).encode()
    frame = wire.HEADER.pack(len(header)) + header + blob.getvalue()
    with pytest.raises(wire.WireError, match="rejected array"):
        wire.read(io.BytesIO(frame))


def test_oversized_and_truncated_messages_are_refused() -> None:
    frame = wire.dumps({"value": np.zeros(1000)})
    with pytest.raises(wire.WireError, match="exceeds"):
        wire.read(io.BytesIO(frame), limit=100)
    with pytest.raises(EOFError):
        wire.read(io.BytesIO(frame[:-10]))


def test_a_reference_to_a_missing_array_is_refused() -> None:
    header = json.dumps({"body": {"__ndarray__": 3}, "arrays": []}).encode()
    with pytest.raises(wire.WireError, match="does not carry"):
        wire.read(io.BytesIO(wire.HEADER.pack(len(header)) + header))


@pytest.mark.parametrize(
    "array",
    [
        np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4)),
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4)[:, ::2],
        np.zeros((0, 28, 28), dtype=np.float32),
        np.array(3.5),
        np.array(["a", "bc"]),
        np.zeros(3, dtype=[("x", np.int32), ("y", np.float32)]),
    ],
    ids=["fortran", "strided", "empty", "scalar", "strings", "structured"],
)
def test_every_plain_array_layout_roundtrips(array: np.ndarray) -> None:
    back = roundtrip({"a": array})["a"]
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def frame_with_blob(blob: bytes) -> bytes:
    header = json.dumps({"body": {"__ndarray__": 0}, "arrays": [len(blob)]}).encode()
    return wire.HEADER.pack(len(header)) + header + blob


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("blob", "problem"),
    [
        (npy(np.zeros(4))[:-8] + npy(np.zeros(1))[-8:] + b"\0" * 8, "does not match its shape"),
        (npy(np.zeros(4))[:-8], "does not match its shape"),
        (b"\x93NUMPY\x03\x00" + npy(np.zeros(1))[8:], "format 1.0 or 2.0"),
        (b"not numpy at all", "format 1.0 or 2.0"),
        (npy(np.zeros(1))[:8] + b"\xff\xff" + npy(np.zeros(1))[10:], "longer than the blob"),
        (npy(np.zeros(1)).replace(b"<f8", b"<f9"), "rejected array"),
        (npy(np.zeros(0, "V0")).replace(b"(0,)", b"(9,)"), "hold no bytes"),
    ],
    ids=[
        "data too long",
        "data too short",
        "version 3",
        "no magic",
        "header length",
        "dtype",
        "empty elements",
    ],
)
def test_a_forged_array_blob_is_refused(blob: bytes, problem: str) -> None:
    with pytest.raises(wire.WireError, match=problem):
        wire.read(io.BytesIO(frame_with_blob(blob)))


def test_a_frame_written_in_parts_reads_back_from_a_pipe() -> None:
    images = np.random.default_rng(0).random((500, 28, 28, 1), dtype=np.float32)
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as sink:
        writer = threading.Thread(target=wire.write, args=(sink, {"x": images, "n": 500}))
        writer.start()
        with os.fdopen(read_end, "rb") as source:
            message = wire.read(source)
        writer.join()
    assert message["n"] == 500
    np.testing.assert_array_equal(message["x"], images)
