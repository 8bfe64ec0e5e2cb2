"""Lesson 4's shared steps: write the folders once, build each model once, train two.

The image folders are written by ``grader.datasets.folders`` in the grader's
cache and copied into the learner process's own folder, the only one it can
read when sandboxed. The grader trains the learner's models with the learner's
``train`` on datasets of its own, made from the same images (so that the
overfitting checks do not depend on ``load_datasets``), and measures the
accuracies itself, in inference mode: training images, validation images and
the 2,000 test images of the two classes, whose labels stay in this process.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.checking import BINARY, LossProbe, StepSkipped, probe_loss
from grader.checks import steps
from grader.checks.lesson4 import overfitting
from grader.datasets import fashion_mnist, folders
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.grading.written import fresh_folder
from grader.learner.session import Learner, Value

BATCH_SIZE = 32
DROPOUT_PROBE = 0.3
"""The rate the grader asks ``build_model`` for, to see that the argument is used."""
NOT_TRAINED = "skipped: build_model(augment={}, dropout={}) did not return a Keras model."


@pytest.fixture(scope="session")
def splits() -> overfitting.Splits:
    """The folders' images with their labels, and the two classes' test images."""
    fashion = fashion_mnist()
    return overfitting.Splits(
        folders.folder_split("train", fashion),
        folders.folder_split("validation", fashion),
        folders.heldout_split(fashion),
    )


data_first = steps.ready_first("splits")


@pytest.fixture(scope="session")
def image_root(learner: Learner, splits) -> str:
    """The folders, copied into the learner process's own folder; their path there."""
    written = folders.cached_image_folders(fashion_mnist())
    return str(folders.copy_image_folders(written, fresh_folder(learner, "fashion_folders")))


@pytest.fixture(scope="session")
def loaded(learner: Learner, image_root: str) -> Value:
    """The learner's ``load_datasets(directory)``."""
    return learner.call("load_datasets", image_root)


@pytest.fixture(scope="session")
def augmenter(learner: Learner) -> Value:
    """The learner's ``make_augmenter()``, kept in the learner process whatever it is."""
    return learner.run("call_keeping", function="make_augmenter", args=[], kwargs={})


def build(learner: Learner, augment: bool, dropout: float) -> Value:
    return learner.call("build_model", augment=augment, dropout=dropout)


@pytest.fixture(scope="session")
def plain(learner: Learner, built: Value) -> Value:
    """``build_model(augment=False, dropout=0.0)``: the model that overfits."""
    return build(learner, False, 0.0)


@pytest.fixture(scope="session")
def variants(learner: Learner, plain: Value) -> dict[str, Value]:
    """Two more models, to see each switch alone: dropout only, augmentation only."""
    return {
        "dropout": build(learner, False, DROPOUT_PROBE),
        "augment": build(learner, True, 0.0),
    }


@pytest.fixture(scope="session")
def loss_probe(learner: Learner, model: ModelInfo) -> LossProbe | None:
    """What the compiled loss takes the model's output to be; None when not compiled."""
    return probe_loss(learner, model, BINARY)


@pytest.fixture(scope="session")
def grader_sets(learner: Learner, splits) -> tuple[Value, Value]:
    """The grader's own training set (reshuffled every epoch) and validation set, in the
    learner process: float32 images 0–255 and (N, 1) float32 labels, batches of 32."""
    made = []
    for split, shuffle in ((splits.train, len(splits.train.labels)), (splits.validation, 0)):
        arrays = [split.images.astype(np.float32), split.labels.astype(np.float32)[:, None]]
        made.append(
            learner.run(
                "dataset_from_arrays", arrays=arrays, batch_size=BATCH_SIZE, shuffle_buffer=shuffle
            )
        )
    return made[0], made[1]


def _trained(learner, value: Value, sets, grading, loss_probe, splits, name: str):
    if value.kind != "keras_model":
        raise StepSkipped(NOT_TRAINED.format(*overfitting.SETTINGS[name]))
    model = ModelInfo.parse(value)
    training = steps.train(learner, model, sets[0].ref, sets[1].ref, epochs=grading.epochs)
    return overfitting.measure(learner, name, training, loss_probe, splits)


@pytest.fixture(scope="session")
def overfit(
    learner: Learner, plain: Value, grader_sets, grading: GradingContext, loss_probe, splits
) -> overfitting.Measured:
    """``build_model(augment=False, dropout=0.0)`` trained by the learner's ``train``."""
    return _trained(learner, plain, grader_sets, grading, loss_probe, splits, "plain")


@pytest.fixture(scope="session")
def regularized(
    learner: Learner, built: Value, overfit, grader_sets, grading, loss_probe, splits
) -> overfitting.Measured:
    """``build_model()`` (augmentation and dropout 0.5) trained by the learner's ``train``."""
    return _trained(learner, built, grader_sets, grading, loss_probe, splits, "regularized")


@pytest.fixture(scope="session")
def predicted(learner: Learner, regularized: overfitting.Measured, splits) -> Value:
    """The learner's ``predict_classes`` on the 2,000 test images (their labels stay here)."""
    return learner.call("predict_classes", regularized.training.model.ref, splits.test.images)
