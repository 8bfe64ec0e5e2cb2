"""Lesson 4: the reference passes every check; each wrong submission fails its own.

Wrong submissions live in tests/cases/lesson4/ (they are goldens too) and train
for one epoch, or six for the one whose point is the regularization margin; only
the reference trains for the full budget. The augmenter probes are tried here on
Keras's own random layers, alone and combined.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.checks.lesson4 import augmenting
from grader.datasets import Split
from grader.results import RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, check, failure_message, grade_source, passed
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson4.py").read_text(encoding="utf-8")
CHECKS = (
    "datasets",
    "augmenter",
    "model",
    "switches",
    "compiled",
    "overfitting",
    "regularization",
    "accuracy",
)
TRAINED = ("overfitting", "regularization", "accuracy")
"""The checks whose thresholds hold at the full budget only."""


def test_reference_passes_every_check_at_the_full_budget(reference_results) -> None:
    result = reference_results.get("lesson4")
    assert [c.id for c in result.checks] == list(CHECKS)
    assert [c.status for c in result.checks] == [Status.PASSED] * len(CHECKS)
    assert result.status is RunStatus.PASSED and result.notes == ()
    plain = check(result, "overfitting").metrics
    regularized = check(result, "regularization").metrics
    assert plain["plain_train"] > 0.93 and plain["plain_gap"] >= 0.08
    assert regularized["regularized_gap"] < plain["plain_gap"]
    assert 0.8 <= check(result, "accuracy").metrics["test_accuracy"] <= 0.9
    titles = [figure.title for figure in check(result, "regularization").figures]
    assert titles == ["Accuracy per epoch"]


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson4")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}
    assert "load_datasets is not written yet" in (check(result, "datasets").message or "")


def test_a_shuffled_validation_set_and_other_mistakes_fail_their_checks() -> None:
    result = CASE_RESULTS.get("lesson4", "shuffled_validation")
    assert "val_ds gives its images in a different order each time" in failure_message(
        result, "datasets"
    )
    assert "changed only" in failure_message(result, "augmenter")
    assert "A random flip alone changes about half" in failure_message(result, "augmenter")
    assert "The first convolution is given the raw pixel values (0–255)" in failure_message(
        result, "model"
    )
    assert "build_model() has Dropout(0.9); expected one Dropout(0.5)." in failure_message(
        result, "switches"
    )
    text = failure_message(result, "compiled")
    assert text == "Expected binary cross-entropy on the sigmoid's probabilities; found mse."
    assert "The History has no validation results" in failure_message(result, "overfitting")
    assert "Expected integer class ids; found float32" in failure_message(result, "accuracy")


def test_integer_labels_upside_down_flips_and_augmentation_at_inference_fail() -> None:
    result = CASE_RESULTS.get("lesson4", "inference_augmentation")
    text = failure_message(result, "datasets")
    assert "train_ds's labels have the shape [None]; expected [None, 1]" in text
    assert "None of 24 images that brighten from left to right came out flipped" in failure_message(
        result, "augmenter"
    )
    assert "different outputs for the same images at inference" in failure_message(
        result, "switches"
    )
    assert "found AlwaysOn() → Conv2D(32, 3×3, relu)" in failure_message(result, "model")
    passed(result, "compiled")  # logits with from_logits=True are right


def test_a_model_that_ignores_augment_and_dropout_fails_the_margin() -> None:
    result = CASE_RESULTS.get("lesson4", "no_regularization")
    text = failure_message(result, "switches")
    assert "build_model() has no augmenter (no random layers)" in text
    assert "no Dropout; expected one Dropout(0.5)" in text
    text = failure_message(result, "regularization")
    assert "Expected it at least 6.5 points smaller" in text
    metrics = check(result, "regularization").metrics
    assert metrics["gap_reduction"] < 0.065
    passed(result, "datasets", "augmenter", "model", "compiled")


WRITTEN_DIFFERENTLY = (
    (
        "    return train_ds, val_ds",
        "    autotune = tf.data.AUTOTUNE\n"
        "    train_ds = train_ds.cache().shuffle(1000).prefetch(autotune)\n"
        "    return train_ds, val_ds.cache().prefetch(autotune)",
    ),
    (
        'keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)',
        'tf.keras.layers.RandomFlip(mode="horizontal"), tf.keras.layers.RandomZoom(0.1), '
        "tf.keras.layers.RandomTranslation(0.1, 0.1)",
    ),
    ('keras.layers.Conv2D(32, 3, activation="relu")', "keras.layers.Conv2D(32, (3, 3))"),
    ("keras.layers.MaxPooling2D(),", "keras.layers.ReLU(), keras.layers.MaxPooling2D(),"),
    (
        'keras.layers.Dense(128, activation="relu")',
        "keras.layers.Dense(128, activation=tf.nn.relu)",
    ),
    ('keras.layers.Dense(1, activation="sigmoid")', "keras.layers.Dense(1)"),
    (
        'loss="binary_crossentropy", metrics=["accuracy"]',
        "loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),\n"
        "        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],",
    ),
    ("(probabilities[:, 0] > 0.5)", "(probabilities[:, 0] > 0.0)"),
    ("import keras\n", "import keras\nimport tensorflow as tf\n"),
)
"""tf.keras, cached, reshuffled and prefetched datasets (no class_names), a ReLU layer,
tf.nn.relu, another augmenter, logits with from_logits=True."""


def test_the_lesson_written_differently_passes(tmp_path: Path) -> None:
    result = grade_source(
        tmp_path, replaced(*WRITTEN_DIFFERENTLY, reference=REFERENCE), epochs=1, lesson="lesson4"
    )
    passed(result, *(c for c in CHECKS if c not in TRAINED))


def test_what_comes_back_wrong_fails_with_a_message_and_no_crash(tmp_path: Path) -> None:
    source = replaced(
        ("    return train_ds, val_ds", "    return None"),
        ("    return keras.Sequential(\n", '    return "flip"\n    keras.Sequential(\n'),
        reference=REFERENCE,
    )
    result = grade_source(tmp_path, source, epochs=1, lesson="lesson4")
    assert result.fault is None and result.status is RunStatus.FAILED
    assert "should return a pair (train_ds, val_ds); it returned NoneType" in failure_message(
        result, "datasets"
    )
    assert "make_augmenter should return a keras.Sequential" in failure_message(result, "augmenter")
    verdict = check(result, "model")  # build_model puts the string in its layers
    assert verdict.status is Status.ERROR and "build_model raised" in (verdict.message or "")
    for check_id in ("switches", "compiled", *TRAINED):
        assert check(result, check_id).status is Status.SKIPPED, check_id


def _ramps_batch() -> np.ndarray:
    rng = np.random.default_rng(0)
    real = rng.integers(0, 256, size=(64, 28, 28, 1), dtype=np.uint8)
    return augmenting.probes(Split(real, np.zeros(64, np.uint8)))


AUGMENTERS = [
    pytest.param(names, fragment, id="+".join(names))
    for names, fragment in (
        (("flip", "rotation"), None),
        (("flip", "zoom"), None),
        (("flip", "translation"), None),
        (("flip", "rotation", "zoom", "translation"), None),
        (("flip",), "changed only"),
        (("rotation",), "came out flipped"),
        (("flip_both", "rotation"), "upside down"),
    )
]


@pytest.mark.parametrize(("names", "fragment"), AUGMENTERS)
def test_the_augmenter_probes_tell_flips_from_turns_zooms_and_shifts(names, fragment) -> None:
    keras = pytest.importorskip("keras")
    layers = {
        "flip": lambda: keras.layers.RandomFlip("horizontal"),
        "flip_both": lambda: keras.layers.RandomFlip("horizontal_and_vertical"),
        "rotation": lambda: keras.layers.RandomRotation(0.1),
        "zoom": lambda: keras.layers.RandomZoom(0.1),
        "translation": lambda: keras.layers.RandomTranslation(0.1, 0.1),
    }
    before = _ramps_batch()
    for seed in range(3):
        keras.utils.set_random_seed(seed)
        augmenter = keras.Sequential([layers[name]() for name in names])
        after = np.asarray(augmenter(before, training=False))
        assert augmenting.inference_problem(before, after) is None
        problem = augmenting.training_problem(before, np.asarray(augmenter(before, training=True)))
        assert (problem is None) if fragment is None else (fragment in (problem or "")), problem
