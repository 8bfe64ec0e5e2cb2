"""The scoring side of the learner process: what checks call.

``Learner`` is what checks use.  It keeps one child process running, sends
requests, waits for replies with a deadline, and kills the child's whole
process group when a call runs over.  A child that dies or is killed is
started again for the next call; objects that lived in it are then gone.
"""

from __future__ import annotations

import errno
import time
from pathlib import Path
from typing import Any

import numpy as np

from grader.grading.progress import ProgressListener, TrainingProgress
from grader.learner import ops
from grader.learner.outcomes import (
    GraderFault,
    LearnerExited,
    LearnerOutcome,
    LearnerRaised,
    LearnerTimedOut,
    NotAttempted,
    StepSkipped,
)
from grader.learner.process import ChildProcess, OutputBuffer
from grader.learner.source import source_problem
from grader.learner.values import Ref, Value
from grader.limits import Limits, format_size

LIMIT_ADVICE = (
    "Look for a list or array that keeps growing, or processes started in a loop. An instructor "
    "can raise the limits for a lesson or a run (python -m grader --limit memory=8G)."
)


class Learner:
    """The learner's submission, loaded in a separate process, as checks see it."""

    def __init__(
        self,
        submission: Path,
        display: str,
        seed: int,
        limits: Limits,
        on_progress: ProgressListener | None = None,
        line_map: list[tuple[int, int, str | None]] | None = None,
        problem: str | None = None,
        sandboxed: bool = False,
    ) -> None:
        """``problem`` says why the submission cannot be loaded at all (a notebook the
        grader could not read); then no learner process is started."""
        self.on_progress = on_progress
        self.line_map = line_map
        """Sections of a module generated from notebook cells (``learner/cells.py``)."""
        self.load_notes: list[str] = []
        """What the learner process noted while loading (a notebook cell that raised)."""
        self.submission = submission
        self.display = display
        self.seed = seed
        self.limits = limits
        self.sandboxed = sandboxed
        """Run the learner process under bubblewrap (``learner/sandbox.py``)."""
        self.output = OutputBuffer(limits.output_bytes)
        self.generation = 0
        self.functions: list[str] = []
        self.child: ChildProcess | None = None
        self.started_at = 0.0
        self.loaded = False
        self.import_failure: LearnerOutcome | GraderFault | None = (
            LearnerRaised(problem) if problem is not None else None
        )
        self.last_loss: str | None = None

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        """Start the learner process now, so TensorFlow loads while pytest starts."""
        if self.generation == 0 and self.import_failure is None:
            problem = source_problem(self.submission, self.display, self.limits.source_bytes)
            if problem is not None:
                self.import_failure = LearnerRaised(problem)
        if self.child is None and self.import_failure is None:
            self.generation += 1
            self.loaded = False
            self.started_at = time.monotonic()
            start = {"submission": str(self.submission), "display": self.display, "seed": self.seed}
            if self.line_map:
                start["line_map"] = [list(section) for section in self.line_map]
            self.child = ChildProcess(
                start, self.output, self._progress, self.limits, self.sandboxed
            )

    def writable_folder(self) -> Path:
        """The learner process's own writable folder, as the scoring process sees it (the
        same path inside the sandbox): a lesson gives learner functions paths in it and has
        the clean room open what they wrote. A new one after a restart."""
        self.start()
        if self.child is None:
            raise StepSkipped("skipped: the submission's process could not be started.")
        return self.child.home

    def _progress(self, message: dict[str, Any]) -> None:
        event = TrainingProgress.parse(message)
        if event is not None and self.on_progress is not None:
            self.on_progress(event)

    def close(self) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None

    def _lose_child(self, why: str) -> None:
        assert self.child is not None
        self.child.kill()
        self.child.close()
        self.child = None
        self.last_loss = why

    def _ensure_loaded(self) -> ChildProcess:
        if self.import_failure is not None:
            raise self.import_failure
        self.start()
        assert self.child is not None
        if not self.loaded:
            deadline = self.started_at + self.limits.import_seconds
            try:
                reply = self._receive(
                    "import", deadline - time.monotonic(), self.limits.import_seconds
                )
            except (LearnerOutcome, GraderFault) as failure:
                self.import_failure = failure
                raise
            self.functions = [str(name) for name in reply.get("functions", [])]
            notes = reply.get("notes")
            self.load_notes = [str(n)[:500] for n in notes[:10]] if isinstance(notes, list) else []
            self.loaded = True
        return self.child

    # -- requests --------------------------------------------------------------

    def _receive(self, what: str, seconds: float, limit: float) -> dict[str, Any]:
        assert self.child is not None
        kind, reply = self.child.receive(seconds)
        if kind == "timeout":
            self._lose_child(f"{what} timed out")
            raise LearnerTimedOut(
                f"{what} did not finish within {limit:g} s; the grader stopped it.",
                "Look for a loop that never ends, or training far longer than asked.",
            )
        stopped = self.child.stopped
        if kind == "ended" and stopped is not None:
            self._lose_child(f"{what} {stopped}")
            raise LearnerExited(f"{what} {stopped}; the grader stopped it.", LIMIT_ADVICE)
        if kind == "ended":
            how = self.child.ending()
            self._lose_child(f"the submission exited during {what}")
            raise LearnerExited(
                f"The submission exited during {what} ({how}).",
                "Code that calls sys.exit(), exit() or os._exit() ends the grader's run of it; "
                "remove those calls from your module and functions.",
            )
        if (
            kind == "garbled"
            or not isinstance(reply, dict)
            or not isinstance(reply.get("ok"), bool)
        ):
            self._lose_child("the learner process sent a garbled reply")
            raise LearnerRaised(f"The submission interfered with the grader during {what}.")
        if not reply["ok"]:
            raise self._failure(reply, what)
        return reply

    def _failure(self, reply: dict[str, Any], what: str) -> LearnerOutcome | GraderFault:
        function = str(reply.get("function", what))
        details = str(reply.get("traceback") or "") or None
        kind = reply.get("kind")
        if kind == "environment":
            return GraderFault(
                f"the learner process could not start TensorFlow ({reply.get('type')}: "
                f"{reply.get('message')}); check the grader's installation"
            )
        if kind == "not_implemented":
            return NotAttempted(
                f"{function} is not written yet (it still raises NotImplementedError)."
            )
        if kind == "exit":
            return LearnerExited(
                f"The submission exited during {function} (sys.exit({reply.get('message')})).",
                "Code that calls sys.exit() or exit() ends the grader's run of it; remove it.",
            )
        if kind == "signature":
            return LearnerRaised(str(reply.get("message")))
        if kind == "missing":
            return LearnerRaised(f"The submission defines no function {function}().")
        if kind == "grader":
            return LearnerRaised(
                f"The grader could not inspect what your code returned ({reply.get('type')}: "
                f"{reply.get('message')}).",
                details,
            )
        raised = f"{reply.get('type')}: {reply.get('message')}"
        if f"[Errno {errno.EFBIG}]" in raised:
            size = format_size(self.limits.file_size_bytes)
            raised += f" (the grader limits each file your code writes to {size})"
        if function == "import":
            return LearnerRaised(f"The submission could not be imported: {raised}", details)
        return LearnerRaised(f"{function} raised {raised}", details)

    def _request(self, message: dict[str, Any], what: str, seconds: float) -> dict[str, Any]:
        child = self._ensure_loaded()
        if not child.send(message):
            return self._receive(what, 5.0, seconds)
        return self._receive(what, seconds, seconds)

    def _encode(self, value: Any) -> Any:
        if isinstance(value, Ref):
            if value.generation != self.generation:
                raise StepSkipped(
                    f"skipped: the learner process was restarted ({self.last_loss}), "
                    "so the model it held is gone."
                )
            return {"__ref__": value.id}
        if isinstance(value, (list, tuple)):
            return [self._encode(v) for v in value]
        if isinstance(value, dict):
            return {k: self._encode(v) for k, v in value.items()}
        return value

    def _value(self, info: Any) -> Value:
        if not isinstance(info, dict) or not isinstance(info.get("kind"), str):
            raise LearnerRaised(
                "The submission interfered with the grader (malformed description)."
            )
        ref = info.get("ref")
        return Value(
            kind=info["kind"],
            type_name=str(info.get("type", "?")),
            info=info,
            ref=Ref(self.generation, ref) if isinstance(ref, str) else None,
        )

    def call(self, function: str, *args: Any, **kwargs: Any) -> Value:
        """Call the learner's ``function`` with plain arguments or refs."""
        message = {
            "op": "call",
            "function": function,
            "args": self._encode(args),
            "kwargs": self._encode(kwargs),
        }
        reply = self._request(message, function, self.limits.seconds_for(function))
        return self._value(reply.get("value"))

    def run(self, operation: str, **fields: Any) -> Any:
        """Run a generic operation of ``grader/learner/ops`` with plain fields or refs.

        Returns what the operation's scoring-side reader gives: a ``Value`` for
        operations that describe a learner object, else checked plain data.
        """
        op = ops.table()[operation]
        message = {"op": operation, **self._encode(fields)}
        seconds = self.limits.train_seconds if op.seconds == "train" else self.limits.call_seconds
        value = self._request(message, op.naming(fields), seconds).get("value")
        return self._value(value) if op.described else op.read(value)

    def describe(self, ref: Ref) -> Value:
        """Plain data about a learner object now (e.g. a model after training)."""
        return self.run("describe", obj=ref)

    def compute_loss(self, ref: Ref, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        """The loss the learner's compiled model gives for these targets and predictions."""
        return self.run("compute_loss", model=ref, y_true=y_true, y_pred=y_pred)

    def make_model(self, config_json: str, weights: list[np.ndarray]) -> Value:
        """A model of the grader's own making, built in the learner process."""
        return self.run("make_model", config=config_json, weights=list(weights))

    def take_batches(self, ref: Ref, passes: int, batches: int) -> list[list[list[np.ndarray]]]:
        """The first ``batches`` elements of a learner's dataset, in each of ``passes`` passes.

        Each element is its tensors flattened (``(images, labels)`` → two arrays).
        """
        return self.run("take_batches", dataset=ref, passes=passes, batches=batches)

    def map_dataset(self, function: str, arrays: list[np.ndarray], batch_size: int) -> Value:
        """``Dataset.from_tensor_slices(arrays).map(function).batch(batch_size)``, made in the
        learner process with the learner's ``function``."""
        fields = {"function": function, "arrays": list(arrays), "batch_size": batch_size}
        return self.run("map_dataset", **fields)

    def model_output(self, ref: Ref, x: np.ndarray) -> np.ndarray:
        """What the learner's model itself (``model.predict``) gives for inputs ``x``."""
        return self.run("model_output", model=ref, x=x)
