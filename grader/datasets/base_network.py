"""The pre-trained base network the package ships for transfer learning (lesson 5).

The course borrows MobileNet, trained on ImageNet, from TensorFlow Hub; neither
can be downloaded here, so the package ships its own "ImageNet network": the
course's CNN trained on all ten Fashion-MNIST classes using only the first
50,000 training images. Its 128-unit Dense layer ``features`` is the feature
vector, the analogue of MobileNet's 1,280 numbers. It takes 28 × 28 × 1 images
scaled to [0, 1].

``load_feature_extractor()`` gives the network up to ``features`` (for a
learner's own runs); ``base_bytes()`` gives the checked file, which the grader
sends to the learner process. The file's SHA-256 is checked on every load; the
command that rebuilds it is ``REBUILD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.datasets.fashion import FashionMnist
from grader.datasets.finder import shipped_file

BASE_FILE = Path(__file__).resolve().parents[1] / "checks" / "lesson5" / "base.keras"
BASE_SHA256 = "9b8f673a9c3cf1701e2b644bc505d4f943d2622ae52a4d66bb37c6acacc42035"
FEATURES = "features"
"""The name of the layer whose output is the feature vector."""
FEATURE_SIZE = 128
TRAINING_IMAGES = 50_000
"""The base saw the first this many training images; lesson 5 draws from the rest."""
REBUILD = "python -m grader.checks.lesson5.build_base"

GROUP_NAMES = ("tops", "bottoms and dresses", "footwear", "bags")
GROUP_OF_CLASS = np.array([0, 1, 0, 1, 0, 2, 0, 2, 3, 2], dtype=np.int64)
"""Fashion-MNIST class id → group: T-shirt/top, Pullover, Coat, Shirt are tops; Trouser and
Dress are bottoms and dresses; Sandal, Sneaker, Ankle boot are footwear; Bag is bags."""
PER_GROUP = 10
TASK_SEED = 2024


def base_bytes() -> bytes:
    """The shipped ``.keras`` file's content, checked against ``BASE_SHA256``."""
    return shipped_file(BASE_FILE, BASE_SHA256, REBUILD)


def load_feature_extractor() -> Any:
    """The base network from its input to ``features``: a Keras model that maps
    (N, 28, 28, 1) images scaled to [0, 1] to (N, 128) feature vectors."""
    from grader.learner.ops.files import load_keras_bytes

    return load_keras_bytes(base_bytes(), BASE_SHA256, FEATURES)


@dataclass(frozen=True)
class TransferTask:
    """The new task: four groups, a few labelled images each, the full test set."""

    images: np.ndarray
    """The labelled images, uint8 (N, 28, 28, 1), from training images the base never saw."""
    labels: np.ndarray
    """Their groups (0–3), int64 (N,)."""
    test_images: np.ndarray
    """All 10,000 test images, uint8."""
    test_groups: np.ndarray
    """The test images' groups (never sent to the learner process)."""


def groups(class_ids: np.ndarray) -> np.ndarray:
    """Fashion-MNIST class ids (0–9) → groups (0–3)."""
    return GROUP_OF_CLASS[np.asarray(class_ids, dtype=np.int64)]


def transfer_task(
    fashion: FashionMnist, per_group: int = PER_GROUP, seed: int = TASK_SEED
) -> TransferTask:
    """``per_group`` labelled images of each group, drawn with ``seed`` from the training
    images after the first ``TRAINING_IMAGES`` (which the base saw), in shuffled order."""
    rng = np.random.default_rng(seed)
    unseen = groups(fashion.train.labels[TRAINING_IMAGES:])
    chosen = np.concatenate(
        [rng.choice(np.flatnonzero(unseen == g), per_group, replace=False) for g in range(4)]
    )
    chosen = rng.permutation(chosen) + TRAINING_IMAGES
    return TransferTask(
        fashion.train.images[chosen],
        groups(fashion.train.labels[chosen]),
        fashion.test.images,
        groups(fashion.test.labels),
    )
