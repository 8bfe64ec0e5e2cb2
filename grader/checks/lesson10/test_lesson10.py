"""Lesson 10 checks: convert, quantize and interpret TensorFlow Lite models.

Every flatbuffer learner code returns is examined in the clean room (the
scoring process only checks that it is bytes); ``tflite_predict`` is judged on
the grader's own models.  Thresholds come from the reference over many seeds
beside weak submissions; see docs/calibration.md, lesson 10.
"""

from __future__ import annotations

import numpy as np

from grader.checks.lesson10 import grader_models
from grader.checks.lesson10.conftest import PROBE_IMAGES, scaled
from grader.checks.lesson10.reading import (
    Converted,
    describe_ops,
    float_ends,
    kernel_problems,
    prediction_problem,
    predictions,
)
from grader.grading.spec import check
from grader.learner.cleanroom import CleanRoom
from grader.learner.outcomes import GraderFault
from grader.learner.session import Learner

# Calibrated (docs/calibration.md, lesson 10).
FLOAT_TOLERANCE = 1e-5
"""Largest difference allowed between the float model's outputs and the Keras model's."""
SIZE_RATIO = 0.35
"""The quantized model's size, at most, as a share of the float model's."""
AGREEMENT = 0.98
"""Share of the probe images whose class the quantized model must give as the Keras model."""
ACCURACY_GAP = 0.008
"""How much test accuracy the quantized model may lose against the Keras model (below
1 − AGREEMENT, so that disagreements that all cost accuracy fail it on their own)."""
PREDICT_IMAGES = 200
"""Test images tflite_predict runs through each of the grader's models."""


@check(
    points=3,
    hint=(
        "Make a converter from the Keras model and return what convert() gives; no "
        "optimizations for this one.",
        "converter = tf.lite.TFLiteConverter.from_keras_model(model); return "
        "converter.convert() — the flatbuffer, as bytes. Do not save a .keras file or "
        "quantize here.",
    ),
)
def test_convert(float_model: Converted, keras_outputs: np.ndarray, record_property) -> None:
    """convert gives a TensorFlow Lite model whose outputs are the Keras model's"""
    found = float_model.usable()
    difference = float(np.abs(found.outputs - keras_outputs).max())
    record_property("float_max_difference", difference)
    assert difference <= FLOAT_TOLERANCE, (
        f"On {PROBE_IMAGES} test images the TensorFlow Lite model's outputs should equal the "
        f"trained Keras model's to {FLOAT_TOLERANCE:g}; the largest difference is "
        f"{difference:.3g}. Convert the model you are given, as it is, without optimizations."
    )


@check(
    points=2,
    hint=(
        "Quantization stores each weight in one byte instead of four, so the file should be "
        "about a quarter of the float one.",
        "Set converter.optimizations = [tf.lite.Optimize.DEFAULT] before converter.convert().",
    ),
)
def test_quantized_size(
    quantized_model: Converted, float_model: Converted, record_property
) -> None:
    """convert_quantized makes the model at most 35 % of the float model's size"""
    small = quantized_model.usable()
    large = float_model.needed_by("compare sizes with")
    ratio = small.size / large.size
    record_property("size_ratio", ratio)
    assert ratio <= SIZE_RATIO, (
        f"The quantized model should be at most {SIZE_RATIO:.0%} of the float model's size; "
        f"it is {small.size:,} bytes against {large.size:,} ({ratio:.0%}). Did you set "
        "converter.optimizations = [tf.lite.Optimize.DEFAULT]?"
    )


