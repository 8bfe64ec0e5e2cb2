"""Lesson 3 checks: convolution, max pooling and the course's CNN on Fashion-MNIST.

The accuracy threshold comes from running the reference solution over many
seeds, beside lesson 2's dense network and weakened CNNs trained for the same
budget; see docs/calibration.md, lesson 3.
"""

from __future__ import annotations

import numpy as np

from grader.checking import (
    StepSkipped,
    accuracy_problems,
    assert_trained_for,
    check,
    class_ids,
    messages,
    optimizer_problems,
    output_layers,
)
from grader.checks.lesson3 import architecture, feature_maps, probes
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.session import Learner, Value

# Calibrated (docs/calibration.md, lesson 3).
ACCURACY_THRESHOLD = 0.865
PARAMETERS = 421_642

ACCURACY_NAMES = messages.ACCURACY_NAMES | {"SparseCategoricalAccuracy"}
BAD_CLASS_IDS = "skipped: predict_classes did not return class ids."


@check(
    points=2,
    hint=(
        "Pad the image with zeros so the output keeps its size, then, for each output pixel, "
        "multiply the kernel with the patch under it and add the products up.",
        "np.pad(image, k // 2) adds the zeros. Output pixel (i, j) uses the k × k patch of the "
        "padded image whose top-left corner is (i, j). Do not flip the kernel: Conv2D does not.",
    ),
)
def test_convolve(learner: Learner) -> None:
    """convolve computes a convolution with "same" padding, as Conv2D does"""
    for image, kernel in probes.CONVOLVE_PROBES:
        found = probes.answer(learner.call("convolve", image, kernel), "convolve")
        problem = probes.convolve_problem(image, kernel, found)
        assert problem is None, problem


@check(
    points=2,
    hint=(
        "Each output pixel is the largest value of one window; windows start every `stride` "
        "pixels, and a window that would go past the edge is left out.",
        "The output has (H - size) // stride + 1 rows and (W - size) // stride + 1 columns; "
        "window (i, j) starts at row i·stride and column j·stride.",
    ),
)
def test_max_pool(learner: Learner) -> None:
    """max_pool keeps the largest value of each window, as MaxPooling2D does"""
    for image, size, stride in probes.POOL_PROBES:
        value = learner.call("max_pool", image, size=size, stride=stride)
        found = probes.answer(value, "max_pool")
        problem = probes.pool_problem(image, size, stride, found)
        assert problem is None, problem


@check(
    points=3,
    hint=(
        "Two blocks of convolution and max pooling, then lesson 2's Flatten → Dense(128) → "
        "Dense(10).",
        "Conv2D(32, (3, 3), padding='same', activation='relu'), MaxPooling2D((2, 2), "
        "strides=2), the same with 64 filters, then Flatten, Dense(128, relu), Dense(10, "
        "softmax).",
    ),
)
def test_architecture(model: ModelInfo, outputs: str, loss_probe, record_property) -> None:
    """The model is the course's CNN: two convolution and max pooling blocks, then Dense"""
    if model.input_shapes is not None:
        shapes = [list(shape[1:]) for shape in model.input_shapes]
        assert shapes == [[28, 28, 1]], (
            f"Expected the model to take 28×28×1 images; it takes {shapes}."
        )
    layers, activation = output_layers(model)
    problem = architecture.sequence_problem(layers)
    assert problem is None, problem
    problems = architecture.differences(layers)
    if activation not in ("softmax", "linear"):
        problems.append(f"The output layer has the {activation} activation; expected softmax.")
    params = architecture.parameters(model)
    record_property("parameters", params)
    if params != PARAMETERS:
        problems.append(f"The model has {params:,} parameters; expected {PARAMETERS:,}.")
    assert not problems, " ".join(problems)
    if loss_probe is not None and loss_probe.reading != "other":
        assert not (outputs == "probabilities" and loss_probe.reading == "logits"), (
            messages.SOFTMAX_TWICE
        )
        assert not (outputs == "logits" and loss_probe.reading == "probabilities"), (
            messages.LOGITS_AS_PROBABILITIES
        )


@check(
    points=1,
    hint=(
        "Compile the CNN as you compiled lesson 2's model.",
        "optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'].",
    ),
)
def test_compiled(model: ModelInfo, loss_probe, record_property) -> None:
    """The model is compiled with Adam, sparse categorical cross-entropy and accuracy"""
    assert model.compiled and loss_probe is not None, messages.NOT_COMPILED
    problems = optimizer_problems(model)
    if loss_probe.loss is not None:
        record_property("probe_loss", loss_probe.loss)
    if loss_probe.reading == "other":
        found = f"{model.loss_name}" + (
            f", which gives {loss_probe.loss:.4g} on the grader's probe"
            if loss_probe.loss is not None
            else ", which fails on class-id labels"
        )
        problems.append(f"Expected sparse categorical cross-entropy as the loss; found {found}.")
    problems += accuracy_problems(model, ACCURACY_NAMES, messages.ACCURACY_METRIC)
    assert not problems, " ".join(problems)


@check(
    points=3,
    hint=(
        "Train on the dataset you are given, for the epochs you are given, and normalise the "
        "test images the same way as the training images.",
        "Check that train passes epochs on to fit and returns the History, that the model is "
        "the course's CNN, and that predict_classes normalises the raw images.",
    ),
)
def test_accuracy(
    training, predicted: Value, fashion, grading: GradingContext, record_property
) -> None:
    """After training, the CNN classifies the 10,000 test images better than a dense network"""
    history = training.history
    assert history.kind == "history", (
        f"train should return the History from model.fit; it returned {history.type_name}."
    )
    try:
        ids = class_ids(predicted, len(fashion.test.labels))
    except AssertionError as failure:
        raise StepSkipped(f"{BAD_CLASS_IDS} {failure}") from None
    accuracy = float(np.mean(ids == fashion.test.labels))
    record_property("test_accuracy", accuracy)
    assert_trained_for(history, grading.epochs)
    assert accuracy >= ACCURACY_THRESHOLD, (
        f"Test accuracy is {accuracy:.1%}; expected at least {ACCURACY_THRESHOLD:.1%} after "
        f"{grading.epochs} epoch(s), more than lesson 2's dense network reaches in the same "
        "time. Check that the model is the course's CNN and that predict_classes normalises "
        "the images."
    )


@check(
    points=2,
    hint=(
        "The feature maps are what the first Conv2D layer outputs: one 28×28 map per filter.",
        "first = the first Conv2D layer of model.layers; keras.Model(model.inputs, "
        "first.output).predict(images / 255) gives them.",
    ),
)
def test_feature_maps(learner: Learner, model: ModelInfo, fashion) -> None:
    """feature_maps shows what the first convolution's 32 filters respond to"""
    images = fashion.test.images[: feature_maps.IMAGES]
    value = learner.call("feature_maps", model.ref, images)
    found = probes.answer(value, "feature_maps")
    problem = feature_maps.shape_problem(found.shape, len(images))
    assert problem is None, problem
    layer, kernel, bias = feature_maps.first_convolution(learner, model)
    expected = feature_maps.expected_maps(layer, kernel, bias, images)
    problem = feature_maps.value_problem(found, expected, layer, kernel, bias, images)
    assert problem is None, problem
