"""What can happen when the grader calls learner code, other than a value.

Each outcome is an exception that a check lets through; the pytest plugin
turns it into the check's status.  Their messages are written for learners.
"""

from __future__ import annotations


class LearnerOutcome(Exception):
    """A call into learner code ended without a usable value."""

    status = "error"

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.reported = False

    def later(self) -> str:
        """How a later check that needed the same step describes it."""
        return f"skipped: {self.message[0].lower()}{self.message[1:]}"


class NotAttempted(LearnerOutcome):
    """An untouched stub: the function still raises ``NotImplementedError``."""

    status = "not_attempted"

    def later(self) -> str:
        return self.message


class LearnerRaised(LearnerOutcome):
    """Learner code raised an exception (its trimmed traceback is the details)."""


class LearnerExited(LearnerOutcome):
    """The learner process ended: ``sys.exit``, ``os._exit`` or a fatal signal."""


class LearnerTimedOut(LearnerOutcome):
    """A call ran past its time limit and the learner process was killed."""

    status = "timeout"


class StepSkipped(LearnerOutcome):
    """A check could not run because a step it builds on gave no usable result."""

    status = "skipped"

    def later(self) -> str:
        return self.message


class GraderFault(Exception):
    """The grader's own environment failed (e.g. TensorFlow would not import).

    Not a learner outcome: the run's status becomes ``error``, never the learner's zero.
    """