@check(
    points=3,
    hint=(
        "Optimize.DEFAULT alone quantizes only the weights; the activations stay float. The "
        "converter needs example inputs to choose int8 ranges for them.",
        "Give converter.representative_dataset a generator function that yields "
        "[image[np.newaxis]] for each representative image, and set "
        "converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]. Leave "
        "inference_input_type and inference_output_type alone.",
    ),
)
def test_full_integer(quantized_model: Converted) -> None:
    """convert_quantized's convolutions and dense layers compute in int8, activations too"""
    found = quantized_model.usable()
    kernels = [op for op in found.ops if op.get("op") in ("CONV_2D", "FULLY_CONNECTED")]
    assert kernels, (
        f"Expected the model's CONV_2D and FULLY_CONNECTED operations; found only "
        f"{describe_ops(found)}. Convert the Keras model you are given."
    )
    problems = kernel_problems(found)
    assert not problems, (
        "With full integer quantization every convolution and dense operation takes int8 "
        "activations and int8 weights and gives int8; here "
        + "; ".join(problems)
        + ". Float activations mean dynamic-range quantization: give the converter a "
        "representative_dataset and supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]."
    )
    ends = float_ends(found)
    assert not ends, (
        "The quantized model should keep float32 input and output, as the docstring says; "
        + ", ".join(ends)
        + ". Do not set inference_input_type or inference_output_type."
    )


@check(
    points=3,
    hint=(
        "The representative images must look like the model's real inputs: float32 in [0, 1], "
        "one batch of one image per step, from the model you were given after training.",
        "def representative_dataset(): for image in representative_images: yield "
        "[image[np.newaxis].astype(np.float32)] — no rescaling; convert the trained model "
        "passed in, not a new one.",
    ),
)
def test_quantized_agreement(
    quantized_model: Converted, keras_outputs: np.ndarray, fashion, record_property
) -> None:
    """the quantized model predicts the Keras model's classes, and nearly as accurately"""
    found = quantized_model.usable()
    labels = fashion.test.labels[:PROBE_IMAGES]
    ours, theirs = np.argmax(found.outputs, axis=1), np.argmax(keras_outputs, axis=1)
    agreement = float(np.mean(ours == theirs))
    gap = float(np.mean(theirs == labels) - np.mean(ours == labels))
    record_property("agreement", agreement)
    record_property("accuracy_gap", gap)
    assert agreement >= AGREEMENT, (
        f"The quantized model should give the Keras model's class on at least {AGREEMENT:.0%} "
        f"of {PROBE_IMAGES} test images; it agrees on {agreement:.1%}. Int8 ranges come from "
        "the representative images: give them as they are (float32 in [0, 1])."
    )
    assert gap <= ACCURACY_GAP + 1e-9, (
        f"The quantized model's test accuracy on {PROBE_IMAGES} images should be at most "
        f"{ACCURACY_GAP:.1%} below the Keras model's; it is {gap:.1%} lower: the images on "
        "which it disagrees are mostly ones the Keras model got right."
    )


@check(
    points=3,
    hint=(
        "Run the model you are given: allocate its tensors, then per image set the input, "
        "invoke, and only then read the output.",
        "interpreter = Interpreter(model_content=model_bytes); interpreter.allocate_tensors(); "
        "for each image: interpreter.set_tensor(input_index, image[np.newaxis]); "
        "interpreter.invoke(); outputs.append(interpreter.get_tensor(output_index)[0]).",
    ),
)
def test_tflite_predict(learner: Learner, cleanroom: CleanRoom, fashion) -> None:
    """tflite_predict runs any TensorFlow Lite model on every image"""
    images = scaled(fashion.test.images[-PREDICT_IMAGES:])
    for name in ("float", "int8"):
        content = grader_models.model_bytes(name)
        expected = cleanroom.inspect_tflite(content, images)
        if expected.problem is not None:
            raise GraderFault(f"the grader's {name} model did not run: {expected.problem}")
        model = learner.run("bytes_object", data=np.frombuffer(content, dtype=np.uint8))
        found = predictions(learner.call("tflite_predict", model.ref, images), len(images))
        problem = prediction_problem(found, expected.outputs, FLOAT_TOLERANCE)
        assert problem is None, (
            f"tflite_predict on {grader_models.MODELS[name].what} (not your model) should give "
            f"the interpreter's outputs; {problem}"
        )
