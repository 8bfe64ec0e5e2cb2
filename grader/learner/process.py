"""The learner process as an operating-system process: start, talk, kill.

``ChildProcess`` starts ``python -I`` on ``child.py`` in its own session (so its
whole process group can be killed), in a fresh working directory with a
scrubbed environment, and carries messages over two pipes of its own.  What
the learner prints goes to a third pipe, drained into a capped buffer.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.learner import confine, sandbox, wire
from grader.limits import Limits

GRADER_ROOT = str(Path(__file__).resolve().parents[2])
BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from grader.learner import child; "
    "del sys.path[0]; child.main(sys.argv[2:])"
)
PYTHON = (sys.executable, "-I", "-u", "-c")
"""Isolated mode (no user site, no PYTHON* variables, no script folder on the path) and
unbuffered output, so that what the learner printed is in the pipe when the process ends."""
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
WATCH_SECONDS = 0.1
"""How often the learner's memory and process count are measured."""
# TensorFlow's start-up chatter (absl log lines), which is not the learner's output.
TF_NOISE = re.compile(
    rb"^(?:[IWEF]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\] .*"
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called .*)\n",
    re.MULTILINE,
)


def child_environment(workdir: str) -> dict[str, str]:
    """A scrubbed environment: nothing from the grader's own (tokens, CI secrets)."""
    return {
        "PATH": SAFE_PATH,
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "KERAS_BACKEND": "tensorflow",
        "KERAS_HOME": os.path.join(workdir, ".keras"),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "CUDA_VISIBLE_DEVICES": "-1",
        "MPLBACKEND": "Agg",
        confine.MARKER[0]: confine.MARKER[1],
    }


