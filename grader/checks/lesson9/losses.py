"""Which loss the learner's generator was compiled with, judged by what it computes: sparse
targets (word ids) or one-hot ones, read as probabilities or as logits."""

from __future__ import annotations

from dataclasses import dataclass

from grader.checking import SPARSE_CATEGORICAL, Learner, LossSpec, ModelInfo, probe_loss
from grader.checks.lesson9.ngrams import one_hot

CATEGORICAL = LossSpec(
    one_hot(SPARSE_CATEGORICAL.targets, SPARSE_CATEGORICAL.outputs.shape[1]),
    SPARSE_CATEGORICAL.outputs,
    SPARSE_CATEGORICAL.readings,
)
"""Categorical cross-entropy over ten classes: the same probe with one-hot targets."""


@dataclass(frozen=True)
class NextWordLoss:
    """What the generator's compiled loss takes."""

    targets: str
    """``"sparse"`` (the next word's id), ``"categorical"`` (one-hot rows) or ``"other"``."""
    reading: str
    """``"probabilities"``, ``"logits"`` or ``"other"``."""


def next_word_loss(learner: Learner, model: ModelInfo) -> NextWordLoss | None:
    """The generator's loss, judged on probes; ``None`` when the model is not compiled."""
    if not model.compiled:
        return None
    for targets, spec in (("sparse", SPARSE_CATEGORICAL), ("categorical", CATEGORICAL)):
        probe = probe_loss(learner, model, spec)
        if probe is not None and probe.reading != "other":
            return NextWordLoss(targets, probe.reading)
    return NextWordLoss("other", "other")
