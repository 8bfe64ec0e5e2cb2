"""Operations on a learner's model or layer: describe it, call it, read its loss."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.learner.describe import describe, numeric_array
from grader.learner.ops import operation, read_array, read_number


@operation("describe", "describe", described=True)
def describe_object(child: Any, obj: Any) -> Any:
    """Plain data about a learner object now (e.g. a model after training)."""
    return describe(obj, child.store)


@operation("compute_loss", "the loss", read=read_number)
def compute_loss(child: Any, model: Any, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """The compiled loss for these targets and predictions."""
    return float(np.asarray(model.compute_loss(x=None, y=y_true, y_pred=y_pred)))


@operation("make_model", "the grader's model", described=True)
def make_model(child: Any, config: str, weights: list[np.ndarray]) -> Any:
    """A model of the grader's own making (from its Keras JSON and weights)."""
    import keras

    model = keras.models.model_from_json(config)
    model.set_weights(weights)
    return describe(model, child.store)


@operation("model_output", "the model's predict", read=read_array)
def model_output(child: Any, model: Any, x: np.ndarray) -> Any:
    """``model.predict(x)``."""
    return numeric_array(model.predict(x, verbose=0))


@operation("call_model", "calling the model", read=read_array)
def call_model(child: Any, model: Any, x: np.ndarray, training: bool = False) -> Any:
    """``model(x, training=training)`` for a model or a layer (e.g. an augmenter, Dropout)."""
    return numeric_array(np.asarray(model(x, training=bool(training))))


def _find_layer(model: Any, layer: int | str) -> Any:
    if isinstance(layer, str):
        return model.get_layer(layer)
    layers = [each for each in model.layers if type(each).__name__ != "InputLayer"]
    return layers[int(layer)]


@operation("layer_output", "a layer's output", read=read_array)
def layer_output(child: Any, model: Any, layer: int | str, x: np.ndarray) -> Any:
    """The output of one layer (an index without the input layer, or a name) for inputs ``x``:
    a sub-model from the model's inputs to that layer, or the layers applied in turn."""
    import keras

    target = _find_layer(model, layer)
    try:
        sub = keras.Model(model.inputs, target.output)
    except (AttributeError, ValueError):
        sub = None
    if sub is not None:
        return numeric_array(sub.predict(x, verbose=0))
    value = x
    for each in [each for each in model.layers if type(each).__name__ != "InputLayer"]:
        value = each(value, training=False)
        if each is target:
            break
    return numeric_array(np.asarray(value))
