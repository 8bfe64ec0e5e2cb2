"""Lesson 4 checks: images from folders, augmentation, dropout, and overfitting measured.

The thresholds come from running the reference (with two different augmenters)
over many seeds beside weak submissions; see docs/calibration.md, lesson 4.
"""

from __future__ import annotations

import numpy as np

from grader.checking import (
    BINARY_ACCURACY_NAMES,
    StepSkipped,
    accuracy_problems,
    check,
    class_ids,
    messages,
    optimizer_problems,
)
from grader.checks.lesson4 import architecture, augmenting, pipelines
from grader.checks.lesson4.conftest import DROPOUT_PROBE
from grader.checks.lesson4.hints import HINTS
from grader.checks.lesson4.overfitting import Measured, curves
from grader.datasets.folders import CLASS_NAMES
from grader.grading.figures import record_figure
from grader.grading.model import ModelInfo
from grader.learner.session import Learner, Value

# Calibrated (docs/calibration.md, lesson 4).
OVERFIT_GAP = 0.08
REGULARIZATION_MARGIN = 0.065
ACCURACY_THRESHOLD = 0.80
PROBE_IMAGES = 16


@check(points=3, hint=HINTS["datasets"])
def test_datasets(learner: Learner, loaded: Value, splits, record_property) -> None:
    """load_datasets reads the image folders: grey images, binary labels, training shuffled"""
    datasets = pipelines.pair(loaded, learner)
    for value, name in zip(datasets, pipelines.NAMES, strict=True):
        problem = pipelines.spec_problem(value, name)
        assert problem is None, problem
    names = learner.run("attribute", obj=datasets[0].ref, name="class_names")
    problem = pipelines.names_problem(names)
    assert problem is None, problem
    for value, name, split in zip(
        datasets, pipelines.NAMES, (splits.train, splits.validation), strict=True
    ):
        whole = learner.take_batches(value.ref, passes=1, batches=pipelines.MAX_BATCHES)[0]
        first = pipelines.order(whole, split, name)
        assert not isinstance(first, str), first
        again = learner.take_batches(value.ref, passes=1, batches=pipelines.AGAIN_BATCHES)[0]
        problem = pipelines.shuffle_problem(first, pipelines.first_indices(again, split), name)
        assert problem is None, problem


@check(points=3, hint=HINTS["augmenter"])
def test_augmenter(learner: Learner, augmenter: Value, splits) -> None:
    """make_augmenter flips images left to right and turns or shifts them, in training only"""
    assert augmenter.info.get("callable") is True and augmenter.ref is not None, (
        f"make_augmenter should return a keras.Sequential of random layers; it returned "
        f"{augmenter.type_name}."
    )
    before = augmenting.probes(splits.validation)
    inference = learner.run("call_model", model=augmenter.ref, x=before, training=False)
    problem = augmenting.inference_problem(before, inference)
    assert problem is None, problem
    training = learner.run("call_model", model=augmenter.ref, x=before, training=True)
    problem = augmenting.training_problem(before, training)
    assert problem is None, problem


@check(points=3, hint=HINTS["model"])
def test_model(learner: Learner, model: ModelInfo, plain: Value, splits) -> None:
    """The model rescales the pixels, then the CNN ends in one sigmoid output"""
    if model.input_shapes is not None:
        shapes = [list(shape[1:]) for shape in model.input_shapes]
        assert shapes == [[28, 28, 1]], (
            f"Expected the model to take 28×28×1 images; it takes {shapes}."
        )
    problem = architecture.core_problem(model)
    assert problem is None, problem
    if plain.kind != "keras_model":
        raise StepSkipped("skipped: build_model(augment=False, dropout=0.0) gave no model.")
    unregularized = ModelInfo.parse(plain)
    position = architecture.first_convolution(unregularized)
    raw = splits.validation.images[:PROBE_IMAGES].astype(np.float32)
    seen = None
    if position:
        seen = learner.run("layer_output", model=unregularized.ref, layer=position - 1, x=raw)
    problem = architecture.rescaling_problem(raw, seen)
    assert problem is None, problem


def _switch_problems(model: ModelInfo, call: str, augment: bool, dropout: float) -> list[str]:
    problems = []
    randoms, rates = architecture.random_layers(model), architecture.dropout_rates(model)
    if augment and not randoms:
        problems.append(f"{call} has no augmenter (no random layers); expected the augmenter.")
    if not augment and randoms:
        problems.append(f"{call} has the random layers {randoms}; expected no augmenter.")
    if rates != ([dropout] if dropout else []):
        found = f"Dropout({', '.join(f'{r:g}' for r in rates)})" if rates else "no Dropout"
        wanted = f"one Dropout({dropout:g})" if dropout else "no Dropout"
        problems.append(f"{call} has {found}; expected {wanted}.")
    return problems


