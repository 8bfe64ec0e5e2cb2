"""Building a learner's model for a check: the call, a first forward pass on word ids (which
also builds a model made without an Input), and its description after it.  What goes wrong
becomes a failed check that says what happened, never an error of the grader."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checking import Learner, LearnerRaised, ModelInfo
from grader.checks.lesson9.judging import Want, architecture_problem, parameters

STACKED_ADVICE = (
    " A recurrent layer that feeds another must hand it one vector per word, not one per "
    "text: give the first Bidirectional(LSTM(…)) return_sequences=True."
)


def probe_ids(vocab_size: int, width: int, count: int = 4) -> np.ndarray:
    """A few rows of word ids (fixed, padding at the end of some), for a forward pass."""
    ids = np.random.default_rng(9).integers(2, vocab_size, size=(count, width))
    ids[1, width // 2 :] = 0
    return ids


def called(function: str, kwargs: dict[str, Any]) -> str:
    return f"{function}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def built_model(
    learner: Learner, function: str, width: int, **kwargs: Any
) -> tuple[ModelInfo, np.ndarray]:
    """``function(**kwargs)`` called, run on a few rows of ``width`` word ids, and described
    after: the model and its output on them."""
    advice = STACKED_ADVICE if kwargs.get("stacked") else ""
    try:
        value = learner.call(function, **kwargs)
    except LearnerRaised as raised:
        raise AssertionError(f"{raised.message.rstrip('.')}.{advice}") from None
    assert value.kind == "keras_model" and value.ref is not None, (
        f"{called(function, kwargs)} returned {value.type_name}, not a Keras model."
    )
    vocab_size = int(kwargs.get("vocab_size") or kwargs.get("total_words") or 2)
    ids = probe_ids(vocab_size, width)
    try:
        output = learner.run("call_model", model=value.ref, x=ids)
    except LearnerRaised as raised:
        raise AssertionError(
            f"The model {called(function, kwargs)} returned could not read {len(ids)} texts "
            f"of {width} word ids: {raised.message.rstrip('.')}.{advice}"
        ) from None
    assert output.ndim == 2 and output.shape[0] == len(ids), (
        f"Called on {len(ids)} texts, the model gave an output of shape {output.shape}; "
        f"expected one row per text, ({len(ids)}, …): the layer before the Dense layers must "
        "turn each text into one vector."
    )
    return ModelInfo.parse(learner.describe(value.ref)), output


def assert_model(model: ModelInfo, wanted: list[Want], expected_parameters: set[int]) -> int:
    """``model`` has the ``wanted`` layers and one of the parameter counts; returns its own."""
    problem = architecture_problem(model, wanted)
    assert problem is None, problem
    count = parameters(model)
    shown = " or ".join(f"{n:,}" for n in sorted(expected_parameters))
    assert count in expected_parameters, (
        f"The layers are right but the model has {count:,} parameters; expected {shown}. "
        "Look at the sizes you gave each layer."
    )
    return count
