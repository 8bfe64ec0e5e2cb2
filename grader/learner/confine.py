"""Keeping the learner's processes inside their limits, and leaving none behind.

On Linux the scoring process makes itself a *child subreaper*: a process the
learner's code starts and then abandons (a double fork, a ``setsid`` daemon) is
reparented to the scoring process instead of to init, so it can always be
found and killed.  The learner's processes are found through ``/proc``: the
learner process, its descendants, and every *stray* — a child of the scoring
process, in another session, that was seen in a learner's tree before or that
carries the learner environment's marker (``MARKER``).  Other children of the
scoring process (a Jupyter kernel, a batch worker) are never touched.  A stray
that both escapes within one watch interval and replaces its environment
(``execve`` with a clean one) is not found: a gap that only a cgroup would close.

The learner process starts (``preexec``) with a file size limit
(``RLIMIT_FSIZE``, ``SIGXFSZ`` ignored so that an over-long write raises
``OSError`` in learner code), dies with the scoring process
(``PR_SET_PDEATHSIG``) and, where the platform allows (root on Linux), runs in
a network namespace of its own, with no network.  Memory and process count are
watched from the scoring side (``over_limits``): ``RLIMIT_AS`` breaks
TensorFlow, and ``RLIMIT_NPROC`` neither binds root nor counts per process tree.

A sandboxed learner process (``sandbox.py``) starts as ``bwrap``, which gets the
same limits and passes them on: inside, without privilege, they cannot be
raised.  There its orphans go to the sandbox's own init, not to this process,
and die with the PID namespace when the sandbox ends; the walk from the
learner process down still finds every one of them while it runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from grader.limits import Limits, format_size

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
CLONE_NEWNET = 0x40000000
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MAX_TREE = 10_000
MARKER = ("GRADER_LEARNER_PROCESS", "1")
"""Set in the learner process's environment; what its abandoned descendants are known by."""
LINUX = sys.platform.startswith("linux")

_libc = ctypes.CDLL(None, use_errno=True) if LINUX else None
_roots: set[int] = set()
_lock = threading.Lock()
_subreaper = False
_seen: dict[int, str] = {}
"""Learner processes seen in a tree: pid → start time (a pid can be reused)."""


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); once."""
    global _subreaper
    with _lock:
        if not _subreaper and _libc is not None:
            _subreaper = _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        return _subreaper


def register(pid: int) -> None:
    """``pid`` is a learner process this process started (not a stray)."""
    with _lock:
        _roots.add(pid)


def unregister(pid: int) -> None:
    with _lock:
        _roots.discard(pid)


def preexec(limits: Limits) -> Callable[[], None]:
    """What the learner process does between fork and exec: its limits and namespace."""
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    size = (
        limits.file_size_bytes
        if hard == resource.RLIM_INFINITY
        else min(limits.file_size_bytes, hard)
    )  # a limit the grader was started under cannot be raised here

    def confine() -> None:  # an exception here would stop the learner process starting
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # Python ignores it too
        if _libc is not None:
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            _libc.unshare(CLONE_NEWNET)  # fails without privilege: then the network stays

    return confine


def _stat(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` from the state on: state, ppid, pgrp, session, …"""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.scandir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                found += [int(c) for c in Path(task.path, "children").read_text().split()]
    return found


def _marked(pid: int) -> bool:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return "=".join(MARKER).encode() in environ


def strays() -> list[int]:
    """Learner processes orphaned and reparented to this one (it is their subreaper)."""
    session = os.getsid(0)
    with _lock:
        roots, seen = set(_roots), dict(_seen)
    found = []
    for pid in _children(os.getpid()):
        fields = _stat(pid)
        if fields is None or pid in roots or int(fields[3]) == session:
            continue
        if seen.get(pid) == fields[19] or _marked(pid):
            found.append(pid)
    return found


def tree(root: int | None) -> list[int]:
    """The learner process ``root``, its descendants, and the strays with theirs."""
    queue = ([root] if root is not None else []) + strays()
    seen: list[int] = []
    while queue and len(seen) < MAX_TREE:
        pid = queue.pop()
        if pid not in seen:
            seen.append(pid)
            queue += _children(pid)
    started = {pid: fields[19] for pid in seen if (fields := _stat(pid)) is not None}
    with _lock:
        _seen.update(started)
    return seen


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _reap_strays() -> int:
    """Collect the exit status of dead strays; how many are left."""
    left = 0
    for pid in strays():
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        left += done == 0
        if done:
            with _lock:
                _seen.pop(pid, None)
    return left


def kill_tree(root: int | None, seconds: float = 10.0) -> None:
    """SIGKILL ``root``'s tree and every stray until none is left, then reap the strays."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        living = [pid for pid in tree(root) if _alive(pid)]
        for pid in living:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not living and not _reap_strays():
            break
        time.sleep(0.02)
    with _lock:  # forget the processes that are gone, so the table does not grow
        for pid in [pid for pid in _seen if not os.path.exists(f"/proc/{pid}")]:
            del _seen[pid]


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """Proportional memory: pages shared after a fork count once in all."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return _rss(pid)


def over_limits(pids: list[int], limits: Limits) -> str | None:
    """What limit ``pids`` together break, in words, or ``None``."""
    living = [pid for pid in pids if _alive(pid)]
    if len(living) > limits.processes:
        return f"started more than {limits.processes} processes"
    memory = limits.memory_bytes
    # Resident sizes count memory shared after a fork in every process: cheap, an
    # upper bound; only past the limit is the exact proportional figure read.
    if sum(_rss(pid) for pid in living) > memory and sum(_pss(p) for p in living) > memory:
        return f"used more than {format_size(memory)} of memory"
    return None