@check(points=2, hint=HINTS["switches"])
def test_switches(
    learner: Learner, model: ModelInfo, plain: Value, variants: dict[str, Value], splits
) -> None:
    """build_model adds augmentation and dropout only when asked, both off at inference"""
    x = splits.validation.images[:PROBE_IMAGES].astype(np.float32)
    outputs = [learner.run("call_model", model=model.ref, x=x, training=False) for _ in "ab"]
    assert np.allclose(outputs[0], outputs[1], atol=1e-6), (
        "build_model() gives different outputs for the same images at inference "
        "(training=False): its augmentation or dropout is at work outside training. Use the "
        "augmenter as a layer of the model and never call it with training=True."
    )
    built = {"default": model}
    for name, value in (("plain", plain), *variants.items()):
        assert value.kind == "keras_model", f"build_model returned {value.type_name} ({name})."
        built[name] = ModelInfo.parse(value)
    problems = _switch_problems(built["default"], "build_model()", True, 0.5)
    problems += _switch_problems(built["plain"], "build_model(augment=False, dropout=0)", False, 0)
    call = f"build_model(augment=False, dropout={DROPOUT_PROBE})"
    problems += _switch_problems(built["dropout"], call, False, DROPOUT_PROBE)
    problems += _switch_problems(built["augment"], "build_model(augment=True, dropout=0)", True, 0)
    assert not problems, " ".join(problems)
    still = built["plain"].ref
    outputs = [learner.run("call_model", model=still, x=x, training=True) for _ in "ab"]
    assert np.allclose(outputs[0], outputs[1], atol=1e-6), (
        "build_model(augment=False, dropout=0) gives different outputs for the same images in "
        "training: something random is left in the model without augmentation and dropout."
    )


@check(points=1, hint=HINTS["compiled"])
def test_compiled(model: ModelInfo, loss_probe) -> None:
    """The model is compiled with Adam, binary cross-entropy and accuracy"""
    assert model.compiled and loss_probe is not None, messages.NOT_COMPILED
    problems = optimizer_problems(model)
    layers = architecture.core(model)
    logits = bool(layers) and layers[-1].activation == "linear"
    expected = "logits" if logits else "probabilities"
    if loss_probe.reading != expected:
        what = "logits, with from_logits=True" if logits else "the sigmoid's probabilities"
        problems.append(f"Expected binary cross-entropy on {what}; found {model.loss_name}.")
    problems += accuracy_problems(model, BINARY_ACCURACY_NAMES)
    assert not problems, " ".join(problems)


def _epochs(count: int) -> str:
    return f"{count} epoch" + ("" if count == 1 else "s")


def _history_problem(measured: Measured, epochs: int) -> str | None:
    history = measured.training.history
    if history.kind != "history":
        return messages.not_a_history("train", history.type_name)
    if history.info.get("epochs") != epochs:
        return (
            f"The grader asked train for {epochs} epochs; it trained for "
            f"{history.info.get('epochs')}. Pass epochs=epochs on to model.fit."
        )
    if not any(name.startswith("val_") for name in history.info.get("history") or {}):
        return (
            "The History has no validation results: pass validation_data=val_ds to model.fit, "
            "so that each epoch ends with the validation accuracy."
        )
    return measured.problem


@check(points=2, hint=HINTS["overfitting"])
def test_overfitting(overfit: Measured, grading, request, record_property) -> None:
    """Without augmentation and dropout the CNN overfits: far better on its training images"""
    problem = _history_problem(overfit, grading.epochs)
    assert problem is None, problem
    for name in ("train", "validation", "test", "gap"):
        record_property(f"plain_{name}", getattr(overfit, name))
    assert overfit.gap >= OVERFIT_GAP, (
        f"After {_epochs(grading.epochs)}, {overfit.call} is right about {overfit.train:.1%} of "
        f"the training images and {overfit.validation:.1%} of the validation images: a gap of "
        f"{overfit.gap:.1%}; expected at least {OVERFIT_GAP:.0%}, the overfitting the lesson "
        "shows. Check that train fits on train_ds for the epochs it is given."
    )


@check(points=3, hint=HINTS["regularization"])
def test_regularization(
    regularized: Measured, overfit: Measured, grading, request, record_property
):
    """With augmentation and dropout the gap between training and validation shrinks"""
    figure = curves(overfit, regularized)
    if figure is not None:
        record_figure(request, figure)
    problem = _history_problem(regularized, grading.epochs)
    assert problem is None, problem
    for name in ("train", "validation", "test", "gap"):
        record_property(f"regularized_{name}", getattr(regularized, name))
    if overfit.gap is None:
        raise StepSkipped("skipped: the model without regularization could not be measured.")
    record_property("gap_reduction", overfit.gap - regularized.gap)
    assert regularized.gap <= overfit.gap - REGULARIZATION_MARGIN, (
        f"With augmentation and dropout the gap between training ({regularized.train:.1%}) and "
        f"validation ({regularized.validation:.1%}) accuracy is {regularized.gap:.1%}; without "
        f"them {overfit.gap:.1%}. Expected it at least {REGULARIZATION_MARGIN * 100:.1f} points "
        "smaller. "
        "Check that build_model() puts the augmenter and Dropout(0.5) in the model."
    )


@check(points=3, hint=HINTS["accuracy"])
def test_accuracy(predicted: Value, splits, grading, record_property) -> None:
    """The regularized CNN tells shirts from T-shirts on 2,000 test images it never saw"""
    ids = class_ids(predicted, len(splits.test.labels))
    assert set(np.unique(ids)) <= {0, 1}, (
        f"predict_classes should return 0 ({CLASS_NAMES[0]}) or 1 ({CLASS_NAMES[1]}) for each "
        f"image; found the values {sorted(set(np.unique(ids).tolist()))[:10]}."
    )
    accuracy = float(np.mean(ids == splits.test.labels))
    record_property("test_accuracy", accuracy)
    assert accuracy >= ACCURACY_THRESHOLD, (
        f"Test accuracy is {accuracy:.1%} on the 2,000 test shirts and T-shirts; expected at "
        f"least {ACCURACY_THRESHOLD:.0%} after {_epochs(grading.epochs)}. Check that "
        "predict_classes gives the model raw images, as in training, and thresholds the "
        "sigmoid's output at 0.5."
    )
