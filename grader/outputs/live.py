"""What a learner watches while grading runs: a spinner, and a bar while training.

In a terminal, a Rich progress display (cleared before the scorecard prints)
shows the epoch, the batches done and the latest loss and metrics of the
learner's ``fit``.  Elsewhere (CI logs, pipes) it prints at most one line per
epoch, and fewer when epochs are quick: one every ``LINE_INTERVAL_S`` seconds
and one for the last epoch.  Events arrive on the learner session's reader
thread; Rich's progress display is thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from grader.grading.progress import TrainingProgress

LINE_INTERVAL_S = 5.0
"""In a log, the least time between two progress lines (the last epoch always prints)."""


def metrics_text(event: TrainingProgress) -> str:
    return "  ".join(f"{name} {value:.4g}" for name, value in event.metrics.items())


class Counted(ProgressColumn):
    """A column drawn only for tasks that count something (not the spinner row)."""

    def __init__(self, column: ProgressColumn) -> None:
        super().__init__()
        self.column = column

    def render(self, task: Task) -> RenderableType:
        return self.column(task) if task.total is not None else Text("")


class LiveGrading:
    """A context manager; ``update`` is the grading run's progress listener."""

    def __init__(
        self, console: Console, lesson: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.console = console
        self.lesson = lesson
        self.clock = clock
        self.lock = threading.Lock()
        self.last_line = -LINE_INTERVAL_S
        self.progress: Progress | None = None
        self.training: TaskID | None = None

    def __enter__(self) -> LiveGrading:
        if self.console.is_terminal:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                Counted(BarColumn()),
                Counted(MofNCompleteColumn()),
                TextColumn("{task.fields[metrics]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.progress.start()
            self.progress.add_task(f"Grading {self.lesson}…", total=None, metrics="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, event: TrainingProgress) -> None:
        with self.lock:
            if self.progress is None:
                self._log_line(event)
            else:
                self._draw(self.progress, event)

    def _log_line(self, event: TrainingProgress) -> None:
        if event.stage != "epoch":
            return
        now = self.clock()
        if event.epoch == event.epochs or now - self.last_line >= LINE_INTERVAL_S:
            self.last_line = now
            self.console.print(f"training · {event.describe()}", highlight=False, markup=False)

    def _draw(self, progress: Progress, event: TrainingProgress) -> None:
        steps = event.steps or 1
        total = (event.epochs or 1) * steps
        if event.stage == "begin" or self.training is None:
            if self.training is not None:
                progress.remove_task(self.training)
            self.training = progress.add_task("training", total=total, metrics="")
        if event.stage == "begin":
            return
        if event.stage == "batch" and event.step is not None:
            done = (event.epoch - 1) * steps + (event.step if event.steps else 0)
        else:
            done = event.epoch * steps
        of = f"/{event.epochs}" if event.epochs else ""
        progress.update(
            self.training,
            total=total,
            completed=min(done, total),
            description=f"training · epoch {event.epoch}{of}",
            metrics=metrics_text(event),
        )
