"""Lesson 1 checks: the Celsius to Fahrenheit model.

Thresholds come from running the reference solution over many seeds; see
docs/calibration.md for the figures and the command that produced them.
"""

from __future__ import annotations

import math

import numpy as np

from grader.checking import StepSkipped, check
from grader.checks.lesson1.conftest import CELSIUS, FAHRENHEIT
from grader.grading.figures import line_fit, record_figure
from grader.grading.model import ModelInfo
from grader.grading.plugin import GradingContext
from grader.learner.session import Learner, Value

# Calibrated tolerances (docs/calibration.md).
WEIGHT_TOLERANCE = 0.06
BIAS_TOLERANCE = 5.0
BOILING_TOLERANCE = 2.0
LOSS_FALL = 0.05

# The loss probe: mean squared error of predictions [1, 3] for targets [0, 0] is 5.
PROBE_TARGETS = np.zeros((2, 1))
PROBE_PREDICTIONS = np.array([[1.0], [3.0]])
PROBE_MSE = 5.0

# A single neuron of the grader's own, whose weights the grader sets.
NEURON_JSON = (
    '{"module": "keras", "class_name": "Sequential", "config": {"name": "grader_neuron", '
    '"layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": '
    '{"batch_shape": [null, 1], "dtype": "float32", "name": "celsius"}}, '
    '{"module": "keras.layers", "class_name": "Dense", "config": {"name": "neuron", "units": 1}}]}}'
)

RETURNED_NONE = "build_model returned None. Did you forget `return model` at the end?"
NOT_COMPILED = (
    "The model is not compiled. Call model.compile(loss=..., optimizer=...) in build_model "
    "before returning it."
)
NOT_A_SINGLE_NEURON = (
    "skipped: the model is not one Dense layer of one unit, so it has no single w and b "
    "to compare (see the architecture check)."
)


def predictions(value: Value, count: int) -> np.ndarray:
    """The learner's predictions as a flat float array, or a failed check saying why not."""
    assert value.kind != "none", "predict returned None. Return the model's predictions."
    assert value.kind != "tensor", (
        "predict returned a TensorFlow tensor; return a numpy array "
        "(model.predict gives one, or call .numpy() on the tensor)."
    )
    assert value.kind == "array", (
        f"predict should return a numpy array; it returned {value.type_name}."
    )
    array = value.array
    assert array is not None, (
        f"predict returned an array of {value.info.get('repr')}; expected numbers."
    )
    assert array.shape in ((count,), (count, 1)), (
        f"Expected one prediction per input: {count} inputs gave an array of shape {array.shape}."
    )
    return array.astype(float).reshape(count)


def single_neuron(model: ModelInfo) -> tuple[float, float]:
    """The trained w and b of a one-neuron model."""
    layers = model.layers
    if len(layers) != 1 or not layers[0].is_a("Dense") or layers[0].units != 1:
        raise StepSkipped(NOT_A_SINGLE_NEURON)
    weights = layers[0].weights
    kernel = weights[0] if weights else np.zeros(0)
    bias = weights[1] if len(weights) > 1 else np.zeros(1)
    if kernel.size != 1 or bias.size != 1:
        raise StepSkipped(NOT_A_SINGLE_NEURON)
    return float(kernel.item()), float(bias.item())


@check(
    points=1,
    hint=(
        "build_model must end by returning the model it built and compiled.",
        "compile() changes the model in place and gives back None, so returning what compile() "
        "returns gives None. End build_model with a return of the model variable itself.",
    ),
)
def test_returns_a_model(built: Value) -> None:
    """build_model returns a Keras model"""
    assert built.kind != "none", RETURNED_NONE
    assert built.kind == "keras_model", (
        f"build_model should return a Keras model; it returned {built.type_name} "
        f"({built.info.get('repr')})."
    )


