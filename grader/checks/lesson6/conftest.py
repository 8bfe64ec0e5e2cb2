"""Lesson 6's shared steps: train once, save once, resume twice, export once.

Every file the learner's functions write is copied into the clean room and
opened there (safe mode, a separate process of the grader's); the scoring
process sees only plain data.  The learner process gets training images and
labels and test images, never test labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from grader.checking import StepSkipped
from grader.checks import steps
from grader.datasets import fashion_mnist
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.grading.written import fresh_folder
from grader.learner.cleanroom import CleanRoom, KerasFile, SavedModelFile
from grader.learner.ops.optimizer import OptimizerState
from grader.learner.session import Learner
from grader.learner.values import Value

TRAIN_IMAGES = 2000
"""Training images for the model that is saved (about 32 of Adam's steps at batch size 64)."""
SMALL_IMAGES = 320
"""Images for resuming, and for the second model: far fewer steps than the first training."""
PROBE_IMAGES = 500
"""Test images whose outputs are compared (their labels never leave the scoring process)."""
NOT_SAVED_STEP = "skipped: save_model did not write a Keras archive (see the first check)."
NOT_LOADED_STEP = "skipped: the saved file does not load in the grader (see above)."
NOT_SERVABLE_STEP = "skipped: export_for_serving did not write a SavedModel (see that check)."


@dataclass(frozen=True)
class Images:
    train: np.ndarray
    train_labels: np.ndarray
    small: np.ndarray
    small_labels: np.ndarray
    probe: np.ndarray


@dataclass(frozen=True)
class Saved:
    """A model the learner's ``save_model`` wrote, and what the clean room found in it."""

    path: Path
    home: Path
    """The learner's working folder, where a save that ignores ``path`` ends up."""
    outputs: np.ndarray
    """The model's own predictions on the probe images, before it was saved."""
    file: KerasFile


@dataclass(frozen=True)
class Resumed:
    """What ``resume_training`` returned, as plain data."""

    value: Value
    optimizer: OptimizerState | None
    outputs: np.ndarray | None


def scaled(images: np.ndarray) -> np.ndarray:
    return images.astype(np.float32) / 255.0


@pytest.fixture(scope="session")
def images() -> Images:
    data = fashion_mnist()
    train, labels = data.train.images, data.train.labels
    end = TRAIN_IMAGES + SMALL_IMAGES
    return Images(
        scaled(train[:TRAIN_IMAGES]),
        labels[:TRAIN_IMAGES],
        scaled(train[TRAIN_IMAGES:end]),
        labels[TRAIN_IMAGES:end],
        scaled(data.test.images[:PROBE_IMAGES]),
    )


data_first = steps.ready_first("images")


@pytest.fixture(scope="session")
def cleanroom() -> Iterator[CleanRoom]:
    with CleanRoom() as room:
        room.start()  # TensorFlow starts there while the learner's model trains
        yield room


@pytest.fixture(scope="session")
def trained(
    cleanroom: CleanRoom,
    learner: Learner,
    model: ModelInfo,
    images: Images,
    grading: GradingContext,
) -> steps.Training:
    """The learner's model after its ``train`` (one epoch on 2,000 images)."""
    return steps.train(learner, model, images.train, images.train_labels, epochs=grading.epochs)


@pytest.fixture(scope="session")
def predictions(learner: Learner, trained: steps.Training, images: Images) -> np.ndarray:
    """The trained model's own ``predict`` on the probe images."""
    return learner.model_output(trained.model.ref, images.probe)


def save(
    learner: Learner,
    room: CleanRoom,
    model: ModelInfo,
    name: str,
    x: np.ndarray,
    outputs: np.ndarray | None = None,
) -> Saved:
    """The learner's ``save_model`` on ``model``, and the file opened in the clean room."""
    path = fresh_folder(learner, "models") / name
    learner.call("save_model", model.ref, str(path))
    if outputs is None:
        outputs = learner.model_output(model.ref, x)
    return Saved(path, learner.writable_folder(), outputs, room.inspect_keras(path, x))


@pytest.fixture(scope="session")
def saved(
    learner: Learner,
    cleanroom: CleanRoom,
    trained: steps.Training,
    images: Images,
    predictions: np.ndarray,
) -> Saved:
    return save(learner, cleanroom, trained.model, "fashion.keras", images.probe, predictions)


@pytest.fixture(scope="session")
def second(learner: Learner, cleanroom: CleanRoom, saved: Saved, images: Images) -> Saved:
    """Another model, trained on other images and saved after the first: a function that
    answers with a model it kept instead of reading its path gives this one."""
    built = learner.call("build_model")
    if built.kind != "keras_model":
        raise StepSkipped(steps.NOT_A_MODEL_STEP)
    model = ModelInfo.parse(built)
    learner.call("train", model.ref, images.small, images.small_labels, epochs=1)
    return save(learner, cleanroom, model, "second.keras", images.probe)


def resume(learner: Learner, saved: Saved, images: Images, epochs: int) -> Resumed:
    if saved.file.problem is not None:
        raise StepSkipped(NOT_LOADED_STEP if saved.file.entries else NOT_SAVED_STEP)
    value = learner.call(
        "resume_training", str(saved.path), images.small, images.small_labels, epochs=epochs
    )
    if value.kind != "keras_model":
        return Resumed(value, None, None)
    optimizer = learner.run("optimizer_state", model=value.ref)
    return Resumed(value, optimizer, learner.model_output(value.ref, images.probe))


@pytest.fixture(scope="session")
def restored(learner: Learner, saved: Saved, second: Saved, images: Images) -> Resumed:
    """``resume_training(path, …, epochs=0)``: the model exactly as the file holds it."""
    return resume(learner, saved, images, epochs=0)


@pytest.fixture(scope="session")
def continued(learner: Learner, saved: Saved, restored: Resumed, images: Images) -> Resumed:
    """``resume_training(path, …, epochs=1)`` on 320 images."""
    return resume(learner, saved, images, epochs=1)


@dataclass(frozen=True)
class Exported:
    directory: Path
    home: Path
    file: SavedModelFile


@pytest.fixture(scope="session")
def exported(
    learner: Learner, cleanroom: CleanRoom, trained: steps.Training, images: Images
) -> Exported:
    """The learner's ``export_for_serving`` of the trained model, opened in the clean room."""
    directory = fresh_folder(learner, "serving") / "fashion"
    learner.call("export_for_serving", trained.model.ref, str(directory))
    found = cleanroom.inspect_savedmodel(directory, images.probe)
    return Exported(directory, learner.writable_folder(), found)


@pytest.fixture(scope="session")
def serving(learner: Learner, exported: Exported) -> Value:
    """What ``load_for_serving`` returned, kept in the learner process (a function, we hope)."""
    if exported.file.problem is not None:
        raise StepSkipped(NOT_SERVABLE_STEP)
    directory = str(exported.directory)
    return learner.run("call_keeping", function="load_for_serving", args=[directory], kwargs={})
