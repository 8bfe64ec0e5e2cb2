"""Lesson 5 checks: a frozen base network, a new head, transfer with few labels, fine-tuning.

The accuracy threshold and the fine-tuning margin come from running the
reference over many seeds beside the same CNN trained from scratch on the same
few images, and beside weak submissions; see docs/calibration.md, lesson 5.
"""

from __future__ import annotations

import numpy as np

from grader.checking import (
    GradingContext,
    Learner,
    ModelInfo,
    StepSkipped,
    assert_trained_for,
    check,
    class_ids,
    messages,
    output_layers,
)
from grader.checks.lesson5 import transfer
from grader.checks.lesson5.conftest import FINE_TUNE_LAYERS, FINE_TUNE_RATE, FineTuning

# Calibrated (docs/calibration.md, lesson 5).
ACCURACY_THRESHOLD = 0.897
FINE_TUNE_MARGIN = 0.02
PROBE_IMAGES = 16

HEAD = transfer.head_params()
UNSCALED = (
    "The model gives the base the raw pixel values (0–255), but the base was trained on images "
    "scaled to [0, 1], so its features are not the ones it learned. Put "
    "keras.layers.Rescaling(1/255) between the input and the base."
)


@check(
    points=3,
    hint=(
        "Freezing a network keeps its weights as they are: training changes only the new head.",
        "Set base.trainable = False in build_model before you compile; model.summary() should "
        "then show 516 trainable parameters.",
    ),
)
def test_frozen(model: ModelInfo, base_before, base_after, record_property) -> None:
    """The base is frozen: training changes only the new head's weights"""
    trainable = int(model_info_trainable(model))
    record_property("trainable_parameters", trainable)
    changed = transfer.changed(base_before, base_after)
    problems = []
    if trainable != HEAD:
        problems.append(
            f"Only the head's {HEAD} parameters (128 × 4 weights + 4 biases) should be "
            f"trainable; found {trainable:,} trainable parameters. Set base.trainable = False "
            "before compiling."
        )
    if changed:
        problems.append(
            f"Training changed the base's weights ({', '.join(changed)}); a frozen base keeps "
            "the features it learned."
        )
    assert not problems, " ".join(problems)


def model_info_trainable(model: ModelInfo) -> int:
    """Trainable parameters of the whole model (nested models counted as they train)."""
    return sum(layer.trainable_params for layer in model.layers)


@check(
    points=2,
    hint=(
        "The new head is a single Dense layer that turns the base's 128 features into one score "
        "per group.",
        "keras.layers.Dense(num_classes, activation='softmax') applied to the base's output, "
        "compiled with loss='sparse_categorical_crossentropy'.",
    ),
)
def test_head(model: ModelInfo, outputs: str, loss_probe) -> None:
    """The new head is one Dense layer with a unit per group, on the base's 128 features"""
    assert model.compiled and loss_probe is not None, messages.NOT_COMPILED
    layers, activation = output_layers(model)
    last = layers[-1] if layers else None
    shapes = last.shapes if last is not None else ()
    assert last is not None and last.is_a("Dense") and shapes and shapes[0][0] == 128, (
        "Expected the model to end with one Dense layer on the base's 128 features; found "
        f"{model.summary()}."
    )
    assert last.units == transfer.GROUPS, (
        f"Expected the head to have {transfer.GROUPS} units, one per group (num_classes); "
        f"found {last}. Use Dense(num_classes)."
    )
    assert activation in ("softmax", "linear"), (
        f"The head has the {activation} activation; expected softmax."
    )
    if loss_probe.reading == "other":
        raise AssertionError(
            f"Expected sparse categorical cross-entropy as the loss; found {model.loss_name}."
        )
    assert not (outputs == "probabilities" and loss_probe.reading == "logits"), (
        messages.SOFTMAX_TWICE
    )
    assert not (outputs == "logits" and loss_probe.reading == "probabilities"), (
        messages.LOGITS_AS_PROBABILITIES
    )


@check(
    points=2,
    hint=(
        "The base was trained on images whose pixels are between 0 and 1; your model is given "
        "raw pixels (0–255).",
        "inputs = keras.Input(shape=(28, 28, 1)); x = keras.layers.Rescaling(1/255)(inputs); "
        "x = base(x) …",
    ),
)
def test_rescaling(learner: Learner, training, base, task) -> None:
    """The model scales raw pixels to [0, 1] before the base, as the base was trained"""
    model = training.model
    head = transfer.head_weights(learner.run("weights", model=model.ref))
    if head is None:
        raise StepSkipped("skipped: the model has no head on 128 features (see the head check).")
    images = task.images[:PROBE_IMAGES].astype(np.float32)
    output = learner.model_output(model.ref, images).astype(np.float64)
    scaled = learner.run("call_model", model=base.ref, x=images / 255.0)
    if transfer.matches(output, transfer.head_outputs(scaled, head)):
        return
    raw = learner.run("call_model", model=base.ref, x=images)
    assert not transfer.matches(output, transfer.head_outputs(raw, head)), UNSCALED
    raise AssertionError(
        "The model's outputs are not its head applied to the base's features of the images "
        "scaled to [0, 1]. Expected input → Rescaling(1/255) → base → Dense head; found "
        f"{model.summary()}."
    )