@check(
    points=2,
    hint=(
        "One neuron is one Dense layer with units=1. Tell the model its input is a single "
        "value with input_shape=[1] or keras.Input(shape=(1,)).",
        "Call model.summary() in your file: a single neuron shows one Dense layer with output "
        "shape (None, 1) and 2 parameters (w and b). More rows, more units or an activation "
        "mean something extra is in the list of layers you give Sequential.",
    ),
)
def test_architecture(model: ModelInfo) -> None:
    """The model is one Dense layer with one unit on one input value"""
    found = model.summary()
    assert len(model.layers) == 1 and model.layers[0].is_a("Dense"), (
        f"Expected exactly one Dense layer; found {found}. "
        "The course's model is a single neuron: F = w·C + b."
    )
    layer = model.layers[0]
    assert layer.units == 1, f"Expected the Dense layer to have 1 unit; found {layer.units} units."
    assert layer.activation == "linear", (
        f"Expected no activation on the neuron; found {layer.activation}. "
        "F = w·C + b is a straight line, which a single neuron without activation computes."
    )
    if model.input_shapes is not None:
        shapes = [list(shape[1:]) for shape in model.input_shapes]
        assert shapes == [[1]], (
            f"Expected the model to take one input value (input_shape=[1]); it takes {shapes}."
        )


@check(
    points=2,
    hint=(
        "Give compile() both a loss and an optimizer. The string 'adam' gives Adam its default "
        "learning rate (0.001); create the optimizer yourself to choose another.",
        "The loss is named in build_model's docstring: pass that string as loss=. For the "
        "optimizer, make an instance of the Adam class in keras.optimizers and give it the "
        "lesson's learning rate as the keyword learning_rate.",
    ),
)
def test_compiled(model: ModelInfo, learner: Learner, record_property) -> None:
    """The model is compiled with mean squared error and Adam at learning rate 0.1"""
    assert model.compiled, NOT_COMPILED
    problems = []
    loss = learner.compute_loss(model.ref, PROBE_TARGETS, PROBE_PREDICTIONS)
    record_property("probe_loss", loss)
    if not math.isclose(loss, PROBE_MSE, rel_tol=1e-4):
        problems.append(
            f"Expected mean squared error as the loss; found {model.loss_name}, which for "
            f"predictions [1, 3] against targets [0, 0] gives {loss:g} "
            "(mean squared error gives 5)."
        )
    optimizer = model.optimizer
    rate = optimizer.learning_rate if optimizer else None
    if optimizer is None or not optimizer.is_a("Adam"):
        found = optimizer.class_name if optimizer else "none"
        problems.append(f"Expected the Adam optimizer; found {found}.")
    elif rate is None:
        problems.append("Expected a constant learning rate of 0.1; found a schedule.")
    elif not math.isclose(rate, 0.1, rel_tol=1e-6):
        default = " (Adam's default)" if math.isclose(rate, 0.001) else ""
        problems.append(f"Expected Adam with learning rate 0.1; found {rate:g}{default}.")
    assert not problems, " ".join(problems)


@check(
    points=1,
    hint=(
        "Return the object that model.fit gives back, and pass the epochs you were given on "
        "to fit.",
        "In train, keep fit's return value in a variable (it is a History) and return that. "
        "fit takes the inputs first, then the targets, then epochs=: use the train's own "
        "epochs parameter there rather than a number of your own.",
    ),
)
def test_training(training, grading: GradingContext, record_property) -> None:
    """train fits for the requested epochs, returns the History, and the loss falls"""
    history = training.history
    assert history.kind != "none", (
        "train returned None. Return the History that model.fit gives back."
    )
    assert history.kind == "history", (
        f"train should return the History from model.fit; it returned {history.type_name}."
    )
    losses = history.info.get("history", {}).get("loss")
    assert isinstance(losses, list) and losses, "The History records no loss: was the model fit?"
    assert len(losses) == grading.epochs, (
        f"The grader asked train for {grading.epochs} epochs; the History has {len(losses)} "
        "loss values. Pass epochs=epochs on to model.fit."
    )
    first, last = float(losses[0]), float(losses[-1])
    assert math.isfinite(last), f"The loss ended as {last}: training diverged."
    record_property("loss_ratio", last / first)
    assert last <= LOSS_FALL * first, (
        f"The loss fell only from {first:.1f} to {last:.1f} ({last / first:.0%} of where it "
        f"started); expected it below {LOSS_FALL:.0%}. Check the learning rate and what you "
        "pass to fit."
    )


