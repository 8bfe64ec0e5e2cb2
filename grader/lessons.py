"""The course's lessons, discovered from their folders.

A lesson is a folder ``checks/<id>/`` whose ``lesson.py`` defines ``LESSON``, a
``Lesson``. The built-in lessons live in ``grader/checks/``; a course may add
its own folders through ``$GRADER_LESSON_PATH`` (course folders, separated by
``os.pathsep``, each with ``checks/<id>/``, ``exercises/`` and ``solutions/``).
Nothing else lists lessons: they sort by their declared ``order``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import Limits

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent
LESSON_PATH_VARIABLE = "GRADER_LESSON_PATH"


class UnknownLesson(LookupError):
    """No lesson has that id."""


class LessonDefinitionError(RuntimeError):
    """A lesson folder's ``lesson.py`` is missing ``LESSON`` or is not a ``Lesson``."""


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course as the grader knows it."""

    id: str
    """Short name used on the command line, e.g. ``lesson1``; also its folder's name."""
    order: int
    """Where it comes in the course: lessons are listed by it."""
    title: str
    """Title shown on the scorecard."""
    summary: str
    """One line on what the learner builds."""
    epochs: int
    """Training budget the thresholds are calibrated for."""
    limits: Limits = field(default_factory=Limits)
    """Time and output limits for calls into learner code."""
    function_seconds: Mapping[str, float] = field(default_factory=dict)
    """Time limits for learner functions that may take longer than ``limits.call_seconds``
    (``train`` uses ``limits.train_seconds`` unless named here)."""
    course_root: Path = SOURCE_ROOT
    """The course folder holding ``exercises/`` and ``solutions/`` (set by discovery)."""
    checks_dir: Path = PACKAGE_DIR
    """The lesson's folder of checks (set by discovery)."""

    @property
    def exercise(self) -> str:
        """The learner's file, relative to the course folder."""
        return f"exercises/{self.id}.py"

    @property
    def solution(self) -> str:
        """The reference solution, relative to the course folder."""
        return f"solutions/{self.id}.py"

    @property
    def call_limits(self) -> Limits:
        """``limits`` with this lesson's per-function time limits applied. A limit for
        ``train`` becomes ``train_seconds``, so ``--limit train=…`` still overrides it."""
        merged = {**self.limits.functions, **self.function_seconds}
        train = merged.pop("train", self.limits.train_seconds)
        return dataclasses.replace(self.limits, functions=merged, train_seconds=train)


def course_roots() -> list[Path]:
    """The built-in course folder, then those named in ``$GRADER_LESSON_PATH``."""
    extra = os.environ.get(LESSON_PATH_VARIABLE, "")
    return [SOURCE_ROOT, *(Path(p).expanduser().resolve() for p in extra.split(os.pathsep) if p)]


def load_lesson(folder: Path, course_root: Path) -> Lesson:
    """The ``LESSON`` defined by ``folder/lesson.py``, placed in ``course_root``."""
    spec = importlib.util.spec_from_file_location(f"_lesson_{folder.name}", folder / "lesson.py")
    if spec is None or spec.loader is None:
        raise LessonDefinitionError(f"{folder / 'lesson.py'} is not a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lesson = getattr(module, "LESSON", None)
    if not isinstance(lesson, Lesson) or lesson.id != folder.name:
        raise LessonDefinitionError(
            f"{folder / 'lesson.py'} must define LESSON = Lesson(id={folder.name!r}, …)"
        )
    return dataclasses.replace(lesson, course_root=course_root, checks_dir=folder)


def discover() -> tuple[dict[str, Lesson], dict[str, str]]:
    """Every lesson folder, in course order (a later course folder may not reuse an id), and
    why each folder whose ``lesson.py`` cannot be read is left out, by folder name."""
    found: dict[str, Lesson] = {}
    broken: dict[str, str] = {}
    for root in course_roots():
        checks = PACKAGE_DIR / "checks" if root == SOURCE_ROOT else root / "checks"
        for lesson_file in sorted(checks.glob("*/lesson.py")):
            try:
                lesson = load_lesson(lesson_file.parent, root)
            except Exception as exc:  # one broken folder must not hide the other lessons
                broken.setdefault(lesson_file.parent.name, f"{type(exc).__name__}: {exc}")
                continue
            found.setdefault(lesson.id, lesson)
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0]))), broken


class _Lessons(Mapping[str, Lesson]):
    """The discovered lessons, found again when ``$GRADER_LESSON_PATH`` changes."""

    def _current(self) -> dict[str, Lesson]:
        key = (os.environ.get(LESSON_PATH_VARIABLE, ""), str(PACKAGE_DIR))
        if getattr(self, "_key", None) != key:
            (self._found, self.broken), self._key = discover(), key
        return self._found

    def __getitem__(self, lesson_id: str) -> Lesson:
        return self._current()[lesson_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


LESSONS: Mapping[str, Lesson] = _Lessons()
"""Lesson id → lesson, in course order."""


def get(lesson_id: str) -> Lesson:
    """The lesson called ``lesson_id``; ``UnknownLesson`` names the known ones."""
    try:
        return LESSONS[lesson_id]
    except KeyError:
        known = ", ".join(LESSONS)
        broken = getattr(LESSONS, "broken", {}).get(lesson_id)
        if broken is not None:
            message = (
                f"lesson {lesson_id!r} cannot be loaded ({broken}); this is the grader's fault"
            )
            raise UnknownLesson(message) from None
        raise UnknownLesson(f"unknown lesson {lesson_id!r}; the lessons are: {known}") from None


def reference_solution(lesson: Lesson) -> Path | None:
    """The reference solution: in the current folder's course, else in the lesson's course."""
    for root in (Path.cwd(), lesson.course_root):
        path = root / lesson.solution
        if path.is_file():
            return path
    return None