class OutputBuffer:
    """The learner's stdout and stderr, kept up to a limit and counted past it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0
        self.lock = threading.Lock()

    def drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                with self.lock:
                    room = max(0, self.limit - len(self.kept))
                    self.kept += chunk[:room]
                    self.dropped += len(chunk) - min(room, len(chunk))

    def text(self) -> str:
        with self.lock:
            text = TF_NOISE.sub(b"", bytes(self.kept)).decode("utf-8", errors="replace")
            dropped = self.dropped
        if dropped:
            text += f"\n… truncated: {dropped} more bytes of output not kept"
        return text


class ChildProcess:
    """One run of ``python -I`` with the learner's module loaded; ``sandboxed``, under
    bubblewrap (``sandbox.py``: the caller has checked that it works here)."""

    def __init__(
        self,
        start: dict[str, Any],
        output: OutputBuffer,
        on_event: Callable[[dict[str, Any]], None] | None = None,
        limits: Limits | None = None,
        sandboxed: bool = False,
    ) -> None:
        self.on_event = on_event
        self.sandboxed = sandboxed
        self.limits = limits or Limits()
        self.stopped: str | None = None
        """Which limit the grader stopped the process for, in words (``used more than …``)."""
        self.lock = threading.Lock()
        self.finished = threading.Event()
        confine.become_subreaper()
        self.workdir = tempfile.mkdtemp(prefix="grader-learner-")
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        output_read, output_write = os.pipe()
        argv, home, start = self._command(start, [str(request_read), str(reply_write)])
        self.home = home  # the learner's writable folder, as the scoring process sees it
        self.popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output_write,
            stderr=output_write,
            pass_fds=(request_read, reply_write),
            cwd=home,
            env=child_environment(str(home)),
            start_new_session=True,
            preexec_fn=confine.preexec(self.limits),
        )
        confine.register(self.popen.pid)
        for fd in (request_read, reply_write, output_write):
            os.close(fd)
        self.requests = os.fdopen(request_write, "wb")
        self.replies: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._start_threads(output, output_read, reply_read)
        self.send(start)

    def _start_threads(self, output: OutputBuffer, output_read: int, reply_read: int) -> None:
        """Drain the output, read replies, watch the limits: each in a thread of its own."""
        self.threads = [
            threading.Thread(target=output.drain, args=(output_read,), daemon=True),
            threading.Thread(target=self._read_replies, args=(reply_read,), daemon=True),
            threading.Thread(target=self._watch, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def _command(
        self, start: dict[str, Any], fds: list[str]
    ) -> tuple[list[str], Path, dict[str, Any]]:
        """The command line, the learner's home folder, and the start message.

        Sandboxed, the home is a folder of its own and the submission a copy beside
        it, bound read-only: the only folders of the host the learner process sees.
        """
        if not self.sandboxed:
            return [*PYTHON, BOOT, GRADER_ROOT, *fds], Path(self.workdir), start
        home, folder = Path(self.workdir, "home"), Path(self.workdir, "submission")
        home.mkdir()
        folder.mkdir()
        copy = folder / Path(start["submission"]).name
        shutil.copyfile(start["submission"], copy)
        python = [*PYTHON, BOOT, sandbox.PACKAGE_ROOT, *fds]
        # /tmp is memory: capped at the memory limit, which the watcher sees no tmpfs in
        argv = sandbox.wrap(
            python, read_only=[folder], writable=[home], tmp_bytes=self.limits.memory_bytes
        )
        return argv, home, {**start, "submission": str(copy)}

    def _read_replies(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            while True:
                try:
                    message = wire.read(stream)
                except EOFError:
                    self.replies.put(("ended", None))
                    return
                except (wire.WireError, ValueError, OSError) as exc:
                    self.replies.put(("garbled", str(exc)))
                    return
                if isinstance(message, dict) and "event" in message:
                    self._event(message)
                else:
                    self.replies.put(("reply", message))

    def _event(self, message: dict[str, Any]) -> None:
        """Hand a progress event to the listener; a failing listener costs only the display."""
        if self.on_event is not None:
            with contextlib.suppress(Exception):
                self.on_event(message)

    def send(self, message: dict[str, Any]) -> bool:
        """Send a request; ``False`` if the child has already gone."""
        try:
            wire.write(self.requests, message)
        except (BrokenPipeError, OSError):
            return False
        return True

    def receive(self, seconds: float) -> tuple[str, Any]:
        """The next reply, ``("timeout", None)`` once ``seconds`` have passed, or
        ``("ended", None)`` when the learner process has gone — even if a process it
        left behind still holds the reply pipe open."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            with contextlib.suppress(queue.Empty):
                return self.replies.get(timeout=min(max(left, 0.0), WATCH_SECONDS * 2))
            if self.popen.poll() is not None:
                try:  # a last reply may still be on its way
                    return self.replies.get(timeout=1.0)
                except queue.Empty:
                    return ("ended", None)
            if left <= 0:
                return ("timeout", None)

    def ending(self) -> str:
        """How the process ended, in words, waiting briefly for it."""
        try:
            code = self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "stopped answering the grader"
        if self.sandboxed and code > 128:  # bwrap exits 128 + N for a child killed by N
            with contextlib.suppress(ValueError):
                code = -signal.Signals(code - 128)
        if code < 0:
            name = signal.Signals(-code).name
            return f"was killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
        return f"exit code {code}"

    def _root(self) -> int | None:
        """The learner process's pid while it is not yet collected (a pid can be reused)."""
        return self.popen.pid if self.popen.returncode is None else None

    def _watch(self) -> None:
        """Stop the learner's processes when together they break a limit (memory, count)."""
        while not self.finished.wait(WATCH_SECONDS):
            broken = confine.over_limits(confine.tree(self._root()), self.limits)
            if broken is not None:
                self.stopped = broken
                self.kill()

    def kill(self) -> None:
        """Kill the process group and every process the learner started; collect them."""
        with self.lock:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            confine.kill_tree(self._root())
            self.popen.wait()
            # Processes the learner started are handed to this process (a subreaper)
            # only as it dies, which the walk above can miss: look again now.
            confine.kill_tree(None)
            confine.unregister(self.popen.pid)
            self.finished.set()

    def close(self) -> None:
        """End the learner process at once: nothing in it is worth a graceful exit.

        Its output is unbuffered (``-u``), so what it printed is already in the
        pipe; letting a process with TensorFlow loaded shut down by itself takes
        most of a second, for nothing.
        """
        with contextlib.suppress(OSError):
            self.requests.close()
        self.kill()
        for thread in self.threads:
            thread.join(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)
