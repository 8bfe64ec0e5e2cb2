"""Training progress, reported from the learner process while ``fit`` runs.

Runs in the learner process (like ``child.py``).  Before the submission is
imported, ``keras.Model.fit`` is wrapped so that every fit gets one more
callback; it sends small ``progress`` events on the reply channel: when
training begins, at most a few times a second during an epoch, at the end of
every epoch, and when training ends.  Whatever the learner passes as
``verbose`` or ``callbacks`` is kept as it is.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from collections.abc import Callable
from typing import Any

import keras

EVENT = "progress"
BATCH_INTERVAL_S = 0.25
"""The least time between two mid-epoch events."""
MAX_METRICS = 8
CALLBACKS_POSITION = 5
"""Index of ``callbacks`` among ``fit``'s positional parameters, after ``self``."""

Send = Callable[[dict[str, Any]], None]


def _metrics(logs: Any) -> dict[str, float]:
    if not isinstance(logs, dict):
        return {}
    numbers = {}
    for name, value in list(logs.items())[:MAX_METRICS]:
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            numbers[str(name)] = number
    return numbers


class ProgressReporter(keras.callbacks.Callback):
    """Sends what a progress bar needs: epoch k/n, batch j/m, loss and metrics."""

    async_safe = True  # it only sends, under the sender's lock

    def __init__(self, send: Send, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._send = send
        self._clock = clock
        self._epoch = 0
        self._last_batch_event = 0.0

    def _emit(self, stage: str, step: int | None = None, logs: Any = None) -> None:
        params = self.params or {}
        event = {
            "event": EVENT,
            "stage": stage,
            "epoch": self._epoch,
            "epochs": params.get("epochs"),
            "step": step,
            "steps": params.get("steps"),
            "metrics": _metrics(logs),
        }
        with contextlib.suppress(OSError, ValueError):  # for show: training goes on without it
            self._send(event)

    def on_train_begin(self, logs: Any = None) -> None:
        self._emit("begin")

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._epoch = epoch + 1
        self._last_batch_event = self._clock()

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        now = self._clock()
        if now - self._last_batch_event >= BATCH_INTERVAL_S:
            self._last_batch_event = now
            self._emit("batch", batch + 1, logs)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self._emit("epoch", (self.params or {}).get("steps"), logs)

    def on_train_end(self, logs: Any = None) -> None:
        self._emit("end", None, logs)


def install(send: Send) -> None:
    """Give every ``fit`` in this process a ``ProgressReporter`` that uses ``send``."""
    original = keras.Model.fit
    if getattr(original, "_grader_reports_progress", False):
        return

    @functools.wraps(original)
    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        reporter = ProgressReporter(send)
        if len(args) > CALLBACKS_POSITION:
            args = list(args)
            args[CALLBACKS_POSITION] = [*(args[CALLBACKS_POSITION] or []), reporter]
        else:
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), reporter]
        return original(self, *args, **kwargs)

    fit._grader_reports_progress = True  # type: ignore[attr-defined]
    keras.Model.fit = fit
