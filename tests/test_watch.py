"""Watch mode, driven for real: a real watcher, real file saves, real processes to cancel."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import pty
import re
import select
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from grader import api, cli
from grader.commands.watch import ChangesView
from grader.results import CheckResult, RunResult, Status
from grader.selfstudy.watcher import Grading, Watcher, compare
from tests.conftest import ROOT, variant
from tests.test_cache import STUBS

SLOW_IMPORT = "import time\ntime.sleep(150)\n" + STUBS
"""A submission whose import takes longer than any test waits: its run must be cancelled."""
WAIT_S = 240.0
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class RecordingView:
    """Keeps what the watcher tells, and lets a test wait for it."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.changed = threading.Condition()

    def _add(self, *event: object) -> None:
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    def grading(self, reason: str) -> None:
        self._add("grading", reason)

    def finished(self, result, changes) -> None:
        self._add("finished", result, changes)

    def stopped(self) -> None:
        self._add("stopped")

    def wait_for(self, kind: str, count: int = 1, timeout: float = WAIT_S) -> list[tuple]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.of(kind)) >= count, timeout)
            found = self.of(kind)
        assert len(found) >= count, f"waited {timeout} s for {count} {kind!r}: {self.events}"
        return found

    def of(self, kind: str) -> list[tuple]:
        return [event for event in self.events if event[0] == kind]


def children(pid: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            pids += [int(child) for child in (task / "children").read_text().split()]
    return pids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text.encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def wait_until(condition, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def watching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Start a ``Watcher`` on ``tmp_path/lesson1.py`` in a thread; stops it afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(source: str, epochs: int = 3) -> tuple[Watcher, RecordingView, Path]:
        submission = tmp_path / "lesson1.py"
        submission.write_text(source)
        view = RecordingView()
        options = api.Options(epochs=epochs)
        watcher = Watcher("lesson1", submission, options, view, use_cache=False)
        thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
        thread.start()
        threads.append(thread)
        return watcher, view, submission

    yield start, stop
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "the watcher did not stop"


def verdict(check_id: str, passed: bool) -> CheckResult:
    status = Status.PASSED if passed else Status.FAILED
    return CheckResult(check_id, check_id, status, float(passed), 1.0)


def test_compare_names_checks_newly_passed_and_newly_broken() -> None:
    before = RunResult(
        "lesson1", "t", "s.py", 1, "0", checks=(verdict("a", True), verdict("b", False))
    )
    after = RunResult(
        "lesson1", "t", "s.py", 1, "0", checks=(verdict("a", False), verdict("b", True))
    )
    changes = compare(before, after)
    assert [c.id for c in changes.newly_passed] == ["b"]
    assert [c.id for c in changes.newly_broken] == ["a"]
    same = compare(before, before)
    assert not same.newly_passed and not same.newly_broken and same.score_after == 1.0
    assert not same.moved
    stub = CheckResult("b", "b", Status.NOT_ATTEMPTED, 0.0, 1.0)
    started = compare(dataclasses.replace(before, checks=(stub,)), before)
    assert [(was, c.id) for was, c in started.moved] == [(Status.NOT_ATTEMPTED, "b")]
    text = io.StringIO()
    Console(file=text, width=100, color_system=None).print(ChangesView(started))
    assert "✘ fail (was ○ to do)  b" in text.getvalue()


def test_each_save_is_graded_and_compared_with_the_run_before(watching) -> None:
    start, _ = watching
    model = variant(("keras.optimizers.Adam(learning_rate=0.1)", "'sgd'"))
    watcher, view, submission = start(model)
    first = view.wait_for("finished")[0][1]
    assert first.fault is None, first.fault
    passing = {check.id for check in first.checks if check.passed}
    assert "returns_a_model" in passing
    submission.write_text(STUBS)
    _, second, changes = view.wait_for("finished", 2)[1]
    assert second.not_started and changes is not None
    assert {check.id for check in changes.newly_broken} == passing
    assert not changes.newly_passed and changes.score_after == 0
    assert watcher.started == 2 and watcher.cancelled == 0


def test_a_save_during_a_run_cancels_it_and_leaves_no_process(watching) -> None:
    start, _ = watching
    watcher, view, submission = start(SLOW_IMPORT)
    wait_until(lambda: watcher.current is not None and children(watcher.current.popen.pid))
    worker = watcher.current.popen.pid
    learners = children(worker)
    submission.write_text(STUBS)
    finished = view.wait_for("finished")
    assert watcher.cancelled == 1 and len(finished) == 1, "the cancelled run reports nothing"
    assert finished[0][1].not_started, "the run after the save graded the new content"
    assert not alive(worker) and not any(alive(pid) for pid in learners)
    assert any("cancelled the run in progress" in e[1] for e in view.of("grading"))


def test_stopping_while_a_run_is_in_progress_kills_it(watching) -> None:
    start, stop = watching
    watcher, view, _ = start(SLOW_IMPORT)
    wait_until(lambda: watcher.current is not None and children(watcher.current.popen.pid))
    worker = watcher.current.popen.pid
    learners = children(worker)
    stop.set()
    view.wait_for("stopped", timeout=60)
    assert not view.of("finished")
    assert not alive(worker) and not any(alive(pid) for pid in learners)


def test_watch_in_a_terminal_redraws_and_quits_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    submission = tmp_path / "lesson1.py"
    submission.write_text(STUBS)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the watch command with a terminal of its own
        os.chdir(tmp_path)
        os.environ.update(
            NO_COLOR="1", COLUMNS="100", PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path)
        )
        args = ["watch", "lesson1", "--submission", str(submission), "--epochs", "3"]
        os.execv(sys.executable, [sys.executable, "-m", "grader", *args])
    output = b""

    def read_until(marker: bytes, timeout: float = WAIT_S) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while marker not in output:
            assert time.monotonic() < deadline, output.decode(errors="replace")
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    return

    read_until(b"Ctrl-C to stop")
    assert b"\x1b[2J" in output, "the screen is cleared before the scorecard is drawn"
    plain = ESCAPES.sub(b"", output)
    assert b"Not started" in plain and b"Score 0/10" in plain
    os.kill(pid, signal.SIGINT)
    read_until(b"Stopped watching.", timeout=60)
    _, code = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(code) == 0
    wait_until(lambda: not processes_mentioning(str(submission)), timeout=30)


def test_a_worker_that_cannot_grade_gives_a_grader_fault_not_a_score(tmp_path: Path) -> None:
    missing = tmp_path / "gone.py"
    spec = {
        "lesson": "lesson1",
        "submission": str(missing),
        "seed": 1,
        "epochs": 3,
        "limits": None,
        "use_cache": False,
        "record_in": None,
    }
    grading = Grading(spec)
    wait_until(grading.done, timeout=120)
    result = grading.result()
    assert result.fault is not None and "no submission file" in result.fault
    assert result.status.value == "error" and not result.checks


def test_watch_usage_errors_exit_2(tmp_path: Path) -> None:
    assert cli.main(["watch", "lesson99"]) == 2
    assert cli.main(["watch", "lesson1", "--submission", str(tmp_path / "nope.py")]) == 2
    assert cli.main(["watch", "lesson1", "--epochs", "0"]) == 2
