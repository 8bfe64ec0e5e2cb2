"""The course's lessons: titles, files and grading budgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import Limits

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


class UnknownLesson(LookupError):
    """No lesson has that id."""


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course as the grader knows it."""

    id: str
    """Short name used on the command line, e.g. ``lesson1``."""
    title: str
    """Title shown on the scorecard."""
    summary: str
    """One line on what the learner builds."""
    epochs: int
    """Training budget the thresholds are calibrated for."""
    limits: Limits = field(default_factory=Limits)
    """Time and output limits for calls into learner code."""

    @property
    def exercise(self) -> str:
        """The learner's file, relative to the course folder."""
        return f"exercises/{self.id}.py"

    @property
    def solution(self) -> str:
        """The reference solution, relative to the course folder."""
        return f"solutions/{self.id}.py"

    @property
    def checks_dir(self) -> Path:
        """The grader's built-in checks for this lesson."""
        return PACKAGE_DIR / "checks" / self.id


LESSONS: dict[str, Lesson] = {
    lesson.id: lesson
    for lesson in (
        Lesson(
            id="lesson1",
            title="Celsius to Fahrenheit: your first model",
            summary="Train a single neuron to learn F = 1.8·C + 32 from seven examples.",
            epochs=500,
            limits=Limits(train_seconds=180.0),
        ),
        Lesson(
            id="lesson2",
            title="Fashion-MNIST: a dense network on real images",
            summary="Classify 28×28 images of clothing into 10 classes with "
            "Flatten → Dense(128) → Dense(10).",
            epochs=5,
        ),
    )
}


def get(lesson_id: str) -> Lesson:
    """The lesson called ``lesson_id``; ``UnknownLesson`` names the known ones."""
    try:
        return LESSONS[lesson_id]
    except KeyError:
        known = ", ".join(LESSONS)
        raise UnknownLesson(f"unknown lesson {lesson_id!r}; the lessons are: {known}") from None


def reference_solution(lesson: Lesson) -> Path | None:
    """The reference solution: in the current folder's course, else beside the grader."""
    for root in (Path.cwd(), SOURCE_ROOT):
        path = root / lesson.solution
        if path.is_file():
            return path
    return None
