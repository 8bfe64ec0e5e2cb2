"""Probing the learner's augmenter: what it does to images in training and at inference.

The probe batch holds real validation images scaled to [0, 1] and two kinds of
ramps: images that brighten from left to right, and from top to bottom. A
left-right flip turns a left-to-right ramp the other way round; a small
rotation, zoom or translation does not (the ramp stays mostly left to right),
so the sign of each output's correlation with the column number tells flipped
from not flipped, whatever else the augmenter does. The top-to-bottom ramps
tell the same for upside-down flips.
"""

from __future__ import annotations

import numpy as np

from grader.datasets import Split

REAL = 32
"""Real images in the probe batch."""
RAMPS = 24
"""Ramps of each direction in the probe batch."""
TOLERANCE = 1e-3
MOST = 0.75
"""The share of real images augmentation must change (a flip alone changes about half)."""
TURNED = 0.3
"""Correlation with the column (row) number below -TURNED: flipped; above TURNED: not."""
ADD_ONE = "add RandomRotation(0.1), RandomZoom(0.1) or RandomTranslation(0.1, 0.1) after the flip"


def probes(validation: Split) -> np.ndarray:
    """The probe batch: real images, then left-to-right ramps, then top-to-bottom ramps."""
    step = max(1, len(validation.images) // REAL)
    real = validation.images[::step][:REAL].astype(np.float32) / 255.0
    ramp = np.tile(np.linspace(0.1, 0.9, 28, dtype=np.float32), (28, 1))
    ramps = [np.repeat(r[None, :, :, None], RAMPS, axis=0) for r in (ramp, ramp.T)]
    return np.concatenate([real, *ramps])


def direction(images: np.ndarray, axis: int) -> np.ndarray:
    """Each image's correlation with its column (axis 2) or row (axis 1) number."""
    pictures = images[..., 0].astype(np.float64)
    centred = pictures - pictures.mean(axis=(1, 2), keepdims=True)
    shape = [1, 1, 1]
    shape[axis] = 28
    position = (np.arange(28) - 13.5).reshape(shape)
    spread = np.sqrt((centred**2).sum(axis=(1, 2)) * (position**2).sum() * 28)
    return (centred * position).sum(axis=(1, 2)) / np.maximum(spread, 1e-12)


def inference_problem(before: np.ndarray, after: np.ndarray) -> str | None:
    """With ``training=False`` the images must come back unchanged."""
    if after.shape != before.shape:
        return f"The augmenter changed the images' shape from {before.shape} to {after.shape}."
    if np.allclose(after, before, atol=1e-5):
        return None
    if np.allclose(after, before / 255.0, atol=1e-5):
        return (
            "With training=False the augmenter divides the images by 255: keep Rescaling in "
            "the model, and only random layers in the augmenter."
        )
    change = float(np.abs(after - before).max())
    return (
        f"With training=False the augmenter changed the images (by up to {change:.3g}); "
        "expected them unchanged: augmentation is for training only. Random layers do this "
        "by themselves unless they are called with training=True."
    )


def _flips(after: np.ndarray) -> tuple[int, int, int]:
    """How many left-to-right ramps were flipped and kept, and top-to-bottom ramps flipped."""
    across = direction(after[REAL : REAL + RAMPS], axis=2)
    down = direction(after[REAL + RAMPS :], axis=1)
    return int((across < -TURNED).sum()), int((across > TURNED).sum()), int((down < -TURNED).sum())


def training_problem(before: np.ndarray, after: np.ndarray) -> str | None:
    """With ``training=True``: the shape kept, values in [0, 1], most images changed, some
    flipped left to right (not all), none upside down."""
    if after.shape != before.shape:
        return f"The augmenter changed the images' shape from {before.shape} to {after.shape}."
    if not np.all(np.isfinite(after)) or after.min() < -TOLERANCE or after.max() > 1 + TOLERANCE:
        return (
            "Given images with values in [0, 1], the augmenter returned values from "
            f"{np.nanmin(after):.3g} to {np.nanmax(after):.3g}; expected them to stay in [0, 1]."
        )
    changed = np.abs(after[:REAL] - before[:REAL]).reshape(REAL, -1).max(axis=1) > TOLERANCE
    if changed.mean() < MOST:
        return (
            f"With training=True the augmenter changed only {int(changed.sum())} of {REAL} "
            f"images; expected most of them. A random flip alone changes about half: {ADD_ONE}."
        )
    flipped, kept, upside_down = _flips(after)
    if flipped == 0:
        return (
            f"None of {RAMPS} images that brighten from left to right came out flipped; "
            "expected about half flipped left to right: add RandomFlip('horizontal')."
        )
    if kept < 2:
        return (
            f"{flipped} of {RAMPS} images were flipped left to right; expected about half: a "
            "random flip leaves the others as they are."
        )
    if upside_down > 1:
        return (
            f"{upside_down} of {RAMPS} images came out upside down; expected none: the test "
            "images are never upside down. Flip left to right only, RandomFlip('horizontal'), "
            "and keep rotations small (0.1 of a full turn)."
        )
    return None
