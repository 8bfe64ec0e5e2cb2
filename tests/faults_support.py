"""Helpers shared by the fault-table tests (test_faults*.py).

Learner-code snippets to splice into the lesson 1 reference, a completeness check on
each result, and bookkeeping for the processes a submission starts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path

from grader.outputs import json_report
from grader.results import RunResult
from tests.conftest import LESSON1_CHECKS

CHECK_IDS = list(LESSON1_CHECKS)


def complete(result: RunResult) -> RunResult:
    """The result has every check with a status, and renders as valid JSON."""
    assert [c.id for c in result.checks] == CHECK_IDS
    data = json.loads(json.dumps(json_report.to_dict(result)))
    assert [c["status"] for c in data["checks"]] == [c.status.value for c in result.checks]
    return result


def pids_in(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def note_pid(path: Path) -> str:
    """Source for a line that appends the running process's id to ``path``."""
    flags = "os.O_WRONLY | os.O_APPEND | os.O_CREAT"
    return f"os.write(os.open({str(path)!r}, {flags}), b'%d\\n' % os.getpid())"


def survivors(pids: list[int]) -> list[int]:
    """Those of ``pids`` still alive (or not yet reaped)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def kill_all(pids: list[int]) -> None:
    """Clean up after a test whose protection failed, so nothing outlives it."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def in_build_model(*lines: str) -> tuple[str, str]:
    """A replacement that runs ``lines`` at the start of ``build_model``."""
    body = "".join(f"    {line}\n" for line in lines)
    start = "    model = keras.Sequential("
    return (start, "    import os, sys, time\n" + body + start)


def in_train(*lines: str) -> tuple[str, str]:
    """A replacement that runs ``lines`` in ``train`` before it fits."""
    body = "".join(f"    {line}\n" for line in lines)
    return ("    return model.fit(", "    import os, sys, time\n" + body + "    return model.fit(")
