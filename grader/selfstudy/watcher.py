"""Watch mode: re-grade a submission each time it is saved.

Each grading runs in a child process of its own (``python -m grader.selfstudy.watcher``,
``worker()`` below), so that a save in the middle of a run can cancel it: the
watcher sends SIGTERM, the worker kills its learner processes and stops, and
anything still alive a few seconds later is killed with its process group.
The worker grades through the results cache, so saving unchanged code answers
at once.  ``Watcher`` takes a ``view`` that draws what happens; the CLI's view
clears the terminal and redraws the scorecard.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import watchfiles

from grader import __version__, api, lessons
from grader.files import write_atomic
from grader.limits import Limits
from grader.results import CheckResult, RunResult, Status
from grader.selfstudy import cache, store

CANCEL_GRACE_S = 10.0
POLL_MS = 200


@dataclass(frozen=True)
class Changes:
    """What changed between two runs of the same lesson."""

    newly_passed: tuple[CheckResult, ...]
    """Checks that pass now and did not before."""
    newly_broken: tuple[CheckResult, ...]
    """Checks that passed before and do not now."""
    score_before: float
    score_after: float
    moved: tuple[tuple[Status, CheckResult], ...] = ()
    """Checks not passed before nor now whose status changed (e.g. to do → fail), with the old."""


def compare(previous: RunResult, current: RunResult) -> Changes:
    """Checks newly passed, newly broken and otherwise changed from ``previous`` to ``current``."""
    before = {check.id: check.status for check in previous.checks}
    passed = {name for name, status in before.items() if status is Status.PASSED}
    return Changes(
        newly_passed=tuple(c for c in current.checks if c.passed and c.id not in passed),
        newly_broken=tuple(c for c in current.checks if not c.passed and c.id in passed),
        score_before=previous.score,
        score_after=current.score,
        moved=tuple(
            (before[c.id], c)
            for c in current.checks
            if c.id in before and not c.passed and c.id not in passed and before[c.id] != c.status
        ),
    )


class View(Protocol):
    """What the watcher tells as it goes."""

    def grading(self, reason: str) -> None: ...
    def finished(self, result: RunResult, changes: Changes | None) -> None: ...
    def stopped(self) -> None: ...


class Grading:
    """One grading run in a worker process, which can be cancelled."""

    def __init__(self, spec: dict[str, Any]) -> None:
        handle, out = tempfile.mkstemp(prefix="grader-watch-", suffix=".json")
        os.close(handle)
        self.out = Path(out)
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by cleanup())
        path = [str(lessons.SOURCE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "grader.selfstudy.watcher", json.dumps({**spec, "out": out})],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.errors,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the watcher, which cancels this run
        )
        self.spec = spec

    def done(self) -> bool:
        return self.popen.poll() is not None

    def result(self) -> RunResult:
        """The worker's result, or a grader-fault result saying why there is none."""
        try:
            return store.loads(self.out.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, KeyError):
            self.errors.seek(0)
            tail = self.errors.read()[-2000:].decode("utf-8", errors="replace")
            lesson = lessons.get(self.spec["lesson"])
            return RunResult(
                lesson=lesson.id,
                title=lesson.title,
                submission=api.display_name(Path(self.spec["submission"])),
                seed=self.spec["seed"],
                grader_version=__version__,
                fault=f"the watch worker ended with code {self.popen.returncode}:\n{tail}",
            )
        finally:
            self.cleanup()

    def cancel(self) -> None:
        """Stop the run and everything it started; returns once they are gone."""
        if not self.done():
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=CANCEL_GRACE_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self.cleanup()

    def cleanup(self) -> None:
        self.out.unlink(missing_ok=True)
        self.errors.close()


class Watcher:
    """Grades ``submission`` now and after every save, until stopped."""

    def __init__(
        self,
        lesson_id: str,
        submission: Path,
        options: api.Options,
        view: View,
        *,
        use_cache: bool = True,
        record_in: Path | None = None,
    ) -> None:
        self.submission = submission.resolve()
        self.view = view
        limits = options.limits
        self.spec = {
            "lesson": lesson_id,
            "submission": str(submission),
            "seed": options.seed,
            "epochs": options.epochs,
            "limits": dataclasses.asdict(limits) if limits else None,
            "use_cache": use_cache,
            "record_in": str(record_in) if record_in else None,
        }
        self.current: Grading | None = None
        self.previous: RunResult | None = None
        self.started = 0
        """How many runs were started (for tests and the curious)."""
        self.cancelled = 0
        """How many runs a later save cancelled."""

    def _is_submission(self, change: watchfiles.Change, path: str) -> bool:
        return Path(path) == self.submission

    def _start(self, reason: str) -> None:
        if self.current is not None and not self.current.done():
            self.current.cancel()
            self.cancelled += 1
            reason += " (cancelled the run in progress)"
        elif self.current is not None:
            self.current.cleanup()
        self.current = None
        if not self.submission.is_file():
            self.view.grading(f"{reason}: waiting for {self.spec['submission']} to exist")
            return
        self.view.grading(reason)
        self.current = Grading(self.spec)
        self.started += 1

    def _collect(self) -> None:
        if self.current is None or not self.current.done():
            return
        result, self.current = self.current.result(), None
        changes = compare(self.previous, result) if self.previous is not None else None
        self.view.finished(result, changes)
        if result.fault is None:
            self.previous = result

    def run(self, stop: threading.Event | None = None) -> None:
        """Watch until ``stop`` is set or Ctrl-C; always leaves no run behind."""
        self._start("Grading")
        try:
            for changes in watchfiles.watch(
                self.submission.parent,
                watch_filter=self._is_submission,
                stop_event=stop,
                debounce=300,
                rust_timeout=POLL_MS,
                yield_on_timeout=True,
                recursive=False,
            ):
                if changes:
                    self._start("Saved: re-grading")
                self._collect()
        except KeyboardInterrupt:
            pass
        finally:
            if self.current is not None:
                self.current.cancel()
            self.view.stopped()


# The worker: ``python -m grader.selfstudy.watcher SPEC`` grades once and writes the result
# to SPEC's out.

_cancelled = threading.Event()


def _children() -> list[int]:
    """This process's child processes (Linux); an empty list where /proc can't tell."""
    pids: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path("/proc/self/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                pids += [int(pid) for pid in (task / "children").read_text().split()]
    return pids


def _on_sigterm(signum: int, frame: object) -> None:
    """Cancelled: kill the learner processes (each leads its own group), then unwind."""
    _cancelled.set()
    for pid in _children():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    raise KeyboardInterrupt


def worker(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    signal.signal(signal.SIGTERM, _on_sigterm)
    limits = Limits(**spec["limits"]) if spec["limits"] else None
    options = api.Options(seed=spec["seed"], epochs=spec["epochs"], limits=limits)
    try:
        result = cache.grade(
            spec["lesson"], Path(spec["submission"]), options, use_cache=spec["use_cache"]
        )
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if _cancelled.is_set():
        return 130
    if spec["record_in"]:
        cache.record(Path(spec["record_in"]), result)
    write_atomic(Path(spec["out"]), store.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(worker(sys.argv[1:]))
