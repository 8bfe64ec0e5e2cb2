"""Lesson 10's shared steps: train once, convert twice, examine each file in the clean room.

Fashion-MNIST is loaded here, in the scoring process, and scaled to float32 in
[0, 1] before any call (the lesson's convention); the learner process gets the
training images and labels and test images, never the test labels.  The
flatbuffers learner code returns come back as bytes (``call_for_bytes``); this
process only looks at their size and hands them to the clean room, which runs
them and reports outputs and the dtypes each operation computes in.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from grader.checks import steps
from grader.checks.lesson10.reading import Converted, examine
from grader.datasets import fashion as data
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.cleanroom import CleanRoom
from grader.learner.session import Learner

TRAIN_IMAGES = 60_000
"""Training images given to the learner's ``train`` (all of them)."""
PROBE_IMAGES = 1_000
"""Test images on which the converted models are compared with the Keras model."""
REPRESENTATIVE_IMAGES = 200
"""Training images given to ``convert_quantized`` as its representative data."""


def scaled(images: np.ndarray) -> np.ndarray:
    """uint8 images as float32 in [0, 1], the lesson's convention for every call."""
    return images.astype(np.float32) / 255.0


@pytest.fixture(scope="session")
def cleanroom() -> Iterator[CleanRoom]:
    """The clean room, for flatbuffers only: it loads the interpreter, not TensorFlow."""
    with CleanRoom(preload="tflite") as room:
        room.start()
        yield room


@pytest.fixture(scope="session")
def probe_images(fashion: data.FashionMnist) -> np.ndarray:
    return scaled(fashion.test.images[:PROBE_IMAGES])


@pytest.fixture(scope="session")
def train_images(fashion: data.FashionMnist) -> np.ndarray:
    return scaled(fashion.train.images[:TRAIN_IMAGES])


data_first = steps.ready_first("train_images", "probe_images")


@pytest.fixture(scope="session")
def training(
    learner: Learner,
    model: ModelInfo,
    fashion: data.FashionMnist,
    train_images: np.ndarray,
    grading: GradingContext,
    cleanroom: CleanRoom,
) -> steps.Training:
    """The learner's ``train`` (shipped filled in) run once, for the grader's budget."""
    labels = fashion.train.labels[:TRAIN_IMAGES]
    return steps.train(learner, model, train_images, labels, epochs=grading.epochs)


@pytest.fixture(scope="session")
def keras_outputs(learner: Learner, training: steps.Training, probe_images) -> np.ndarray:
    """The trained Keras model's outputs on the probe images."""
    return learner.model_output(training.model.ref, probe_images)


@pytest.fixture(scope="session")
def float_model(
    learner: Learner, training: steps.Training, cleanroom: CleanRoom, probe_images
) -> Converted:
    """The learner's ``convert(model)``, examined in the clean room on the probe images."""
    blob = learner.run("call_for_bytes", function="convert", args=[training.model.ref])
    return examine("convert", blob, cleanroom, probe_images)


@pytest.fixture(scope="session")
def quantized_model(
    learner: Learner,
    training: steps.Training,
    cleanroom: CleanRoom,
    fashion: data.FashionMnist,
    probe_images,
) -> Converted:
    """The learner's ``convert_quantized(model, representative_images)``, examined."""
    representative = scaled(fashion.train.images[-REPRESENTATIVE_IMAGES:])
    blob = learner.run(
        "call_for_bytes", function="convert_quantized", args=[training.model.ref, representative]
    )
    return examine("convert_quantized", blob, cleanroom, probe_images)
