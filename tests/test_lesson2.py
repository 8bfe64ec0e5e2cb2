"""Lesson 2: the reference passes every check; each wrong submission fails its own.

Every grading run costs a TensorFlow start and, past the stubs, a pass over the
60,000 training images; the wrong submissions are graded for one epoch (two
where the epoch count matters), and several independent mistakes share one run
when each fails a different check.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from grader import cli
from grader.datasets import fashion as data
from grader.results import RunResult, RunStatus, Status
from tests.conftest import ROOT, check, failure_message, grade_source
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson2.py").read_text(encoding="utf-8")
CHECKS = ("normalize", "make_dataset", "architecture", "compiled", "accuracy", "predict_classes")


def variant(*replacements: tuple[str, str]) -> str:
    """The lesson 2 reference with each ``(old, new)`` replaced once."""
    return replaced(*replacements, reference=REFERENCE)


def graded(tmp_path: Path, source: str, epochs: int | None = 1) -> RunResult:
    return grade_source(tmp_path, source, epochs=epochs, lesson="lesson2")


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson2")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    accuracy = check(reference, "accuracy").metrics["test_accuracy"]
    assert 0.86 <= accuracy <= 0.90
    assert check(reference, "architecture").metrics["parameters"] == 101_770


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson2")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}
    assert "normalize is not written yet" in (check(result, "normalize").message or "")


def test_consistent_logits_and_other_spellings_pass(tmp_path: Path) -> None:
    """Linear output with from_logits=True, tf.keras, a functional model, metric objects."""
    source = variant(
        (
            """    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )""",
            """    inputs = tf.keras.Input(shape=(28, 28, 1))
    flat = tf.keras.layers.Flatten()(inputs)
    hidden = tf.keras.layers.Dense(128, activation=tf.keras.activations.relu)(flat)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(10)(hidden))""",
        ),
        (
            """optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]""",
            """optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],""",
        ),
    )
    result = graded(tmp_path, source)
    for check_id in ("normalize", "make_dataset", "architecture", "compiled", "predict_classes"):
        assert check(result, check_id).status is Status.PASSED, check(result, check_id)
    assert any("budget reduced to 1 epoch (calibrated" in note for note in result.notes)


def test_softmax_twice_and_other_mistakes_fail_their_checks(tmp_path: Path) -> None:
    source = variant(
        ('loss="sparse_categorical_crossentropy", metrics=["accuracy"]', "loss=LOSS"),
        (
            "\n\ndef build_model",
            "\n\nLOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
            "\n\ndef build_model",
        ),
        (".map(normalize).cache()", ".map(normalize)"),
        (
            "dataset = dataset.shuffle(len(images))",
            "dataset = dataset.shuffle(len(images)).cache()",
        ),
        (
            "model.predict(normalize(images, None)[0], verbose=0)",
            "model.predict(images, verbose=0)",
        ),
    )
    result = graded(tmp_path, source)
    assert "applies softmax to them a second time" in failure_message(result, "architecture")
    assert "two passes gave the same order" in failure_message(result, "make_dataset")
    assert "Expected an accuracy metric" in failure_message(result, "compiled")
    assert "for only" in failure_message(result, "predict_classes")
    assert check(result, "normalize").status is Status.PASSED


def test_logits_read_as_probabilities_and_other_mistakes_fail(tmp_path: Path) -> None:
    source = variant(
        ('keras.layers.Dense(10, activation="softmax")', "keras.layers.Dense(10)"),
        ("dataset = dataset.shuffle(len(images))", "dataset = dataset  # not shuffled"),
        (
            "return np.argmax(probabilities, axis=1)",
            "return np.argmax(probabilities, axis=1) * 1.0",
        ),
        (
            "return model.fit(train_dataset, epochs=epochs, verbose=0)",
            "model.fit(train_dataset, epochs=epochs, verbose=0)",
        ),
    )
    result = graded(tmp_path, source)
    assert "outputs raw scores (logits)" in failure_message(result, "architecture")
    assert "gave the examples in their original order" in failure_message(result, "make_dataset")
    assert "Expected integer class ids" in failure_message(result, "predict_classes")
    assert "train should return the History" in failure_message(result, "accuracy")
    assert check(result, "compiled").status is Status.PASSED


def test_no_normalisation_and_ignored_epochs_fail(tmp_path: Path) -> None:
    source = variant(
        ("images = tf.cast(images, tf.float32) / 255.0", "images = tf.cast(images, tf.float32)"),
        ("epochs=epochs, verbose=0", "epochs=1, verbose=0"),
        ('keras.layers.Dense(128, activation="relu")', 'keras.layers.Dense(16, activation="relu")'),
        ('optimizer="adam"', 'optimizer="sgd"'),
    )
    result = graded(tmp_path, source, epochs=2)
    assert "expected pixel values in [0, 1]; found values from 0 to 255" in failure_message(
        result, "normalize"
    )
    assert "asked train for 2 epochs; it trained for 1" in failure_message(result, "accuracy")
    assert "Expected Flatten → Dense(128, relu) → Dense(10); found Flatten() → Dense(16, relu)" in (
        failure_message(result, "architecture")
    )
    assert "Expected the Adam optimizer; found SGD." in failure_message(result, "compiled")
    # predict_classes scales as the submission's own normalize does: not failed twice.
    assert check(result, "predict_classes").status is Status.PASSED


def test_low_accuracy_fails_at_the_full_budget(tmp_path: Path) -> None:
    """Five short epochs of ten batches each: the History is right, the model undertrained."""
    source = variant(("epochs=epochs, verbose=0", "epochs=epochs, steps_per_epoch=10, verbose=0"))
    result = graded(tmp_path, source, epochs=None)
    assert not any("budget" in note for note in result.notes), "graded at the full budget"
    text = failure_message(result, "accuracy")
    assert text.startswith("Test accuracy is ") and "expected at least 86% after 5 epochs" in text
    assert check(result, "accuracy").metrics["test_accuracy"] < 0.86


def corrupt_data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for file in data.FASHION_MNIST_FILES:
        source = data.DEBIAN_DIR / file.name
        (folder / file.name).write_bytes(source.read_bytes())
    images = folder / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:100_000])  # cut short
    return folder


@pytest.mark.skipif(not data.DEBIAN_DIR.is_dir(), reason="needs dataset-fashion-mnist")
def test_corrupt_data_is_a_grader_fault_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(corrupt_data_dir(tmp_path)))
    report = tmp_path / "result.json"
    console = Console(file=io.StringIO(), width=80, color_system=None)
    argv = ["lesson2", "--submission", str(ROOT / "exercises" / "lesson2.py"), "--no-cache"]
    code = cli.main([*argv, "--json", str(report)], console)
    written = json.loads(report.read_text())
    assert code == 2 and written["status"] == "error" and written["score"] == 0
    assert "t10k-images-idx3-ubyte.gz is damaged or cut short" in written["message"]
