"""Probing the learner's numpy ``convolve`` and ``max_pool``, and saying what went wrong.

Each probe is a random image (odd shapes, negative values) with a kernel or a
pooling window; the learner's answer is compared with the grader's own
(``computing.py``).  When they differ, the helpers here recognise the usual
mistakes — a flipped kernel, "valid" output, windows moved by the wrong stride —
and explain them on a small worked example.
"""

from __future__ import annotations

import numpy as np

from grader.checks.lesson3 import computing
from grader.learner.session import Value

TOLERANCE = 1e-6
"""Largest difference allowed, relative to the output's largest value (at least 1)."""

_RNG = np.random.default_rng(3)
CONVOLVE_PROBES = tuple(
    (_RNG.uniform(-1, 1, size=(height, width)), _RNG.uniform(-1, 1, size=(k, k)))
    for height, width, k in ((7, 9, 3), (5, 5, 1), (6, 11, 5), (9, 4, 3), (8, 8, 5))
)
"""(image, kernel) pairs: kernels of 1, 3 and 5, images of odd and even shapes."""
POOL_PROBES = tuple(
    (_RNG.uniform(-1, 1, size=(height, width)), size, stride)
    for height, width, size, stride in ((8, 8, 2, 2), (7, 9, 2, 2), (9, 6, 3, 2), (6, 7, 2, 1))
)
"""(image, size, stride): the default window, odd shapes, a 3 × 3 window, stride 1."""

EXAMPLE = np.arange(1.0, 10.0).reshape(3, 3)
RIGHT_NEIGHBOUR = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
POOL_EXAMPLE = np.arange(16.0).reshape(4, 4)


def grid(array: np.ndarray) -> str:
    """A small array on one line: ``[[1, 2], [3, 4.5]]``."""
    rows = (", ".join(f"{float(x):.3g}" for x in row) for row in np.asarray(array))
    return "[" + ", ".join(f"[{row}]" for row in rows) + "]"


def answer(value: Value, what: str) -> np.ndarray:
    """The learner's answer as a float array, or a failed check saying what came back."""
    assert value.kind != "none", f"{what} returned None. Return the output array."
    assert value.kind in ("array", "tensor") and value.array is not None, (
        f"{what} should return a numpy array; it returned {value.type_name} "
        f"({value.info.get('repr')})."
    )
    assert value.array.dtype.kind in "iuf", (
        f"{what} should return an array of numbers; found dtype {value.array.dtype}."
    )
    return value.array.astype(np.float64)


def close(found: np.ndarray, expected: np.ndarray) -> bool:
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    return found.shape == expected.shape and bool(
        np.allclose(found, expected, rtol=0.0, atol=TOLERANCE * scale)
    )


def _shape(image: np.ndarray) -> str:
    return f"{image.shape[0]} × {image.shape[1]}"


def _valid_output(call: str, found: np.ndarray, expected: np.ndarray) -> str:
    ones = np.ones((3, 3))
    return (
        f"{call} returned shape {found.shape}, the 'valid' output (only where the kernel "
        f"fits inside the image); expected {expected.shape}, the image's own shape. Pad the "
        "image with k // 2 zeros on every side first, as padding='same' does. For example, "
        f"the 3 × 3 image {grid(EXAMPLE)} with a 3 × 3 kernel of ones should give "
        f"{grid(computing.convolve(EXAMPLE, ones))}, not "
        f"{grid(computing.convolve_valid(EXAMPLE, ones))}."
    )


def _flipped(call: str) -> str:
    right = grid(computing.convolve(EXAMPLE, RIGHT_NEIGHBOUR))
    left = grid(computing.convolve(EXAMPLE, RIGHT_NEIGHBOUR[::-1, ::-1]))
    return (
        f"{call} flipped the kernel (the textbook convolution); Conv2D does not: output "
        "pixel (i, j) is the sum of kernel[a, b] · padded[i + a, j + b]. For example, the "
        f"image {grid(EXAMPLE)} with the kernel {grid(RIGHT_NEIGHBOUR)}, which takes each "
        f"pixel's right neighbour, should give {right}; a flipped kernel takes the left "
        f"neighbour: {left}."
    )


def convolve_problem(image: np.ndarray, kernel: np.ndarray, found: np.ndarray) -> str | None:
    """None when ``found`` is the convolution, else what is wrong, with an example."""
    expected = computing.convolve(image, kernel)
    if close(found, expected):
        return None
    call = f"convolve on a {_shape(image)} image with a {_shape(kernel)} kernel"
    if found.shape == computing.convolve_valid(image, kernel).shape != expected.shape:
        return _valid_output(call, found, expected)
    if found.shape != expected.shape:
        return f"{call} returned shape {found.shape}; expected {expected.shape}, the image's shape."
    if close(found, computing.convolve(image, kernel[::-1, ::-1])):
        return _flipped(call)
    worst = np.unravel_index(np.argmax(np.abs(found - expected)), expected.shape)
    return (
        f"{call} gave {found[worst]:.6g} at pixel {tuple(map(int, worst))}; expected "
        f"{expected[worst]:.6g}. Each output pixel is the sum of the kernel times the patch of "
        f"the zero-padded image under it. For example, the image {grid(EXAMPLE)} with a 3 × 3 "
        f"kernel of ones should give {grid(computing.convolve(EXAMPLE, np.ones((3, 3))))}."
    )


def _pool_example(size: int, stride: int) -> str:
    return f"{grid(computing.max_pool(POOL_EXAMPLE, size, stride))}"


def pool_problem(image: np.ndarray, size: int, stride: int, found: np.ndarray) -> str | None:
    """None when ``found`` is the max pooling, else what is wrong, with an example."""
    expected = computing.max_pool(image, size, stride)
    if close(found, expected):
        return None
    call = f"max_pool(image, size={size}, stride={stride}) on a {_shape(image)} image"
    example = (
        f"For example, the 4 × 4 image {grid(POOL_EXAMPLE)} with size=2, stride=2 should give "
        f"{_pool_example(2, 2)}"
    )
    for moved in range(1, size + 2):
        if moved != stride and close(found, computing.max_pool(image, size, moved)):
            return (
                f"{call} moved its window by {moved} pixel{'s' if moved > 1 else ''} at a time; "
                f"expected {stride}, the stride it was given. Window (i, j) starts at row "
                f"i·stride and column j·stride. {example}; windows moved by 1 give "
                f"{_pool_example(2, 1)}."
            )
    if found.shape != expected.shape:
        return (
            f"{call} returned shape {found.shape}; expected {expected.shape}, "
            "((H − size) // stride + 1, (W − size) // stride + 1): a window that would pass the "
            f"edge is left out, with no padding. {example}."
        )
    return (
        f"{call} differs from the largest value of each window (e.g. output {grid(found[:1, :2])}"
        f"… for expected {grid(expected[:1, :2])}…). {example}."
    )
