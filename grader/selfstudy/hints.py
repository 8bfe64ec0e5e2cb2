"""Studying alone: hint levels, the reference on request, and progress across lessons.

The commands in ``grader/commands/`` draw what these functions return.  What
they remember lives in the course folder's store (``.grader/`` in the current
directory, ``grader/store.py``): every graded run, and the hint level reached
per check.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader import lessons
from grader.grading.spec import CheckDefinitionError, CheckSpec, spec_of
from grader.results import RunStatus, Status
from grader.selfstudy import store


class UnknownCheck(LookupError):
    """No check of the lesson has that id."""


def course_folder() -> Path:
    """The course folder's ``.grader/``: progress and hint levels are kept there."""
    return store.folder_for(Path.cwd())


@contextlib.contextmanager
def existing_store(folder: Path) -> Iterator[store.Store | None]:
    """The store in ``folder`` if there is one (never creates it); ``None`` otherwise."""
    if not (folder / store.DATABASE).is_file():
        yield None
        return
    try:
        opened = store.Store.open(folder)
    except (OSError, sqlite3.Error):
        yield None
        return
    with opened:
        yield opened


def latest_run(lesson_id: str, folder: Path) -> store.Run | None:
    """The learner's last graded run of a lesson, as progress recorded it."""
    with existing_store(folder) as progress:
        return progress.latest(lesson_id) if progress else None


class _Collector:
    """A pytest plugin that reads every check's metadata and then runs none of them."""

    def __init__(self) -> None:
        self.specs: list[CheckSpec] = []

    def pytest_collection_modifyitems(self, items: list) -> None:
        for item in items:
            with contextlib.suppress(CheckDefinitionError):
                self.specs.append(spec_of(item))
        items.clear()


def check_specs(lesson_id: str, checks_dir: Path | None = None) -> tuple[CheckSpec, ...]:
    """The lesson's checks, collected by pytest the way grading collects them; none is run."""
    from grader import api  # pytest is needed here only, not on the paths that read stores

    collector = _Collector()
    api.run_checks(checks_dir or lessons.get(lesson_id).checks_dir, collector)  # type: ignore[arg-type]
    return tuple(collector.specs)


@dataclass(frozen=True)
class HintStep:
    """The hint levels to show for one check, after one more was asked for."""

    spec: CheckSpec
    """The check."""
    level: int
    """The level now reached (1 is the scorecard's); levels ``1..level`` are shown."""

    @property
    def shown(self) -> tuple[str, ...]:
        return self.spec.hints[: self.level]

    @property
    def last(self) -> bool:
        """Whether no further level exists."""
        return self.level >= len(self.spec.hints)


def choose_check(specs: tuple[CheckSpec, ...], latest: store.Run | None) -> CheckSpec | None:
    """The first check the latest run did not pass (the first check before any run)."""
    if latest is None:
        return specs[0] if specs else None
    if latest.result.status is RunStatus.PASSED:
        return None
    passed = {check.id for check in latest.result.checks if check.passed}
    return next((spec for spec in specs if spec.id not in passed), None)


def next_hint(lesson_id: str, check_id: str | None, folder: Path) -> HintStep | None:
    """One level further for ``check_id`` (or the first open check); remembered in ``folder``.

    Level 1 is the scorecard's: once the learner's latest run failed a check,
    they have seen it, and the first ``hint`` shows level 2.  ``None`` when no
    check is open (the latest run passed them all).  Raises ``UnknownCheck``
    naming the lesson's checks.
    """
    specs = check_specs(lesson_id)
    latest = latest_run(lesson_id, folder)
    if check_id is None:
        spec = choose_check(specs, latest)
        if spec is None:
            return None
    else:
        spec = next((s for s in specs if s.id == check_id.removeprefix("test_")), None)
        if spec is None:
            known = ", ".join(s.id for s in specs)
            raise UnknownCheck(f"{lesson_id} has no check {check_id!r}; its checks are: {known}")
    with store.Store.open(folder) as hints:
        shown = hints.hint_level(lesson_id, spec.id)
        if shown is None:
            shown = 1 if latest is not None and _failed(latest, spec.id) else 0
        level = min(shown + 1, len(spec.hints))
        hints.set_hint_level(lesson_id, spec.id, level)
    return HintStep(spec, level)


def _failed(run: store.Run, check_id: str) -> bool:
    """Whether the run's scorecard showed this check's first hint (it does for a failure)."""
    return any(c.id == check_id and c.status is Status.FAILED for c in run.result.checks)


@dataclass(frozen=True)
class LessonProgress:
    """Where the learner stands on one lesson."""

    lesson: lessons.Lesson
    """The lesson."""
    best: store.Run | None
    """The best-scoring graded run, if any."""
    latest: store.Run | None
    """The last run, if any."""

    @property
    def not_started(self) -> bool:
        return self.latest is None or self.latest.result.not_started

    @property
    def done(self) -> bool:
        return self.latest is not None and self.latest.result.status is RunStatus.PASSED

    def next_step(self) -> str:
        """What to do next, as a command or a sentence."""
        lesson = self.lesson.id
        if self.not_started:
            return f"Fill in {self.lesson.exercise}, then run: python -m grader {lesson}"
        assert self.latest is not None
        result = self.latest.result
        if result.status is RunStatus.ERROR:
            return f"The grader failed last time (not your fault): python -m grader {lesson}"
        if self.done:
            ids = list(lessons.LESSONS)
            after = ids[ids.index(lesson) + 1 :] if lesson in ids else []
            return f"Done. Next: python -m grader watch {after[0]}" if after else "Done."
        left = sum(not check.passed for check in result.checks)
        return f"{left} check(s) to go: python -m grader hint {lesson}"


def progress(folder: Path) -> list[LessonProgress]:
    """Every lesson with its best and latest run from the store in ``folder``."""
    with existing_store(folder) as runs:
        return [
            LessonProgress(
                lesson,
                runs.best(lesson.id) if runs else None,
                runs.latest(lesson.id) if runs else None,
            )
            for lesson in lessons.LESSONS.values()
        ]
