"""The pytest plugin that runs a lesson's checks and records their verdicts.

It gives checks their fixtures (``learner``, ``grading``) and turns each
check's outcome into a ``CheckResult``: an assertion is FAILED, a learner
outcome (``NotAttempted``, ``LearnerRaised``, …) has its own status, and any
other exception is a fault of the grader, never the learner's zero.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import pytest

from grader.grading import figures
from grader.grading.spec import CheckDefinitionError, CheckSpec, spec_of
from grader.learner.outcomes import GraderFault, LearnerOutcome
from grader.learner.session import Learner
from grader.results import CheckResult, Figure, Status

GRADER_FAULT = "Not graded: the grader failed on this check (its fault, not yours)."


@dataclass(frozen=True)
class GradingContext:
    """What a check may want to know about this run."""

    lesson: str
    """Lesson id."""
    seed: int
    """Random seed (the learner process is seeded with it too)."""
    epochs: int
    """Training budget: how many epochs the grader asks ``train`` for."""
    full_budget: bool
    """Whether ``epochs`` is the lesson's calibrated budget (thresholds hold only then)."""


@dataclass
class _Verdict:
    status: Status = Status.PASSED
    message: str | None = None
    details: str | None = None
    duration: float = 0.0
    series: dict[str, tuple[float, ...]] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)


def assertion_message(exc: AssertionError) -> str:
    """The check's own message, without the explanation pytest's rewriting appends.

    The grader runs checks with ``--assert=plain``, but a host pytest (the
    grader's own test suite) may already have rewritten the checks module.
    """
    message = str(exc).split("\nassert ", 1)[0].strip()
    return message or "The check's condition was not met."


class GraderPlugin:
    """Registered with ``pytest.main(plugins=[…])`` for one grading run."""

    def __init__(self, learner: Learner, context: GradingContext) -> None:
        self._learner = learner
        self._context = context
        self._specs: dict[str, CheckSpec] = {}
        self._verdicts: dict[str, _Verdict] = {}
        self.results: list[CheckResult] = []
        self.faults: list[str] = []
        self._metrics: dict[str, dict[str, float]] = {}
        self._histories: set[int] = set()

    @pytest.fixture(scope="session")
    def learner(self) -> Learner:
        """The submission, loaded in the learner process."""
        return self._learner

    @pytest.fixture(scope="session")
    def grading(self) -> GradingContext:
        """Seed, training budget and lesson of this run."""
        return self._context

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.faults.append(
                f"could not load the checks in {report.nodeid}: {report.longreprtext}"
            )

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            try:
                self._specs[item.nodeid] = spec_of(item)
            except CheckDefinitionError as exc:
                self.faults.append(str(exc))
        if not items:
            self.faults.append("the checks directory holds no checks")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]):
        yield
        verdict = self._verdicts.setdefault(item.nodeid, _Verdict())
        verdict.duration += call.duration
        self._take_figures(item, verdict, call.when)
        if call.when == "teardown":
            self._metrics[item.nodeid] = {
                str(name): float(value)
                for name, value in item.user_properties
                if isinstance(value, (int, float)) and not isinstance(value, bool)
            }
        if call.excinfo is not None and verdict.status is Status.PASSED:
            verdict.status, verdict.message, verdict.details = self._judge(item, call.excinfo.value)

    def _take_figures(self, item: pytest.Item, verdict: _Verdict, when: str) -> None:
        """File what was recorded during this phase, and a training's curves, under the check."""
        recorded, series = figures.take(item.config)
        verdict.figures += recorded
        verdict.series.update(series)
        if when != "setup":
            return
        values = list((getattr(item, "funcargs", None) or {}).values())
        fresh = [v for v in values if id(v) not in self._histories]
        self._histories.update(id(v) for v in fresh if hasattr(v, "history") or hasattr(v, "info"))
        for history in figures.training_series(fresh):
            verdict.figures += figures.training_curves(history)
            verdict.series.update({k: v for k, v in history.items() if k not in verdict.series})

    def _judge(self, item: pytest.Item, exc: BaseException) -> tuple[Status, str, str | None]:
        if isinstance(exc, AssertionError):
            return Status.FAILED, assertion_message(exc), None
        if isinstance(exc, LearnerOutcome):
            if exc.reported:
                later = Status.NOT_ATTEMPTED if exc.status == "not_attempted" else Status.SKIPPED
                return later, exc.later(), None
            exc.reported = True
            return Status(exc.status), exc.message, exc.details
        if isinstance(exc, pytest.skip.Exception):
            return Status.SKIPPED, f"skipped: {exc.msg}", None
        if isinstance(exc, GraderFault):
            if str(exc) not in self.faults:
                self.faults.append(str(exc))
            return Status.SKIPPED, GRADER_FAULT, None
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-3))
        self.faults.append(f"check {item.name} failed inside the grader: {trace.strip()}")
        return Status.SKIPPED, GRADER_FAULT, None

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        spec = self._specs.get(nodeid)
        verdict = self._verdicts.pop(nodeid, _Verdict())
        if spec is None:
            return
        self.results.append(
            CheckResult(
                id=spec.id,
                title=spec.title,
                status=verdict.status,
                points=spec.points if verdict.status is Status.PASSED else 0.0,
                max_points=spec.points,
                message=verdict.message,
                hint=None if verdict.status is Status.PASSED else spec.hint,
                duration_s=round(verdict.duration, 3),
                details=verdict.details,
                metrics=self._metrics.pop(nodeid, {}),
                series=verdict.series,
                figures=tuple(verdict.figures),
            )
        )
