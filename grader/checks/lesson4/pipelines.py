"""Reading the two datasets ``load_datasets`` returns: element spec, class names, images,
labels and order, compared with the folders the grader wrote.

Every image a dataset gives is looked up among the folder's images by its
pixels (the grader wrote them, so it knows each one's class); the labels are
then compared with the class folders, and the order of two passes tells whether
the set is reshuffled between epochs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.datasets import Split
from grader.datasets.folders import CLASS_NAMES
from grader.learner.session import Learner, Ref, Value

NAMES = ("train_ds", "val_ds")
IMAGES = [None, 28, 28, 1]
LABELS = [None, 1]
MAX_BATCHES = 130
"""Batches read for a whole pass: enough in batches of 16 or more."""
AGAIN_BATCHES = 2
"""Batches read of the next pass, to compare the order."""
LABELLING = (
    "image_dataset_from_directory numbers the class folders alphabetically: shirt = 0, "
    "tshirt_top = 1."
)


def pair(value: Value, learner: Learner) -> tuple[Value, Value]:
    """The two datasets ``load_datasets`` returned, or a failed check saying what came back."""
    items = value.info.get("items")
    assert value.kind == "sequence" and isinstance(items, list) and len(items) == 2, (
        f"load_datasets should return a pair (train_ds, val_ds); it returned "
        f"{value.type_name} ({value.info.get('repr')})."
    )
    found = []
    for item, name in zip(items, NAMES, strict=True):
        kind = item.get("kind") if isinstance(item, dict) else None
        assert kind == "dataset" and isinstance(item.get("ref"), str), (
            f"{name} should be a tf.data.Dataset, as image_dataset_from_directory gives; found "
            f"{item.get('type') if isinstance(item, dict) else '?'}."
        )
        ref = Ref(learner.generation, item["ref"])
        found.append(Value("dataset", str(item.get("type")), item, ref))
    return found[0], found[1]


def _shape(spec: Any) -> list[Any] | None:
    shape = spec.get("shape") if isinstance(spec, dict) else None
    return shape if isinstance(shape, list) else None


def spec_problem(value: Value, name: str) -> str | None:
    """What is wrong with a dataset's element spec, in words; None when it is right."""
    spec = value.info.get("element_spec")
    if not (isinstance(spec, list) and len(spec) == 2):
        return f"{name} should give (images, labels) pairs; its elements are {spec}."
    images, labels = (_shape(part) for part in spec)
    if images != IMAGES:
        advice = "Batches of 28 × 28 grey images have the shape (batch, 28, 28, 1)"
        if images and images[-1] == 3:
            advice = "The images have 3 colour channels: use color_mode='grayscale'"
        elif images and len(images) == 4 and images[1:3] != [28, 28]:
            advice = "Keep the images' size: image_size=(28, 28)"
        elif images and len(images) == 3:
            advice = "The images are not batched: image_dataset_from_directory batches them"
        return f"{name}'s images have the shape {images}; expected {IMAGES}. {advice}."
    if spec[0].get("dtype") != "float32":
        return f"{name}'s images are {spec[0].get('dtype')}; expected float32."
    if labels != LABELS:
        advice = ""
        if labels == [None]:
            advice = " Labels of shape (batch,) are integer class ids (label_mode='int')."
        return (
            f"{name}'s labels have the shape {labels}; expected {LABELS}, one 0.0 or 1.0 per "
            f"image for the sigmoid output: label_mode='binary'.{advice}"
        )
    return None


def names_problem(names: Any) -> str | None:
    """``class_names`` (when the dataset still carries it) against the folders' order."""
    if names is None or names == list(CLASS_NAMES):
        return None
    return f"train_ds.class_names is {names}; expected {list(CLASS_NAMES)}. {LABELLING}"


def _pixels(images: np.ndarray) -> np.ndarray:
    """Images as the uint8 pixels they were read from (0–255, or 0–1 if rescaled)."""
    scale = 255.0 if images.size and float(images.max()) <= 1.0 else 1.0
    return np.clip(np.rint(images.astype(np.float64) * scale), 0, 255).astype(np.uint8)


def _indices(elements: list[list[np.ndarray]], split: Split) -> tuple[list[int], int, int]:
    """The folder index of each image (-1 when it is not one of the folder's), and how many
    images are unknown and how many labels wrong."""
    lookup = {image.tobytes(): index for index, image in enumerate(split.images)}
    found: list[int] = []
    wrong_labels = 0
    for element in elements:
        for image, label in zip(_pixels(element[0]), element[1].reshape(-1), strict=False):
            index = lookup.get(image.tobytes(), -1)
            found.append(index)
            wrong_labels += index >= 0 and round(float(label)) != int(split.labels[index])
    return found, found.count(-1), wrong_labels


def order(elements: list[list[np.ndarray]], split: Split, name: str) -> list[int] | str:
    """The folder indices of the images of one whole pass, checking count and labels; or
    what is wrong, in words."""
    if any(len(element) != 2 or element[0].shape[1:] != (28, 28, 1) for element in elements):
        return f"{name} should give (images, labels) batches."
    found, unknown, wrong_labels = _indices(elements, split)
    count, expected = len(found), len(split.labels)
    if count != expected:
        return f"{name} holds {count} images in one pass; expected {expected}."
    if unknown:
        return f"{unknown} of {name}'s {count} images are not images of its folder."
    if wrong_labels:
        return (
            f"{wrong_labels} of {name}'s {count} labels are not their class folder's. {LABELLING}"
        )
    if len(set(found)) != expected:
        return f"{name} gives some images twice and leaves others out in one pass."
    return found


def first_indices(elements: list[list[np.ndarray]], split: Split) -> list[int]:
    """The folder indices of the first images of another pass (-1 for unknown ones)."""
    return _indices(elements, split)[0]


def shuffle_problem(first: list[int], again: list[int], name: str) -> str | None:
    """Training images come in a new order every epoch; validation images in the same one
    (``first``: a whole pass; ``again``: the start of the next)."""
    same = first[: len(again)] == again
    if name == "train_ds" and same:
        return (
            "train_ds gives its images in the same order in every epoch; expected a new order "
            "each time (shuffle=True), so that batches differ from epoch to epoch. A .cache() "
            "after the shuffle keeps the first epoch's order: shuffle again after it."
        )
    if name == "val_ds" and not same:
        return (
            "val_ds gives its images in a different order each time; expected the same order "
            "(shuffle=False): validation only measures, it needs no shuffling."
        )
    return None