@check(
    points=2,
    hint=(
        "The features are the Celsius values and the labels the Fahrenheit values. Run the "
        "script part of your file and print model.layers[0].get_weights() to see what it learns.",
        "If w and b are far from 1.8 and 32, check three things in turn: fit gets the Celsius "
        "values as x and the Fahrenheit values as y (not swapped); the optimizer's learning "
        "rate is 0.1; and train passes on all the epochs it is given.",
    ),
)
def test_learned_weights(training, record_property, request) -> None:
    """The trained neuron has learned to multiply by about 1.8 and add about 32"""
    w, b = single_neuron(training.model)
    learned = {f"model: {w:.2f}·C + {b:.1f}": w * CELSIUS + b}
    line = line_fit("The learned line over the seven examples", CELSIUS, FAHRENHEIT, learned)
    record_figure(request, line)
    record_property("w", w)
    record_property("b", b)
    assert abs(w - 1.8) <= WEIGHT_TOLERANCE and abs(b - 32) <= BIAS_TOLERANCE, (
        f"Expected w ≈ 1.8 (± {WEIGHT_TOLERANCE:g}) and b ≈ 32 (± {BIAS_TOLERANCE:g}); the model "
        f"learned w = {w:.3f}, b = {b:.2f}."
    )


@check(
    points=1,
    hint=(
        "Ask the model for its predictions on the values you are given. Keras 3 wants a "
        "numpy array there, not a list.",
        "Turn the input into a numpy array (np.asarray) before handing it to the model, and "
        "return what the model gives back as it is: it already has one row per input value.",
    ),
)
def test_predicts_boiling_point(training, learner: Learner, record_property) -> None:
    """predict turns 100 °C into about 212 °F, one prediction per input"""
    celsius = np.array([100.0, -40.0, 37.0])
    boiling = predictions(learner.call("predict", training.model.ref, celsius), len(celsius))[0]
    record_property("predict_100", float(boiling))
    assert abs(boiling - 212) <= BOILING_TOLERANCE, (
        f"predict gave {boiling:.1f} °F for 100 °C; expected 212 ± {BOILING_TOLERANCE:g}."
    )


@check(
    points=1,
    hint=(
        "Whatever weights the model has, predict should return what the model says, "
        "not a formula of your own.",
        "Take every 1.8 and 32 out of predict. The grader hands predict a model whose weights "
        "it chose itself; only the model's own prediction method, called on the values "
        "predict receives, gives the numbers it expects.",
    ),
)
def test_predict_uses_the_model(learner: Learner, grading: GradingContext) -> None:
    """predict asks the model for its answer instead of computing the formula itself"""
    rng = np.random.default_rng(grading.seed)
    w, b = round(float(rng.uniform(-3.0, -0.5)), 2), round(float(rng.uniform(-20.0, 10.0)), 2)
    neuron = learner.make_model(NEURON_JSON, [np.array([[w]]), np.array([b])])
    celsius = np.array([[-12.5], [0.0], [7.25], [41.0]])
    found = predictions(learner.call("predict", neuron.ref, celsius), len(celsius))
    expected = w * celsius.ravel() + b
    formula = np.allclose(found, 1.8 * celsius.ravel() + 32, atol=0.5)
    assert np.allclose(found, expected, rtol=1e-4, atol=1e-3), (
        f"With a model whose weights the grader set to w = {w}, b = {b}, predict should return "
        f"{np.round(expected, 2).tolist()}; it returned {np.round(found, 2).tolist()}."
        + (" That is 1.8·C + 32 whatever the model: ask the model instead." if formula else "")
    )
