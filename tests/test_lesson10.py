"""Lesson 10: the reference passes every check; each wrong submission fails its own.

Each check's messages are first shown on clean-room findings made up here (no
TensorFlow, no learner process); then whole grading runs: the reference at the
full budget (shared with the goldens), the stubs, and two wrong submissions
from tests/cases/lesson10/ that train on 2,000 images only.  The other wrong
submissions there are graded by the goldens.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from grader.checks.lesson10 import grader_models, reading
from grader.checks.lesson10 import test_lesson10 as checks
from grader.learner.cleanroom import TfliteFile
from grader.learner.ops.blobs import Blob, blob
from grader.learner.outcomes import StepSkipped
from grader.results import RunResult, RunStatus, Status
from tests.conftest import CASE_RESULTS, ROOT, check, failure_message, grade_source
from tests.conftest import variant as replaced

CASES = ROOT / "tests" / "cases" / "lesson10"
REFERENCE = (ROOT / "solutions" / "lesson10.py").read_text(encoding="utf-8")
CHECKS = ("convert", "quantized_size", "full_integer", "quantized_agreement", "tflite_predict")
INT8 = {"op": "CONV_2D", "inputs": ["int8", "int8", "int32"], "outputs": ["int8"]}
DYNAMIC = {
    "op": "FULLY_CONNECTED",
    "inputs": ["float32", "int8", "float32"],
    "outputs": ["float32"],
}
FLOAT_END = ({"dtype": "float32"},)


def found(outputs=None, size=1000, ops=(INT8,), ends=FLOAT_END) -> reading.Converted:
    file = TfliteFile(None, outputs=outputs, size=size, inputs=ends, output_details=ends, ops=ops)
    return reading.Converted("convert_quantized", size, None, file)


def failure(check_function, **arguments) -> str:
    with pytest.raises(AssertionError) as raised:
        check_function(**arguments)
    return str(raised.value)


def ignore(*_: object) -> None:
    """``record_property`` for checks called directly."""


def test_convert_fails_on_outputs_that_differ_from_the_keras_models() -> None:
    keras = np.random.default_rng(0).random((1000, 10)).astype(np.float32)
    assert checks.test_convert(found(keras + 5e-6), keras, ignore) is None
    text = failure(
        checks.test_convert,
        float_model=found(keras + 1e-3),
        keras_outputs=keras,
        record_property=ignore,
    )
    assert "equal the trained Keras model's to 1e-05; the largest difference is 0.001" in text


def test_answers_that_are_no_flatbuffer_fail_with_what_they_are() -> None:
    converted = reading.examine("convert", Blob("NoneType", "None", None, None), None, None)
    text = failure(converted.usable)
    assert "convert should return a TensorFlow Lite model" in text
    assert "but it returned NoneType (None), not bytes" in text
    assert (
        "empty bytes"
        in reading.examine("convert", Blob("bytes", "b''", 0, b""), None, None).problem
    )
    with pytest.raises(StepSkipped, match="convert gave no model to compare sizes with"):
        converted.needed_by("compare sizes with")
    assert blob("text")["data"] is None and blob(b"TFL3")["data"].tolist() == [84, 70, 76, 51]


def test_quantized_size_fails_above_35_percent() -> None:
    assert checks.test_quantized_size(found(size=350), found(size=1000), ignore) is None
    text = failure(
        checks.test_quantized_size,
        quantized_model=found(size=990),
        float_model=found(size=1000),
        record_property=ignore,
    )
    assert "at most 35% of the float model's size; it is 990 bytes against 1,000 (99%)" in text


def test_full_integer_tells_dynamic_range_and_int8_ends_apart() -> None:
    assert checks.test_full_integer(found()) is None
    text = failure(checks.test_full_integer, quantized_model=found(ops=(INT8, DYNAMIC)))
    assert "here FULLY_CONNECTED computes on float32 activations (its output: float32)." in text
    assert "dynamic-range quantization" in text
    int8_ends = ({"dtype": "int8"},)
    text = failure(checks.test_full_integer, quantized_model=found(ends=int8_ends))
    assert "keep float32 input and output" in text and "its input is int8" in text
    no_kernels = found(ops=({"op": "ADD", "inputs": [], "outputs": []},))
    assert "found only ADD" in failure(checks.test_full_integer, quantized_model=no_kernels)


def agreement_case(changed: int, right_before: bool) -> dict:
    """Keras right on the first 900 of 1000 images; the quantized model changes ``changed``
    classes, on images Keras got right (``right_before``) or wrong."""
    labels = np.arange(1000) % 10
    keras_classes = np.where(np.arange(1000) < 900, labels, (labels + 1) % 10)
    ours = keras_classes.copy()
    picked = np.arange(changed) if right_before else 900 + np.arange(changed)
    ours[picked] = (labels[picked] + 2) % 10
    return {
        "quantized_model": found(np.eye(10, dtype=np.float32)[ours]),
        "keras_outputs": np.eye(10, dtype=np.float32)[keras_classes],
        "fashion": SimpleNamespace(test=SimpleNamespace(labels=labels)),
        "record_property": ignore,
    }


def test_agreement_and_accuracy_gap_fail_on_their_own() -> None:
    assert checks.test_quantized_agreement(**agreement_case(8, right_before=True)) is None
    text = failure(checks.test_quantized_agreement, **agreement_case(30, right_before=False))
    assert "on at least 98% of 1000 test images; it agrees on 97.0%" in text
    text = failure(checks.test_quantized_agreement, **agreement_case(10, right_before=True))
    assert "at most 0.8% below the Keras model's; it is 1.0% lower" in text


def test_tflite_predict_messages_name_the_likely_mistake() -> None:
    rng = np.random.default_rng(1)
    expected = rng.normal(size=(200, 10)).astype(np.float32)
    assert reading.prediction_problem(expected + 1e-6, expected, 1e-5) is None
    stale = np.zeros_like(expected)
    assert "read before invoke()" in reading.prediction_problem(stale, expected, 1e-5)
    probabilities = np.exp(expected) / np.exp(expected).sum(axis=1, keepdims=True)
    text = reading.prediction_problem(probabilities, expected, 1e-5)
    assert "did not come from the model it was given" in text
    shifted = np.concatenate([stale[:1], expected[:-1]])
    assert "200 of 200 images got other outputs" in reading.prediction_problem(
        shifted, expected, 1e-5
    )
    value = SimpleNamespace(kind="array", array=expected[:, None, :], type_name="ndarray", info={})
    assert reading.predictions(value, 200).shape == (200, 10)
    value.array = expected[:50]
    text = failure(reading.predictions, value=value, count=200)
    assert "200 images should give shape (200, 10); found (50, 10)" in text


def test_the_graders_models_are_the_shipped_files() -> None:
    for name, model in grader_models.MODELS.items():
        content = grader_models.model_bytes(name)
        assert content[4:8] == b"TFL3"
        assert hashlib.sha256(content).hexdigest() == model.sha256


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson10")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert [c.id for c in reference.checks] == list(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED and reference.notes == ()
    assert check(reference, "convert").metrics["float_max_difference"] < 1e-5
    assert 0.2 < check(reference, "quantized_size").metrics["size_ratio"] < 0.3
    assert check(reference, "quantized_agreement").metrics["agreement"] >= 0.98


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson10")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED}
    assert "convert is not written yet" in (check(result, "convert").message or "")
    assert "tflite_predict is not written yet" in (check(result, "tflite_predict").message or "")


def case(tmp_path: Path, name: str) -> RunResult:
    """The golden case ``name``, graded once for the goldens and these tests."""
    return CASE_RESULTS.get("lesson10", name)


def message(result: RunResult, check_id: str) -> str:
    return failure_message(result, check_id, (Status.FAILED, Status.ERROR))


def test_bad_files_fail_their_checks_without_crashing_the_grader(tmp_path: Path) -> None:
    result = case(tmp_path, "bad_files")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert "but it returned empty bytes (b'')" in message(result, "convert")
    text = message(result, "quantized_size")
    assert "convert_quantized should return" in text and "could not run it" in text
    assert "Dimension mismatch" in message(result, "tflite_predict")


def test_dynamic_range_and_a_kept_keras_model_fail(tmp_path: Path) -> None:
    result = case(tmp_path, "dynamic_range_kept_model")
    for check_id in ("convert", "quantized_size", "quantized_agreement"):
        assert check(result, check_id).status is Status.PASSED, check(result, check_id)
    text = message(result, "full_integer")
    assert "here CONV_2D computes on float32 activations (its output: float32); " in text
    assert "did not come from the model it was given" in message(result, "tflite_predict")


OTHER_SPELLINGS = (
    (
        """    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    return converter.convert()""",
        """    import tempfile

    folder = tempfile.mkdtemp() + "/exported"
    model.export(folder)
    return tf.lite.TFLiteConverter.from_saved_model(folder).convert()""",
    ),
    (
        """        for image in representative_images:
            yield [image[np.newaxis].astype(np.float32)]""",
        """        images = tf.data.Dataset.from_tensor_slices(representative_images)
        for batch in images.batch(1).take(100):
            yield [batch]""",
    ),
    (
        """    interpreter = Interpreter(model_content=model_bytes)
    interpreter.allocate_tensors()
    input_index = interpreter.get_input_details()[0]["index"]
    output_index = interpreter.get_output_details()[0]["index"]
    outputs = []
    for image in images:
        interpreter.set_tensor(input_index, image[np.newaxis].astype(np.float32))
        interpreter.invoke()
        outputs.append(interpreter.get_tensor(output_index)[0].copy())
    return np.array(outputs)""",
        """    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    source = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(source["index"], [len(images), 28, 28, 1])
    interpreter.allocate_tensors()
    interpreter.set_tensor(source["index"], images)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])""",
    ),
)


@pytest.mark.slow
def test_other_spellings_pass_at_the_full_budget(tmp_path: Path) -> None:
    """A SavedModel export, a tf.data representative set, one resized batch through
    tf.lite.Interpreter."""
    source = replaced(*OTHER_SPELLINGS, reference=REFERENCE)
    result = grade_source(tmp_path, source, epochs=None, lesson="lesson10")
    assert [c.status for c in result.checks] == [Status.PASSED] * len(CHECKS), result.checks
