"""The wire format between the processes carries plain data and nothing else."""

from __future__ import annotations

import io
import json

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
