"""How lesson 7's checks read what the learner's code returned.

Each helper turns a learner's value into an array, or fails the check
(``assert``) with a message for the learner.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.lesson7 import reference
from grader.learner.session import Learner, Value

ATOL = 1e-9
"""Pattern functions must equal the course's to this (absolute and relative) tolerance."""


def array_of(value: Value, what: str) -> np.ndarray:
    """The array a call returned, or a failed check saying what came back instead."""
    assert value.kind != "none", f"{what} returned None. Return a numpy array."
    array = value.array
    if array is None and value.kind == "scalar":
        array = np.asarray(value.info.get("value"))
    assert array is not None and np.asarray(array).dtype.kind in "iuf", (
        f"{what} should return a numpy array of numbers; it returned {value.type_name} "
        f"({value.info.get('repr')})."
    )
    return np.asarray(array, dtype=np.float64)


def forecast_of(value: Value, length: int, what: str) -> np.ndarray:
    """A forecast of shape (N,) or (N, 1) as a flat array of ``length`` values."""
    array = array_of(value, what)
    assert array.ndim == 1 or (array.ndim == 2 and array.shape[1] == 1), (
        f"{what} should give one value per time step, shape ({length},) or ({length}, 1); "
        f"found shape {array.shape}."
    )
    flat = array.reshape(-1)
    assert len(flat) == length, (
        f"{what} should give {length} values (one per time step it forecasts); found {len(flat)}."
    )
    return flat


def assert_same(found: np.ndarray, expected: np.ndarray, what: str, where: str) -> None:
    """``found`` equals ``expected`` to ``ATOL`` (shape first), or a failed check."""
    assert found.shape == expected.shape, (
        f"{what} {where}: expected an array of shape {expected.shape}; found {found.shape}."
    )
    wrong = ~np.isclose(found, expected, rtol=ATOL, atol=ATOL)
    if wrong.any():
        first = int(np.flatnonzero(wrong.reshape(-1))[0])
        raise AssertionError(
            f"{what} {where}: {int(wrong.sum())} of {wrong.size} values differ from the "
            f"course's; the first at index {first}: expected "
            f"{expected.reshape(-1)[first]:.6g}, found {found.reshape(-1)[first]:.6g}."
        )


def call_array(learner: Learner, function: str, *args: Any, **kwargs: Any) -> np.ndarray:
    """Call a pattern function and read its array."""
    return array_of(learner.call(function, *args, **kwargs), function)


def mae_against(forecast: np.ndarray, actual: np.ndarray) -> float:
    return reference.mae(forecast, actual)


def pairs_of(elements: list[list[np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """All (window, target) pairs of one pass, windows (N, W) and targets (N,)."""
    for element in elements:
        assert len(element) == 2, (
            f"Each element of the dataset should be a pair (windows, targets); found "
            f"{len(element)} tensors."
        )
        assert element[0].ndim == 2, (
            "Each element should hold a batch of windows, shape (batch, window_size); found "
            f"shape {element[0].shape}. Batch the pairs with .batch(batch_size)."
        )
        assert element[1].ndim == 1 or element[1].shape[1:] == (1,), (
            f"Each batch of targets should have shape (batch,) or (batch, 1); found "
            f"{element[1].shape}."
        )
    windows = np.concatenate([np.asarray(e[0], dtype=np.float64) for e in elements])
    targets = np.concatenate([np.asarray(e[1], dtype=np.float64).reshape(-1) for e in elements])
    return windows, targets


def sorted_pairs(windows: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs sorted by their window's first value (distinct for every window)."""
    order = np.argsort(windows[:, 0], kind="stable")
    return windows[order], targets[order]


def assert_course_pairs(found: tuple[np.ndarray, np.ndarray], series: np.ndarray) -> None:
    """One pass's (windows, targets) are the course's pairs of ``series``, in any order."""
    windows, targets = found
    expected = reference.windows(series, reference.WINDOW_SIZE)
    count, size = expected[0].shape
    assert windows.shape == expected[0].shape, (
        f"On the {len(series)} training values with window_size {size}, expected {count} "
        f"windows of {size} values (shape {expected[0].shape}); one pass gave {windows.shape}."
    )
    assert not np.allclose(targets, windows[:, -1]), (
        "Each target equals the last value of its window: the window includes the value it "
        "should forecast. Cut windows of window_size + 1 values and split them into "
        "(window[:-1], window[-1])."
    )
    mine, course = sorted_pairs(windows, targets), sorted_pairs(*expected)
    same = all(np.allclose(a, b, atol=1e-4) for a, b in zip(mine, course, strict=True))
    assert same, (
        f"The (window, target) pairs are not the course's: each window should be {size} "
        f"consecutive values series[t:t + {size}] and its target series[t + {size}], for "
        f"every t from 0 to {count - 1}."
    )
