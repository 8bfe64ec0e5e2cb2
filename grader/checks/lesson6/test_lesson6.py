"""Lesson 6 checks: saving and loading models.

Files the learner's functions write are opened only in the clean room (a
separate process of the grader's, Keras safe mode on); the checks compare the
plain data it returns with the learner's own model.  The tolerances are exact
up to float rounding; docs/calibration.md, lesson 6, shows the measured margins.
"""

from __future__ import annotations

import os

import numpy as np

from grader.checking import StepSkipped, check
from grader.checks.lesson6.conftest import (
    NOT_LOADED_STEP,
    NOT_SAVED_STEP,
    Exported,
    Images,
    Resumed,
    Saved,
)
from grader.checks.lesson6.files import where_it_went
from grader.checks.lesson6.judging import (
    assert_same_moments,
    compare,
    resumed_steps_advice,
    safe_mode_advice,
)
from grader.learner.outcomes import LearnerRaised
from grader.learner.session import Learner
from grader.learner.values import Value

MAX_KERAS_DIFFERENCE = 1e-6
"""Largest difference between predictions of a model and of its saved copy."""
MAX_SERVING_DIFFERENCE = 1e-5
"""Largest difference between the Keras model and its SavedModel's serving signature."""
VARIABLES_DELETED = (
    "The function load_for_serving returned fails when called: the object "
    "tf.saved_model.load gave was deleted with its variables once load_for_serving returned, "
    "because only its serve function was kept. Keep the loaded object alive: define a function "
    "inside load_for_serving that calls loaded.serve(images), and return that function."
)


@check(
    points=2,
    hint=(
        "The native Keras format is a single file whose name ends in .keras; it holds the "
        "architecture, the weights and the optimizer together.",
        "Call model.save(path) with exactly the path you are given — not save_weights, not a "
        "name of your own, not .h5.",
    ),
)
def test_save_model_writes_a_keras_archive(saved: Saved) -> None:
    """save_model writes the whole model to the .keras file it is given"""
    assert os.path.lexists(saved.path), (
        f"save_model was asked to write {saved.path.name} but wrote nothing at that path. "
        + where_it_went(saved.path, saved.home)
    )
    assert saved.file.entries, (
        f"The file save_model wrote at {saved.path.name} is not a native Keras archive: "
        f"{saved.file.problem}. Save the whole model with model.save(path)."
    )


@check(
    points=2,
    hint=(
        "The grader loads your file with safe mode on, as keras.models.load_model does by "
        "default; a Lambda layer holds Python code, which safe mode will not load.",
        "Build the model from Keras's own layers (Rescaling instead of a Lambda that scales).",
    ),
)
def test_the_file_loads_safely_with_the_same_predictions(saved: Saved, record_property) -> None:
    """the saved file loads with safe mode on and predicts what the model predicted"""
    if not saved.file.entries:
        raise StepSkipped(NOT_SAVED_STEP)
    assert saved.file.problem is None, (
        f"The grader could not load {saved.path.name}: {saved.file.problem}. "
        + safe_mode_advice(saved.file.problem)
    )
    difference = compare(
        saved.file.outputs, saved.outputs, f"the model loaded from {saved.path.name}"
    )
    record_property("keras_file_difference", difference)
    assert difference <= MAX_KERAS_DIFFERENCE, (
        f"The model loaded from {saved.path.name} predicts differently from the model that "
        f"was saved: largest difference {difference:.3g} on 500 test images (expected at most "
        f"{MAX_KERAS_DIFFERENCE:g}). Save the trained model itself, after training."
    )


@check(
    points=1,
    hint=(
        "keras.models.load_model(path) reads a .keras file back into a model.",
        "Return the model loaded from the path you are given, not one you built or kept.",
    ),
)
def test_load_model_gives_the_same_predictions(
    learner: Learner, saved: Saved, second: Saved, images: Images, record_property
) -> None:
    """load_model loads the file it is given and predicts what the saved model predicted"""
    if saved.file.problem is not None or second.file.problem is not None:
        raise StepSkipped(NOT_LOADED_STEP)
    largest = 0.0
    for one in (saved, second):
        loaded = learner.call("load_model", str(one.path))
        assert loaded.kind == "keras_model", (
            f"load_model should return a Keras model; it returned {loaded.type_name}."
        )
        outputs = learner.model_output(loaded.ref, images.probe)
        difference = compare(outputs, one.outputs, f"the model load_model('{one.path.name}') gave")
        largest = max(largest, difference)
        assert difference <= MAX_KERAS_DIFFERENCE, (
            f"load_model('{one.path.name}') predicts differently from the model saved there: "
            f"largest difference {difference:.3g} (expected at most {MAX_KERAS_DIFFERENCE:g}). "
            "Return keras.models.load_model(path): the model in that file."
        )
    record_property("load_model_difference", largest)


def resumed_model(resumed: Resumed, saved: Saved) -> None:
    assert resumed.value.kind == "keras_model", (
        f"resume_training should return the loaded Keras model; it returned "
        f"{resumed.value.type_name}."
    )
    assert saved.file.optimizer is not None, (
        f"The file {saved.path.name} holds no optimizer, so training cannot resume where it "
        "stopped. Save with model.save(path) (include_optimizer left at True)."
    )
    assert resumed.optimizer is not None, (
        "The model resume_training returned has no optimizer: it is not compiled. Load it with "
        "keras.models.load_model(path), which brings the compiled optimizer back."
    )


