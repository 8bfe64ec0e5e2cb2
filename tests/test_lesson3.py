"""Lesson 3: the reference passes every check; each wrong submission fails its own.

The grader's numpy convolution and pooling are first compared with Keras's own
layers. Wrong submissions live in tests/cases/lesson3/ (they are goldens too)
and train for five batches only, so that each run costs a TensorFlow start and
a prediction; only the reference and lesson 2's dense network train for the
full budget.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.checking import messages
from grader.checks.lesson3 import computing
from grader.results import RunResult, RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, check, failure_message, grade_source
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson3.py").read_text(encoding="utf-8")
CASES = ROOT / "tests" / "cases" / "lesson3"
CHECKS = ("convolve", "max_pool", "architecture", "compiled", "accuracy", "feature_maps")


def graded(tmp_path: Path, source: str, epochs: int | None = None) -> RunResult:
    return grade_source(tmp_path, source, epochs=epochs, lesson="lesson3")


def case(tmp_path: Path, name: str) -> RunResult:
    """The golden case ``name``, graded once for the goldens and these tests."""
    return CASE_RESULTS.get("lesson3", name)


def test_the_graders_numpy_layers_agree_with_keras() -> None:
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(7, 9)), rng.normal(size=(5, 5))
    for padding, ours in (("same", computing.convolve), ("valid", computing.convolve_valid)):
        layer = keras.layers.Conv2D(1, 5, padding=padding, use_bias=False, dtype="float64")
        layer.build((1, 7, 9, 1))
        layer.set_weights([kernel[:, :, None, None]])
        theirs = np.asarray(layer(image[None, :, :, None]))[0, :, :, 0]
        assert np.allclose(theirs, ours(image, kernel), atol=1e-12)
    for size, stride in ((2, 2), (3, 2), (2, 1)):
        pooling = keras.layers.MaxPooling2D(size, stride, dtype="float64")
        theirs = np.asarray(pooling(image[None, :, :, None]))[0, :, :, 0]
        assert np.array_equal(theirs, computing.max_pool(image, size, stride))
    images, kernel, bias = (
        rng.normal(size=(2, 6, 5, 3)),
        rng.normal(size=(3, 3, 3, 4)),
        rng.normal(size=4),
    )
    layer = keras.layers.Conv2D(4, 3, padding="same", dtype="float64")
    layer.build((None, 6, 5, 3))
    layer.set_weights([kernel, bias])
    assert np.allclose(
        np.asarray(layer(images)), computing.conv_layer(images, kernel, bias, "same")
    )


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson3")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    assert 0.865 <= check(reference, "accuracy").metrics["test_accuracy"] <= 0.93
    assert check(reference, "architecture").metrics["parameters"] == 421_642


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson3")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}
    assert "convolve is not written yet" in (check(result, "convolve").message or "")


def test_a_flipped_kernel_and_other_mistakes_fail_their_checks(tmp_path: Path) -> None:
    result = case(tmp_path, "flipped_kernel")
    text = failure_message(result, "convolve")
    assert "flipped the kernel" in text and "should give [[2, 3, 0], [5, 6, 0], [8, 9, 0]]" in text
    text = failure_message(result, "max_pool")
    assert "moved its window by 1 pixel at a time; expected 2" in text
    assert "should give [[5, 7], [13, 15]]" in text
    assert failure_message(result, "architecture") == messages.SOFTMAX_TWICE
    text = failure_message(result, "compiled")
    assert (
        "Expected the Adam optimizer; found SGD." in text and "Expected an accuracy metric" in text
    )
    assert "Test accuracy is " in failure_message(result, "accuracy")
    assert "on the raw pixel values (0–255)" in failure_message(result, "feature_maps")


def test_valid_output_and_other_mistakes_fail_their_checks(tmp_path: Path) -> None:
    result = case(tmp_path, "valid_output")
    text = failure_message(result, "convolve")
    assert "returned shape (5, 7), the 'valid' output" in text and "not [[45]]" in text
    assert "returned shape (4, 5); expected (3, 4)" in failure_message(result, "max_pool")
    text = failure_message(result, "architecture")
    assert "The first convolution has padding='valid'; expected padding='same'" in text
    assert "The second convolution has padding='valid'" in text and "parameters" in text
    assert "train should return the History" in failure_message(result, "accuracy")
    assert "That is the model's output" in failure_message(result, "feature_maps")
    assert check(result, "compiled").status is Status.PASSED


def test_lesson_2s_dense_network_fails_architecture_and_accuracy(tmp_path: Path) -> None:
    result = case(tmp_path, "dense_network")
    text = failure_message(result, "architecture")
    assert "found flatten → dense → dense. There is no convolution" in text
    text = failure_message(result, "accuracy")
    assert "expected at least 86.5% after 1 epoch(s)" in text
    assert check(result, "accuracy").metrics["test_accuracy"] < 0.865
    for check_id in ("convolve", "max_pool", "compiled"):
        assert check(result, check_id).status is Status.PASSED


WRITTEN_DIFFERENTLY = (
    (
        """    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )""",
        """    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, padding="same", activation=tf.nn.relu)(inputs)
    x = layers.MaxPooling2D(pool_size=2)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(pool_size=2)(x)
    x = layers.Dense(128, activation="relu")(layers.Flatten()(x))
    model = tf.keras.Model(inputs, layers.Dense(10)(x))""",
    ),
    (
        'loss="sparse_categorical_crossentropy", metrics=["accuracy"]',
        "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
        "        metrics=[keras.metrics.SparseCategoricalAccuracy()],",
    ),
    (
        "images = tf.cast(images, tf.float32) / 255.0",
        "images = tf.image.convert_image_dtype(images, tf.float32)",
    ),
    (
        "    for row in range(height):\n        for col in range(width):\n"
        "            output[row, col] = "
        "np.sum(padded[row : row + k, col : col + k] * kernel)\n",
        "    windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k))\n"
        "    output = np.einsum('ijab,ab->ij', windows.astype(np.float32), kernel)\n",
    ),
    ("epochs=epochs, verbose=0", "epochs=epochs, steps_per_epoch=5, verbose=0"),
)
"""tf.keras's functional API, logits, convert_image_dtype, vectorised numpy."""


def test_the_cnn_written_differently_passes(tmp_path: Path) -> None:
    """tf.keras's functional API, logits, convert_image_dtype, vectorised numpy."""
    source = replaced(*WRITTEN_DIFFERENTLY, reference=REFERENCE)
    result = graded(tmp_path, source)
    for check_id in ("convolve", "max_pool", "architecture", "compiled", "feature_maps"):
        assert check(result, check_id).status is Status.PASSED, check(result, check_id)
    assert "Test accuracy is " in failure_message(result, "accuracy")
