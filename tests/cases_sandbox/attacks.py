"""A lesson 1 submission that tries to get out of the grader's sandbox (tests/test_sandbox.py).

The test puts ``TARGETS = {...}`` before this text: the paths, port and process
ids to attack.  ``build_model`` tries every attack, leaves a process behind, and
raises ``RuntimeError`` with what happened to each attack as JSON, which the
test reads from the first check's message.  With ``TARGETS["harmless"]`` set
(the unsandboxed comparison run), signals are only probed (signal 0), and
``ptrace`` and filling ``/tmp`` are not tried.
"""

import ctypes
import errno
import json
import os
import resource
import signal
import socket
import sys
import time

TARGETS: dict = globals().get("TARGETS", {})
PR_SET_NAME = 15
PTRACE_ATTACH = 16


def attempt(action):
    try:
        return "succeeded: " + str(action())[:40]
    except BaseException as exc:  # every failure is an answer here
        why = getattr(exc, "strerror", None) or str(exc)
        return f"blocked: {type(exc).__name__}: {why}"[:70]


def read(path):
    with open(path, "rb") as stream:
        return f"{len(stream.read())} bytes"


def write(path, size=16):
    with open(path, "wb") as stream:
        stream.write(b"x" * size)
    return f"wrote {path}"


def fill_tmp(total):
    """Files of half a MiB (under the file size limit) in /tmp, which is memory, up to
    ``total`` bytes in all."""
    if TARGETS.get("harmless"):
        return "not tried"
    chunk = b"x" * (512 * 1024)
    for n in range(total // len(chunk)):
        with open(f"/tmp/fill-{n}", "wb") as stream:
            stream.write(chunk)
    return f"wrote {total} bytes"


def connect():
    with socket.create_connection(("127.0.0.1", TARGETS["port"]), timeout=3) as conn:
        conn.sendall(b"leaked")
    return "connected"


def lift_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
    return resource.getrlimit(resource.RLIMIT_FSIZE)


def send_signal(pid):
    os.kill(pid, 0 if TARGETS.get("harmless") else signal.SIGKILL)
    return f"signalled {pid}"


def trace(pid):
    if TARGETS.get("harmless"):  # attached, the grader would stop until the learner detaches
        return "not tried"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(PTRACE_ATTACH, pid, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), errno.errorcode.get(ctypes.get_errno(), "?"))
    return "attached"


def leave_behind(name):
    """A double-forked process in a session of its own, named ``name`` (``/proc/PID/comm``)."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode(), 0, 0, 0)
            time.sleep(600)
        os._exit(0)
    os.wait()


def attacks():
    grader = TARGETS["grader_pid"]
    return {
        "labels_debian": lambda: read(TARGETS["labels_debian"]),
        "labels_keras": lambda: read(TARGETS["labels_keras"]),
        "labels_data_dir": lambda: read(TARGETS["labels_data_dir"]),
        "signing_key": lambda: read(TARGETS["signing_key"]),
        "other_submission": lambda: read(TARGETS["other_submission"]),
        "solution": lambda: read(TARGETS["solution"]),
        "checks": lambda: read(TARGETS["checks"]),
        "write_outside": lambda: write(TARGETS["outside"]),
        "write_python": lambda: write(os.path.join(sys.prefix, "planted.pth")),
        "tcp": connect,
        "lift_file_size": lift_file_size,
        "write_over_limit": lambda: write("big.bin", TARGETS["big"]),
        "fill_tmp": lambda: fill_tmp(TARGETS["tmp_total"]),
        "kill_grader": lambda: send_signal(grader),
        "kill_parent": lambda: send_signal(os.getppid()),
        "ptrace_grader": lambda: trace(grader),
        "grader_memory": lambda: read(f"/proc/{grader}/mem"),
    }


def build_model():
    outcomes = {name: attempt(action) for name, action in attacks().items()}
    outcomes["uid"] = os.getuid()
    leave_behind(TARGETS["name"])
    raise RuntimeError("ATTACKS" + json.dumps(outcomes, separators=(",", ":")))
