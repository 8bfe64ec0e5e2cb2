"""The grader's own convolution and max pooling, in numpy, in the scoring process.

These are what lesson 3's checks compare the learner's answers with: the
learner's ``convolve`` and ``max_pool`` on random probes, and the first layer's
feature maps recomputed from its weights.  They follow Keras's definitions:
Conv2D is a cross-correlation (the kernel is not flipped), "same" padding adds
k // 2 zeros on each side, and MaxPooling2D drops windows that pass the edge.
"""

from __future__ import annotations

import numpy as np


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``image`` (H, W) with an odd square ``kernel`` (k, k), zero ("same") padding → (H, W)."""
    k = kernel.shape[0]
    padded = np.pad(image.astype(np.float64), k // 2)
    height, width = image.shape
    output = np.zeros((height, width))
    for row in range(k):
        for col in range(k):
            output += kernel[row, col] * padded[row : row + height, col : col + width]
    return output


def convolve_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The same sums without padding: only where the kernel fits → (H − k + 1, W − k + 1)."""
    k = kernel.shape[0]
    return convolve(image, kernel)[
        k // 2 : image.shape[0] - k // 2, k // 2 : image.shape[1] - k // 2
    ]


def max_pool(image: np.ndarray, size: int = 2, stride: int = 2) -> np.ndarray:
    """The largest value of each ``size`` × ``size`` window, ``stride`` apart, no padding."""
    height = (image.shape[0] - size) // stride + 1
    width = (image.shape[1] - size) // stride + 1
    output = np.full((height, width), -np.inf)
    for row in range(size):
        for col in range(size):
            window = image[
                row : row + stride * height : stride, col : col + stride * width : stride
            ]
            output = np.maximum(output, window[:height, :width])
    return output


def conv_layer(
    images: np.ndarray, kernel: np.ndarray, bias: np.ndarray, padding: str
) -> np.ndarray:
    """A Conv2D layer with stride 1 and no activation: images (N, H, W, C), kernel
    (k, k, C, F), bias (F,) → (N, H', W', F), in float64."""
    k = kernel.shape[0]
    images = images.astype(np.float64)
    if padding == "same":
        images = np.pad(images, ((0, 0), (k // 2, k // 2), (k // 2, k // 2), (0, 0)))
    height, width = images.shape[1] - k + 1, images.shape[2] - k + 1
    output = np.zeros((len(images), height, width, kernel.shape[3]))
    for row in range(k):
        for col in range(k):
            patch = images[:, row : row + height, col : col + width, :]
            output += patch @ kernel[row, col].astype(np.float64)
    return output + bias.astype(np.float64)


def relu(values: np.ndarray) -> np.ndarray:
    return np.maximum(values, 0.0)
