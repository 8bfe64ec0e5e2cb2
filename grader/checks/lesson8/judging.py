"""Reading what lesson 8's learner functions return: the model's layers, probabilities and
the embedding matrix."""

from __future__ import annotations

import numpy as np

from grader.checking import ModelInfo, Value

COURSE_MODEL = "Embedding → GlobalAveragePooling1D → Dense(6, relu) → Dense(1, sigmoid)"


def model_problem(model: ModelInfo) -> str | None:
    """What keeps ``model`` from being the course's model, in words; ``None`` when it is."""
    layers = model.folded()
    kinds = ["Embedding", "GlobalAveragePooling1D", "Dense", "Dense"]
    if len(layers) != len(kinds) or not all(
        layer.is_a(kind) for layer, kind in zip(layers, kinds, strict=True)
    ):
        advice = ""
        if any(layer.is_a("Flatten") for layer in layers):
            advice = (
                " Flatten keeps every position's vector (many more weights to learn); "
                "GlobalAveragePooling1D averages them into one."
            )
        return f"Expected {COURSE_MODEL}; found {model.summary()}.{advice}"
    hidden, output = layers[2], layers[3]
    if hidden.units != 6 or hidden.activation != "relu":
        return f"Expected Dense(6, relu) after the pooling; found {hidden}."
    if output.units != 1 or output.activation != "sigmoid":
        return (
            f"Expected Dense(1, sigmoid) last: one probability that the review is positive; "
            f"found {output}."
        )
    return None


def probabilities_of(value: Value, count: int) -> np.ndarray:
    """``predict_sentiment``'s answer as ``count`` probabilities, or a failed check."""
    array = value.array
    assert array is not None, (
        f"predict_sentiment should return a numpy array of probabilities; it returned "
        f"{value.type_name}."
    )
    assert array.size == count and array.ndim in (1, 2), (
        f"predict_sentiment should return one probability per text, shape ({count},); "
        f"it returned shape {array.shape}."
    )
    flat = array.reshape(count).astype(float)
    assert np.all(np.isfinite(flat)) and flat.min() >= 0 and flat.max() <= 1, (
        "predict_sentiment should return probabilities between 0 and 1; found values from "
        f"{np.nanmin(flat):.3g} to {np.nanmax(flat):.3g}."
    )
    return flat


def embedding_matrix(model: ModelInfo) -> np.ndarray | None:
    """The Embedding layer's weights (``None`` when the description left them out)."""
    for layer in model.layers:
        if layer.is_a("Embedding") and layer.weights:
            return np.asarray(layer.weights[0], dtype=float)
    return None


def words_of(text: str) -> list[str]:
    """``text`` as TextVectorization splits it by default: lower case, no punctuation."""
    return "".join(c for c in text.lower() if c.isalnum() or c.isspace()).split()
