"""Lesson 5: the shipped base, the new task, and both sides of every check.

The reference trains at the full budget once (shared with its golden); wrong
submissions live in tests/cases/lesson5/ (goldens too) and train for 5 epochs,
so each costs a TensorFlow start, a short fit and two predictions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.checks.lesson5 import build_base, transfer
from grader.checks.lesson5.test_lesson5 import ACCURACY_THRESHOLD, UNSCALED
from grader.datasets import DataCorrupt, base_network, fashion_mnist
from grader.results import RunResult, RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, check, failure_message, grade_source, passed
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson5.py").read_text(encoding="utf-8")
CASES = ROOT / "tests" / "cases" / "lesson5"
CHECKS = ("frozen", "head", "rescaling", "transfer", "fine_tuning")
SMALL = 5


def case(tmp_path: Path, name: str) -> RunResult:
    """The golden case ``name`` (its case.json budget: SMALL epochs), graded once for the
    goldens and these tests."""
    return CASE_RESULTS.get("lesson5", name)


def test_the_shipped_base_is_checked_small_and_gives_128_features() -> None:
    assert base_network.BASE_FILE.stat().st_size <= 2 * 1024 * 1024
    base = base_network.load_feature_extractor()
    assert base.output.shape[-1] == base_network.FEATURE_SIZE
    assert [layer.name for layer in base.layers][-1] == base_network.FEATURES
    images = fashion_mnist().test.images[:4].astype(np.float32) / 255.0
    assert np.asarray(base(images)).shape == (4, 128)


def test_a_changed_base_file_is_a_grader_fault(monkeypatch, tmp_path: Path) -> None:
    changed = tmp_path / "base.keras"
    changed.write_bytes(base_network.BASE_FILE.read_bytes()[:-1])
    monkeypatch.setattr(base_network, "BASE_FILE", changed)
    with pytest.raises(DataCorrupt, match=r"rebuild it: python -m grader.checks.lesson5"):
        base_network.base_bytes()


def test_the_learner_side_load_refuses_other_bytes() -> None:
    from grader.learner.ops.files import load_keras_bytes

    with pytest.raises(ValueError, match="SHA-256"):
        load_keras_bytes(b"not a model", base_network.BASE_SHA256)


def test_the_base_recipe_still_trains_at_a_tiny_budget(tmp_path: Path) -> None:
    """Not byte equality: the rebuilt file loads, cuts at features and beats chance."""
    out = tmp_path / "base.keras"
    digest, accuracy = build_base.build(out, epochs=1, images=2000)
    assert len(digest) == 64 and out.stat().st_size <= 2 * 1024 * 1024
    assert accuracy > 0.5
    from grader.learner.ops.files import load_keras_bytes

    base = load_keras_bytes(out.read_bytes(), digest, base_network.FEATURES)
    assert base.output.shape[-1] == 128


def test_the_task_draws_ten_unseen_images_per_group() -> None:
    fashion = fashion_mnist()
    task = base_network.transfer_task(fashion)
    assert np.array_equal(np.bincount(task.labels, minlength=4), [10, 10, 10, 10])
    unseen = fashion.train.images[base_network.TRAINING_IMAGES :].reshape(10_000, -1)
    rows = {row.tobytes() for row in unseen}
    assert all(image.reshape(-1).tobytes() in rows for image in task.images)
    again = base_network.transfer_task(fashion)
    assert np.array_equal(task.images, again.images)
    assert len(task.test_groups) == 10_000
    assert np.array_equal(np.unique(base_network.groups(np.arange(10))), [0, 1, 2, 3])


def test_the_grader_reads_a_head_from_weights() -> None:
    kernel, bias = np.ones((128, 4)), np.arange(4.0)
    layers = [{"weights": [np.ones((3, 3, 1, 32)), np.ones(32)]}, {"weights": [kernel, bias]}]
    head = transfer.head_weights(layers)
    assert head is not None
    logits = transfer.head_outputs(np.zeros((2, 128)), head)
    assert transfer.matches(logits, logits) and not transfer.matches(logits + 1.0, logits)


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson5")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    assert check(reference, "transfer").metrics["test_accuracy"] >= ACCURACY_THRESHOLD
    assert check(reference, "frozen").metrics["trainable_parameters"] == 516


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson5")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}
    assert "build_model is not written yet" in (check(result, "frozen").message or "")


def test_a_trainable_base_fails_frozen(tmp_path: Path) -> None:
    result = case(tmp_path, "base_trainable")
    text = failure_message(result, "frozen")
    assert "Only the head's 516 parameters" in text and "found 420,868 trainable" in text
    assert "Training changed the base's weights (conv2d_2, conv2d_3, features)" in text
    passed(result, "head", "rescaling", "fine_tuning")


def test_a_head_of_ten_units_fails_head(tmp_path: Path) -> None:
    result = case(tmp_path, "wrong_head")
    text = failure_message(result, "head")
    assert "Expected the head to have 4 units, one per group" in text and "Dense(10" in text
    assert "found 1,290 trainable parameters" in failure_message(result, "frozen")
    passed(result, "rescaling")


def test_raw_pixels_into_the_base_fail_rescaling(tmp_path: Path) -> None:
    result = case(tmp_path, "no_rescaling")
    assert failure_message(result, "rescaling") == UNSCALED
    passed(result, "frozen", "head", "fine_tuning")


def test_fine_tuning_at_the_default_rate_fails_fine_tuning(tmp_path: Path) -> None:
    result = case(tmp_path, "default_rate")
    text = failure_message(result, "fine_tuning")
    assert "The grader asked for learning_rate=2e-05; the optimizer's learning rate is 0.001" in (
        text
    )
    passed(result, "frozen", "head", "rescaling")


WRITTEN_DIFFERENTLY = (
    (
        """    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Rescaling(1.0 / 255)(inputs)
    x = base(x, training=False)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)""",
        """    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28, 1)),
            tf.keras.layers.Rescaling(scale=1 / 255.0),
            base,
            tf.keras.layers.Dense(num_classes),
        ]
    )""",
    ),
    (
        'loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
        "loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
        '        metrics=["accuracy"],\n    )',
    ),
    (
        """    with_weights = [layer for layer in base.layers if layer.weights]
    for layer in base.layers:
        layer.trainable = layer in with_weights[-layers:]""",
        """    indices = [i for i, layer in enumerate(base.layers) if layer.weights]
    for layer in base.layers[: indices[-layers]]:
        layer.trainable = False""",
    ),
    (
        '        loss="sparse_categorical_crossentropy",\n',
        "        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n",
    ),
    ("epochs=epochs, verbose=0", "epochs=epochs, batch_size=8, verbose=0"),
    ("import keras\n", "import keras\nimport tensorflow as tf\n"),
)
"""The reference written differently, as (old, new) replacements."""


def test_the_model_written_differently_passes(tmp_path: Path) -> None:
    """Sequential around the base, logits with from_logits=True, tf.keras, an index-based
    unfreeze, batch size 8: every check but the accuracy (a small budget) passes."""
    source = replaced(*WRITTEN_DIFFERENTLY, reference=REFERENCE)
    result = grade_source(tmp_path, source, epochs=SMALL, lesson="lesson5")
    passed(result, "frozen", "head", "rescaling", "fine_tuning")
