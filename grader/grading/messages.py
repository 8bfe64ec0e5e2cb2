"""Messages that several lessons' checks share, written once.

Tests import these constants instead of copying their text.
"""

NOT_COMPILED = (
    "The model is not compiled. Call model.compile(optimizer=..., loss=..., metrics=[...]) "
    "in build_model before returning it."
)
SOFTMAX_TWICE = (
    "The last layer applies softmax, so the model outputs probabilities, but the loss has "
    "from_logits=True and applies softmax to them a second time: the loss is computed on the "
    "wrong numbers and training suffers. Keep softmax and drop from_logits=True, or drop the "
    "softmax and keep from_logits=True."
)
LOGITS_AS_PROBABILITIES = (
    "The last layer has no softmax, so the model outputs raw scores (logits), but the loss "
    "expects probabilities (from_logits=False) and reads the scores as if they were "
    "probabilities. Add activation='softmax' to the last Dense layer, or give the loss "
    "from_logits=True."
)
NOT_A_MODEL = "skipped: build_model did not return a Keras model."
BAD_CLASS_IDS = "skipped: predict_classes did not return class ids (see the predict_classes check)."
ACCURACY_NAMES = frozenset({"accuracy", "acc", "sparse_categorical_accuracy", "binary_accuracy"})
ACCURACY_METRIC = "an accuracy metric (metrics=['accuracy'])"
"""What an accuracy check expects, for ``accuracy_problems(…, expected=ACCURACY_METRIC)``."""
"""Names under which Keras records accuracy, whichever way the learner asked for it."""


def not_a_history(function: str, type_name: str) -> str:
    """``train`` returned something other than the History ``fit`` gives."""
    return (
        f"{function} should return the History that model.fit gives; it returned {type_name}. "
        "Write return model.fit(...)."
    )