@check(
    points=2,
    hint=(
        "A .keras file keeps the optimizer with its state (Adam's step count and moment "
        "estimates); keras.models.load_model brings them back.",
        "Load the model from path and train it as it is. Calling compile again replaces the "
        "optimizer with a fresh one that starts from step 0.",
    ),
)
def test_resume_training_restores_the_optimizer(
    restored: Resumed, saved: Saved, second: Saved, record_property
) -> None:
    """resume_training brings the optimizer back as it was saved: its steps and its moments"""
    resumed_model(restored, saved)
    file, found = saved.file.optimizer, restored.optimizer
    assert found.iterations == file.iterations, (
        f"With epochs=0, the optimizer of the model resume_training returned had taken "
        f"{found.iterations} steps; the one saved in {saved.path.name} had taken "
        f"{file.iterations}. " + resumed_steps_advice(found, second)
    )
    assert_same_moments(found, file, record_property)
    difference = compare(restored.outputs, saved.file.outputs, "the resumed model")
    assert difference <= MAX_KERAS_DIFFERENCE, (
        f"With epochs=0, the model resume_training returned predicts differently from the "
        f"model in {saved.path.name} (largest difference {difference:.3g}): return the model "
        "loaded from path."
    )


@check(
    points=1,
    hint=(
        "Training a loaded model goes on from the saved optimizer's state.",
        "Call train(model, images, labels, epochs=epochs) on the loaded model and return it.",
    ),
)
def test_resume_training_continues_where_it_stopped(
    continued: Resumed, saved: Saved, images: Images
) -> None:
    """resume_training trains on from where the saved model stopped"""
    resumed_model(continued, saved)
    before, after = saved.file.optimizer.iterations, continued.optimizer.iterations
    assert before < after <= before + len(images.small), (
        f"After resume_training for one epoch on {len(images.small)} images, the optimizer "
        f"had taken {after} steps in all; expected the {before} steps of the saved model plus "
        f"the new ones. Train the loaded model without compiling it again."
    )
    difference = compare(continued.outputs, saved.file.outputs, "the resumed model")
    assert difference > 0.0, (
        "After resume_training for one epoch, the model predicts exactly as it did when "
        "saved: it did not train. Call train on the loaded model with the epochs given."
    )


@check(
    points=2,
    hint=(
        "A SavedModel is a folder with saved_model.pb and variables/, for TensorFlow Serving "
        "and TensorFlow Lite; model.export(directory) writes one with a serving signature.",
        "Call model.export(directory) with the directory you are given; model.save writes a "
        ".keras file, not a SavedModel.",
    ),
)
def test_export_for_serving_writes_a_savedmodel(
    exported: Exported, predictions: np.ndarray, record_property
) -> None:
    """export_for_serving writes a SavedModel whose serving signature predicts like the model"""
    name = exported.directory.name
    assert os.path.lexists(exported.directory), (
        f"export_for_serving was asked to write the folder {name} but wrote nothing there. "
        + where_it_went(exported.directory, exported.home)
    )
    assert exported.file.problem is None, (
        f"The folder export_for_serving wrote is not a SavedModel the grader can serve: "
        f"{exported.file.problem}. Use model.export(directory)."
    )
    difference = compare(exported.file.outputs, predictions, "the serving signature")
    record_property("savedmodel_difference", difference)
    assert difference <= MAX_SERVING_DIFFERENCE, (
        f"The SavedModel's serving signature predicts differently from your model: largest "
        f"difference {difference:.3g} (expected at most {MAX_SERVING_DIFFERENCE:g}). Export "
        "the trained model."
    )


@check(
    points=2,
    hint=(
        "tf.saved_model.load(directory) gives an object whose serve function predicts; "
        "keras.layers.TFSMLayer(directory, call_endpoint='serve') is a layer that does too.",
        "Keep the loaded object alive: define a function inside load_for_serving that calls "
        "loaded.serve(images), and return that function.",
    ),
)
def test_load_for_serving_gives_the_same_predictions(
    learner: Learner, serving: Value, predictions: np.ndarray, images: Images, record_property
) -> None:
    """load_for_serving returns a function that predicts what the exported model predicts"""
    loaded_object = "saved_model" in serving.type_name
    assert serving.info.get("callable") and serving.ref is not None, (
        f"load_for_serving should return a function that takes a batch of images; it "
        f"returned a {serving.type_name.rsplit('.', 1)[-1]}, which cannot be called"
        + (" (the object tf.saved_model.load gives: call its serve)." if loaded_object else ".")
    )
    try:
        outputs = learner.run(
            "call_returned", obj=serving.ref, x=images.probe, function="load_for_serving"
        )
    except LearnerRaised as raised:
        assert "have been deleted" not in raised.message, VARIABLES_DELETED
        raise
    difference = compare(outputs, predictions, "what load_for_serving's function returned")
    record_property("serving_difference", difference)
    assert difference <= MAX_SERVING_DIFFERENCE, (
        f"The function load_for_serving returned predicts differently from your model: "
        f"largest difference {difference:.3g} (expected at most {MAX_SERVING_DIFFERENCE:g})."
    )
    assert np.all(np.isfinite(outputs)), "The served predictions hold NaN or infinite values."
