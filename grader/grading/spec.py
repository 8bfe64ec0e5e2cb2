"""What a check author writes with: the ``@check`` decorator and its metadata.

A check is a plain pytest function in a lesson's checks directory::

    @check(points=2, hint="Give compile() a loss and an optimizer.")
    def test_compiled(model):
        \"\"\"The model is compiled with mean squared error and Adam(0.1)\"\"\"
        assert model.compiled, "build_model should compile the model before returning it."

The first line of the docstring is the check's title; an ``assert``'s message is
what the learner reads when it fails.  ``hint`` is one string or a sequence of
levels, from a gentle nudge to a pointed hint (never the answer itself).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from grader.learner.outcomes import StepSkipped

MARKER = "grader_check"
F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["CheckSpec", "StepSkipped", "check", "spec_of"]


@dataclass(frozen=True)
class CheckSpec:
    """What the grader knows about a check before running it."""

    id: str
    """The function name without its ``test_`` prefix."""
    title: str
    """First line of the docstring."""
    points: float
    """Points for passing."""
    hints: tuple[str, ...]
    """Hint levels, gentlest first; the first is shown when the check does not pass."""

    @property
    def hint(self) -> str:
        """The first hint level."""
        return self.hints[0]


class CheckDefinitionError(Exception):
    """A check in a checks directory is not written the way the grader needs."""


def check(*, points: float, hint: str | Sequence[str]) -> Callable[[F], F]:
    """Mark a pytest function as a graded check worth ``points``, with its hint levels."""
    return pytest.mark.grader_check(points=points, hint=hint)


def spec_of(item: pytest.Item) -> CheckSpec:
    """Read a collected check's metadata, or say clearly what is missing."""
    name = item.name
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        raise CheckDefinitionError(
            f"check {name} in {item.path.name} has no @check(points=…, hint=…)"
        )
    points, hint = marker.kwargs.get("points"), marker.kwargs.get("hint")
    if not isinstance(points, (int, float)) or points <= 0:
        raise CheckDefinitionError(
            f"check {name}: points must be a positive number, got {points!r}"
        )
    hints = (
        (hint,) if isinstance(hint, str) else tuple(hint) if isinstance(hint, (list, tuple)) else ()
    )
    if not hints or not all(isinstance(h, str) and h.strip() for h in hints):
        raise CheckDefinitionError(
            f"check {name}: hint must be a non-empty string or a sequence of them"
        )
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    title = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    if not title:
        raise CheckDefinitionError(f"check {name} needs a docstring whose first line is its title")
    return CheckSpec(id=name.removeprefix("test_"), title=title, points=float(points), hints=hints)
