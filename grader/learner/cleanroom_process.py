"""The clean room as an operating-system process: start it, ask it, kill it.

``RoomProcess`` runs ``cleanroom_main`` as ``python -I`` in a fresh working
folder with a scrubbed environment and its own session (so a call that runs
over is ended with its whole process group), inside the sandbox when one is
available.  It never raises for what a file does to that process: a time-out,
a crash of a loader or a garbled reply is a ``problem`` like any other, and the
next call starts a fresh process.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from grader.learner import confine, sandbox, wire
from grader.learner.process import GRADER_ROOT, OutputBuffer, child_environment
from grader.limits import GiB, Limits

BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from grader.learner import cleanroom_main; "
    "del sys.path[0]; cleanroom_main.main(sys.argv[2:])"
)
LIMITS = Limits(file_size_bytes=64 * 1024 * 1024, memory_bytes=4 * GiB)
"""The clean room writes nothing of its own: a small file-size limit."""


def environment(workdir: str) -> dict[str, str]:
    """The learner's scrubbed environment, without the mark of a learner process."""
    env = child_environment(workdir)
    env.pop(confine.MARKER[0], None)
    return env


class RoomProcess:
    """One clean room process at a time, started on demand."""

    def __init__(
        self,
        inbox: Path,
        call_seconds: float,
        start_seconds: float,
        sandboxed: bool,
        preload: str = "keras",
    ) -> None:
        self.inbox = inbox
        self.preload = preload
        self.sandboxed = sandboxed
        self.call_seconds = call_seconds
        self.start_seconds = start_seconds
        self.popen: subprocess.Popen[bytes] | None = None
        self.replies: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.output = OutputBuffer(64 * 1024)
        self.ready = False
        self.workdir: str | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        if self.popen is not None:
            return
        self.workdir = tempfile.mkdtemp(prefix="grader-cleanroom-run-")
        self.replies = queue.Queue()
        self.ready = False
        output_read, output_write = os.pipe()
        self.popen = subprocess.Popen(
            self._command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=output_write,
            cwd=self.workdir,
            env=environment(self.workdir),
            start_new_session=True,
            preexec_fn=confine.preexec(LIMITS),
        )
        os.close(output_write)
        threading.Thread(target=self.output.drain, args=(output_read,), daemon=True).start()
        threading.Thread(target=self._read, args=(self.popen, self.replies), daemon=True).start()

    def _command(self) -> list[str]:
        """``cleanroom_main`` seeing only the copies (read-only) and its working folder."""
        if not self.sandboxed:
            return [
                sys.executable,
                "-I",
                "-u",
                "-c",
                BOOT,
                GRADER_ROOT,
                self.preload,
                str(self.inbox),
            ]
        return sandbox.module_command(
            "grader.learner.cleanroom_main",
            [self.preload, str(self.inbox)],
            read_only=[self.inbox],
            writable=[Path(str(self.workdir))],
        )

    @staticmethod
    def _read(popen: subprocess.Popen[bytes], replies: queue.Queue[tuple[str, Any]]) -> None:
        assert popen.stdout is not None
        while True:
            try:
                replies.put(("reply", wire.read(popen.stdout)))
            except EOFError:
                replies.put(("ended", None))
                return
            except (wire.WireError, ValueError, OSError) as exc:
                replies.put(("garbled", str(exc)))
                return

    def _receive(self, seconds: float) -> tuple[str, Any]:
        try:
            return self.replies.get(timeout=seconds)
        except queue.Empty:
            return ("timeout", None)

    def _failed(self, kind: str, seconds: float) -> dict[str, Any]:
        """The problem for a process that did not answer; the process is ended."""
        code = self.popen.poll() if self.popen is not None else None
        self.kill()
        if kind == "timeout":
            why = f"opening it took longer than {seconds:g} s, and the grader stopped it"
        elif code is not None and self.sandboxed and code > 128:  # bwrap: 128 + signal
            why = f"the loader crashed on it ({signal.Signals(code - 128).name})"
        elif code is not None and code < 0:
            why = f"the loader crashed on it ({signal.Signals(-code).name})"
        elif kind == "garbled":
            why = "the process opening it sent a garbled reply"
        else:
            why = f"the process opening it ended (exit code {code})"
        return {"ok": False, "problem": why}

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its reply: ``{"ok": True, "value": …}`` or
        ``{"ok": False, "problem": "…"}``."""
        with self.lock:
            if self.popen is not None and self.popen.poll() is not None:
                self.kill()  # it died between calls (killed from outside): start afresh
            self.start()
            assert self.popen is not None and self.popen.stdin is not None
            if not self.ready:
                kind, reply = self._receive(self.start_seconds)
                if kind != "reply":
                    return self._failed(kind, self.start_seconds)
                self.ready = True
            try:
                self.popen.stdin.write(wire.dumps(request))
                self.popen.stdin.flush()
            except OSError:
                return self._failed("ended", self.call_seconds)
            kind, reply = self._receive(self.call_seconds)
            if kind != "reply":
                return self._failed(kind, self.call_seconds)
            well_formed = isinstance(reply, dict) and isinstance(reply.get("ok"), bool)
            if not well_formed or (not reply["ok"] and not isinstance(reply.get("problem"), str)):
                return self._failed("garbled", self.call_seconds)
            return reply

    def kill(self) -> None:
        """End the process and everything it started; the next request starts another."""
        popen, self.popen = self.popen, None
        if popen is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()
            for stream in (popen.stdin, popen.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def close(self) -> None:
        with self.lock:
            self.kill()
