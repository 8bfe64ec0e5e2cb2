"""Resource limits for calls into learner code: one place, with their defaults.

A lesson may raise them (``Lesson.limits``) and so may an instructor per run
(``python -m grader lesson1 --limit train=900``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How long and how much learner code may take before the grader stops it."""

    import_seconds: float = 120.0
    """Starting the learner process: Python, TensorFlow and the submission's import."""
    call_seconds: float = 60.0
    """Any one call into learner code that is not training (``build_model``, ``predict``)."""
    train_seconds: float = 300.0
    """One call of the learner's ``train``."""
    output_bytes: int = 256 * 1024
    """How much of the learner's printed output is kept; the rest is counted and dropped."""

    def with_overrides(self, overrides: dict[str, str]) -> Limits:
        """A copy with ``{"train": "900"}``-style overrides; raises ``ValueError`` if unknown."""
        names = {field.name.rsplit("_", 1)[0]: field for field in dataclasses.fields(self)}
        changes = {}
        for short, text in overrides.items():
            field = names.get(short)
            if field is None:
                known = ", ".join(sorted(names))
                raise ValueError(f"unknown limit {short!r}; known limits: {known}")
            value = float(text) if field.type == "float" else int(text)
            if value <= 0:
                raise ValueError(f"limit {short} must be positive, got {text}")
            changes[field.name] = value
        return dataclasses.replace(self, **changes)

    def seconds_for(self, call: str) -> float:
        """The time limit for a call to the learner function ``call``."""
        return self.train_seconds if call == "train" else self.call_seconds
