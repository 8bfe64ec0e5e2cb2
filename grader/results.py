"""The results of a grading run: frozen data, no formatting.

Every output (scorecard, JSON, and later JUnit, GitHub, Gradescope) is a
renderer of a ``RunResult``.  Totals are derived, never stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

SCHEMA_VERSION = 1
FIGURE_KINDS = ("curves", "line_fit", "confusion", "image_grid", "forecast", "bars")
"""What a ``Figure`` can show; ``grader/outputs/figures.py`` draws each kind."""


class Status(str, Enum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"
    """The learner's code ran and its result was wrong (an assertion in the check)."""
    ERROR = "error"
    """The learner's code raised, exited, or could not be imported."""
    TIMEOUT = "timeout"
    """The learner's code ran past its time limit and was stopped."""
    NOT_ATTEMPTED = "not_attempted"
    """A function the check needs is still the untouched stub."""
    SKIPPED = "skipped"
    """A step the check builds on gave nothing to check (see its message)."""


class RunStatus(str, Enum):
    """How the whole run ended."""

    PASSED = "passed"
    """Every check passed."""
    FAILED = "failed"
    """Graded, and some check did not pass."""
    ERROR = "error"
    """The grader could not grade (its own fault, not the learner's zero)."""


def _plain(value: Any) -> Any:
    """Nested lists, tuples and numpy arrays as nested tuples of plain numbers and strings."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    return value


def _numbers(series: Any) -> dict[str, tuple[float, ...]]:
    return {str(name): tuple(float(v) for v in _plain(values)) for name, values in series.items()}


@dataclass(frozen=True)
class Figure:
    """A picture of a run, as plain data only: the renderers draw it (or show it as text).

    Which fields a kind reads: ``curves`` draws each of ``series`` against ``x`` (1, 2, …
    when empty); ``line_fit`` the first series as points over ``x`` and the others as
    lines; ``forecast`` every series over ``x`` (NaN where a series has no value);
    ``bars`` the series side by side per name in ``labels``; ``confusion`` ``matrix``
    (rows true, columns predicted) named by ``labels``; ``image_grid`` ``images``
    (uint8, H×W or H×W×3) captioned by ``labels``.
    """

    kind: str
    """One of ``FIGURE_KINDS``."""
    title: str
    """What the picture shows, in the course's words."""
    series: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Named number sequences, e.g. ``loss`` and ``val_loss`` per epoch."""
    x: tuple[float, ...] = ()
    """Where the series' values lie on the x axis."""
    x_label: str = ""
    y_label: str = ""
    labels: tuple[str, ...] = ()
    """Class names (confusion, bars) or one caption per image (image_grid)."""
    matrix: tuple[tuple[float, ...], ...] = ()
    """Rows of numbers (confusion)."""
    images: tuple[Any, ...] = ()
    """Small uint8 images as nested tuples of ints (image_grid)."""

    def __post_init__(self) -> None:
        if self.kind not in FIGURE_KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}; expected one of {FIGURE_KINDS}")
        set_field = object.__setattr__
        set_field(self, "series", _numbers(self.series))
        set_field(self, "x", tuple(float(v) for v in _plain(self.x)))
        set_field(self, "labels", tuple(str(label) for label in self.labels))
        set_field(self, "matrix", _plain(self.matrix))
        set_field(self, "images", _plain(self.images))


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict on the submission."""

    id: str
    """Stable name of the check, e.g. ``architecture``."""
    title: str
    """What the check verifies, in the course's words."""
    status: Status
    """How the check ended."""
    points: float
    """Points earned (``max_points`` when passed, else 0)."""
    max_points: float
    """Points the check is worth."""
    message: str | None = None
    """What was expected and what was found; ``None`` when passed."""
    hint: str | None = None
    """A nudge towards a fix, shown when the check did not pass."""
    duration_s: float = 0.0
    """Seconds spent on the check, including the steps it was first to need."""
    details: str | None = None
    """The learner's trimmed traceback or other supporting text."""
    metrics: dict[str, float] = field(default_factory=dict)
    """Measured figures (e.g. ``w``, ``test_accuracy``) for calibration and reports."""
    series: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Named number sequences this check saw, e.g. ``loss`` per epoch of the training."""
    figures: tuple[Figure, ...] = ()
    """Pictures recorded while this check (or a step it was first to need) ran."""

    def __post_init__(self) -> None:
        # Plain data read back (e.g. from the results cache) becomes tuples and Figures again.
        object.__setattr__(self, "series", _numbers(self.series))
        figures = tuple(f if isinstance(f, Figure) else Figure(**f) for f in self.figures)
        object.__setattr__(self, "figures", figures)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass(frozen=True)
class RunResult:
    """A grading run: which lesson, which submission, and each check's verdict."""

    lesson: str
    """Lesson id, e.g. ``lesson1``."""
    title: str
    """Lesson title."""
    submission: str
    """The submission as the user named it (relative where possible)."""
    seed: int
    """Random seed the learner process was given."""
    grader_version: str
    """Version of the grader that produced this result."""
    checks: tuple[CheckResult, ...] = ()
    """Verdicts, in the order the checks are written."""
    duration_s: float = 0.0
    """Seconds for the whole run."""
    fault: str | None = None
    """Set when the grader itself failed; then the run's status is ``error``."""
    notes: tuple[str, ...] = ()
    """Things the user should know about this run (e.g. a reduced training budget)."""
    output: str = ""
    """What the learner's code printed (capped)."""
    cached: bool = False
    """Whether this result was read from the results cache instead of graded afresh."""

    @property
    def score(self) -> float:
        return sum(check.points for check in self.checks)

    @property
    def max_score(self) -> float:
        return sum(check.max_points for check in self.checks)

    @property
    def share(self) -> float:
        """The share of the points scored, from 0 to 1 (0 when there are no points)."""
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def status(self) -> RunStatus:
        if self.fault is not None:
            return RunStatus.ERROR
        if self.checks and all(check.passed for check in self.checks):
            return RunStatus.PASSED
        return RunStatus.FAILED

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every check's figures, in the order of the checks."""
        return tuple(figure for check in self.checks for figure in check.figures)

    @property
    def not_started(self) -> bool:
        """Every check found only untouched stubs: nothing attempted yet (not a wrong answer)."""
        return (
            self.fault is None
            and bool(self.checks)
            and all(check.status is Status.NOT_ATTEMPTED for check in self.checks)
        )

    @property
    def message(self) -> str | None:
        """One line about the run as a whole (the fault, when there is one)."""
        return self.fault
