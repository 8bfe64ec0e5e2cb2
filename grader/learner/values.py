"""What the scoring side holds of learner objects: plain data and references, nothing live."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Ref:
    """A learner object that stays in the learner process."""

    generation: int
    """Which start of the learner process holds it."""
    id: str
    """Its name in that process."""


@dataclass(frozen=True)
class Value:
    """Plain data about what a call into learner code returned."""

    kind: str
    """What came back: ``keras_model``, ``history``, ``dataset``, ``array``, ``tensor``,
    ``scalar``, ``sequence`` (its first items described under ``items``), ``none`` or
    ``other``."""
    type_name: str
    """The Python type of the returned object, e.g. ``keras.src.models.sequential.Sequential``."""
    info: dict[str, Any] = field(repr=False)
    """Everything the learner process reported about it."""
    ref: Ref | None = None
    """Where the object itself lives, for kinds the grader may pass back in."""

    @property
    def array(self) -> np.ndarray | None:
        """The returned numbers, for arrays and tensors."""
        value = self.info.get("value")
        return value if isinstance(value, np.ndarray) else None