@check(
    points=4,
    hint=(
        "With a frozen base and a trained head, 40 images are enough for a good classifier: the "
        "base already knows what clothes look like.",
        "Check that train passes epochs on to model.fit and returns the History, that the base "
        "is frozen and rescaled inputs reach it, and that predict_classes takes the argmax.",
    ),
)
def test_transfer(training, predicted, task, grading: GradingContext, record_property) -> None:
    """Transfer works: with 40 labelled images, frozen base + head beats a CNN from scratch"""
    history = training.history
    assert history.kind == "history", messages.not_a_history("train", history.type_name)
    try:
        ids = class_ids(predicted, len(task.test_groups))
    except AssertionError as failure:
        raise StepSkipped(f"{messages.BAD_CLASS_IDS} {failure}") from None
    accuracy = transfer.accuracy(ids, task.test_groups)
    record_property("test_accuracy", accuracy)
    assert_trained_for(history, grading.epochs)
    assert accuracy >= ACCURACY_THRESHOLD, (
        f"Test accuracy is {accuracy:.1%} on the four groups; expected at least "
        f"{ACCURACY_THRESHOLD:.1%} after {grading.epochs} epochs on {len(task.labels)} images, "
        "more than the same CNN trained from scratch on them reaches. Check that the base is "
        "frozen, that the images are rescaled, and that the head has one unit per group."
    )


@check(
    points=3,
    hint=(
        "Fine-tuning unfreezes only the base's top layers and trains them very slowly, so the "
        "features change a little without being destroyed.",
        "base.trainable = True; then set trainable = False on every base layer except the last "
        "`layers` that have weights (layer.weights is not empty); recompile with "
        "keras.optimizers.Adam(learning_rate=learning_rate).",
    ),
)
def test_fine_tuning(fine_tuning: FineTuning, base, predicted, task, record_property) -> None:
    """Fine-tuning unfreezes the base's top layers and trains them at a low learning rate"""
    assert fine_tuning.returned.kind == "keras_model", (
        f"fine_tune should return the model; it returned {fine_tuning.returned.type_name}."
    )
    model = fine_tuning.model
    problems = fine_tune_problems(model, fine_tuning.base)
    assert not problems, " ".join(problems)
    assert fine_tuning.predicted is not None
    before = transfer.accuracy(class_ids(predicted, len(task.test_groups)), task.test_groups)
    ids = class_ids(fine_tuning.predicted, len(task.test_groups))
    after = transfer.accuracy(ids, task.test_groups)
    record_property("fine_tuned_accuracy", after)
    record_property("fine_tune_change", after - before)
    assert after >= before - FINE_TUNE_MARGIN, (
        f"After fine-tuning, test accuracy fell from {before:.1%} to {after:.1%}; expected it "
        f"to stay within {FINE_TUNE_MARGIN:.0%} of the frozen model's. Train the unfrozen layers "
        "at the small learning rate asked for."
    )


def fine_tune_problems(model: ModelInfo, base: ModelInfo) -> list[str]:
    """What is wrong with the trainable layers and the optimizer after ``fine_tune``."""
    top = transfer.top_layers(base, FINE_TUNE_LAYERS)
    expected = HEAD + sum(layer.params or 0 for layer in top)
    found = model_info_trainable(model)
    names = ", ".join(transfer.name_of(layer) for layer in top)
    problems = []
    if found != expected:
        unfrozen = [transfer.name_of(layer) for layer in base.layers if layer.trainable_params]
        problems.append(
            f"Expected the top {FINE_TUNE_LAYERS} layers of the base that have weights ({names}) "
            f"and the head to be trainable: {expected:,} parameters; found {found:,} trainable"
            f" (base layers that train: {', '.join(unfrozen) or 'none'})."
        )
    rate = model.optimizer.learning_rate if model.optimizer is not None else None
    if model.optimizer is None or not model.optimizer.is_a("Adam"):
        problems.append("Expected the model recompiled with the Adam optimizer.")
    elif rate is None or not np.isclose(rate, FINE_TUNE_RATE, rtol=1e-3):
        problems.append(
            f"The grader asked for learning_rate={FINE_TUNE_RATE:g}; the optimizer's learning "
            f"rate is {rate if rate is None else format(rate, 'g')}. Recompile with "
            "keras.optimizers.Adam(learning_rate=learning_rate)."
        )
    return problems
