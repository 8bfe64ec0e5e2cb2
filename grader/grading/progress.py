"""Training progress as the scoring side receives it: plain data, read defensively.

The learner process sends progress events while the learner's ``fit`` runs
(``learner/reporting.py``).  They are for show only: the live progress bar.
The learner's code shares a process with the sender and could forge them, so
nothing is graded from them, and a malformed one is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

STAGES = ("begin", "batch", "epoch", "end")
MAX_METRICS = 8


@dataclass(frozen=True)
class TrainingProgress:
    """Where a ``fit`` in the learner process has got to."""

    stage: str
    """``begin``, ``batch`` (during an epoch), ``epoch`` (an epoch ended) or ``end``."""
    epoch: int
    """The current epoch, counting from 1 (0 before the first)."""
    epochs: int | None
    """Epochs asked for, when known."""
    step: int | None = None
    """Batches done in this epoch, when known."""
    steps: int | None = None
    """Batches in an epoch, when known."""
    metrics: dict[str, float] = field(default_factory=dict)
    """The latest loss and metrics, e.g. ``{"loss": 0.41, "accuracy": 0.86}``."""

    @classmethod
    def parse(cls, message: Any) -> TrainingProgress | None:
        """The event in ``message``, or ``None`` when it is not a well-formed one."""
        if not isinstance(message, dict) or message.get("stage") not in STAGES:
            return None
        epoch = message.get("epoch")
        if not _count(epoch) or epoch is None:
            return None
        counts = [message.get(name) for name in ("epochs", "step", "steps")]
        if not all(_count(value) for value in counts):
            return None
        metrics = message.get("metrics")
        if not isinstance(metrics, dict):
            return None
        numbers = {
            str(name)[:40]: float(value)
            for name, value in list(metrics.items())[:MAX_METRICS]
            if type(value) in (int, float) and math.isfinite(value)
        }
        return cls(message["stage"], epoch, *counts, metrics=numbers)

    def describe(self) -> str:
        """One line for a log: ``epoch 2/5 · loss 0.4123 · accuracy 0.8512``."""
        of = f"/{self.epochs}" if self.epochs else ""
        parts = [f"epoch {self.epoch}{of}"]
        parts += [f"{name} {value:.4g}" for name, value in self.metrics.items()]
        return " · ".join(parts)


def _count(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value < 10**9)


ProgressListener = Callable[[TrainingProgress], None]
