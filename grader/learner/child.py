"""The learner process: imports the submission and answers the grader's requests.

This module (with ``describe``, ``reporting`` and ``cells`` beside it) is the only
grader code that shares a process with learner code.
It is started as ``python -I`` in a fresh working directory with a scrubbed
environment (see ``session.py``).  It reads requests from one pipe and writes
replies to another; the learner's stdout and stderr go elsewhere, so nothing
the learner prints can pass for a reply.  Every value sent back is described
as plain data: JSON values and numeric numpy arrays, never pickles.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from grader.learner import cells, ops, wire
from grader.learner.describe import MAX_TEXT, Store, describe, safe_repr


class Child:
    """Answers requests for one submission."""

    def __init__(self, start: dict[str, Any], send: Callable[[dict[str, Any]], None]) -> None:
        self.send = send
        self.path: str = start["submission"]
        self.display: str = start["display"]
        self.seed: int = start["seed"]
        self.lines = cells.LineMap(start.get("line_map"))
        self.store = Store()
        self.module: Any = None

    def learner_traceback(self, exc: BaseException) -> str:
        """The traceback cut to the learner's own frames, with their file name."""
        frames = traceback.extract_tb(exc.__traceback__)
        own = [f for f in frames if f.filename == self.path and self.lines.where(f.lineno)]
        lines = [
            f'  File "{self.display}", {self.lines.where(f.lineno)}, in {f.name}\n    {f.line}'
            for f in own
        ]
        if frames and frames[-1].filename != self.path and not isinstance(exc, SyntaxError):
            where = frames[-1].filename
            where = where.split("site-packages/")[-1] if "site-packages/" in where else where
            lines.append(f"  (raised inside {where}, line {frames[-1].lineno})")
        last = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        lines.append(self.lines.relabel(last, self.path, self.display))
        return "\n".join(lines)

    def failure(self, exc: BaseException, function: str) -> dict[str, Any]:
        if isinstance(exc, SystemExit):
            kind = "exit"
        elif isinstance(exc, NotImplementedError):
            kind = "not_implemented"
        else:
            kind = "exception"
        return {
            "ok": False,
            "function": function,
            "kind": kind,
            "type": type(exc).__name__,
            "message": safe_repr(exc.code) if isinstance(exc, SystemExit) else str(exc)[:MAX_TEXT],
            "traceback": self.learner_traceback(exc),
        }

    def load(self) -> dict[str, Any]:
        try:
            import keras  # start TensorFlow before any learner code runs
        except BaseException as exc:
            return {
                "ok": False,
                "function": "import",
                "kind": "environment",
                "type": type(exc).__name__,
                "message": str(exc)[:MAX_TEXT],
                "traceback": "",
            }

        from grader.learner import reporting

        reporting.install(self.send)
        spec = importlib.util.spec_from_file_location("submission", self.path)
        if spec is None or spec.loader is None:
            return {
                "ok": False,
                "function": "import",
                "kind": "exception",
                "type": "ImportError",
                "message": "not a Python module",
                "traceback": "",
            }
        module = importlib.util.module_from_spec(spec)
        sys.modules["submission"] = module
        notes: list[str] = []
        try:
            if self.lines:  # generated from notebook cells: run cell by cell
                notes = self.lines.run(module, self.path)
            else:
                spec.loader.exec_module(module)
        except BaseException as exc:
            return self.failure(exc, "import")
        self.module = module
        keras.utils.set_random_seed(self.seed)
        functions = sorted(n for n, v in vars(module).items() if callable(v))
        return {"ok": True, "functions": functions, "notes": notes}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one request: a call of a learner function, or an operation of ``ops``."""
        name = request.pop("op")
        if name == "call":
            return self.call(request["function"], request["args"], request["kwargs"])
        op = ops.table().get(name)
        if op is None:
            raise ValueError(f"unknown request {name!r}")
        fields = self.store.resolve(request)
        try:
            return {"ok": True, "value": op.run(self, **fields)}
        except MissingFunction as missing:
            return missing.reply
        except BaseException as exc:
            return self.failure(exc, op.naming(request))

    def function(self, name: str) -> Callable[..., Any]:
        """The learner's function ``name``; ``MissingFunction`` when the module has none."""
        function = getattr(self.module, name, None)
        if not callable(function):
            raise MissingFunction(missing_reply(name))
        return function

    def call(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        function = getattr(self.module, name, None)
        if not callable(function):
            return missing_reply(name)
        args, kwargs = self.store.resolve(args), self.store.resolve(kwargs)
        mismatch = signature_mismatch(function, name, args, kwargs)
        if mismatch is not None:
            return {
                "ok": False,
                "function": name,
                "kind": "signature",
                "type": "TypeError",
                "message": mismatch,
                "traceback": "",
            }
        try:
            value = function(*args, **kwargs)
        except BaseException as exc:
            return self.failure(exc, name)
        return {"ok": True, "value": describe(value, self.store)}


class MissingFunction(Exception):
    """The request names a learner function the submission does not define."""

    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(reply["message"])
        self.reply = reply


def missing_reply(name: str) -> dict[str, Any]:
    return {
        "ok": False,
        "function": name,
        "kind": "missing",
        "type": "AttributeError",
        "message": f"the submission defines no function {name}()",
        "traceback": "",
    }


def signature_mismatch(
    function: Any, name: str, args: list[Any], kwargs: dict[str, Any]
) -> str | None:
    """Why the grader's call cannot fit the learner's definition, or ``None`` if it can."""
    try:
        signature = inspect.signature(function)
    except Exception:
        return None  # not introspectable: the call itself will tell
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        call = ", ".join(["…"] * len(args) + [f"{key}=…" for key in kwargs])
        return (
            f"{name} is defined as {name}{signature}, but the grader calls it as "
            f"{name}({call}): {exc}. Keep the parameters the exercise file gives {name}."
        )
    return None


def main(argv: list[str]) -> None:
    requests = os.fdopen(int(argv[0]), "rb")
    replies = os.fdopen(int(argv[1]), "wb")
    lock = threading.Lock()  # progress events may come from Keras' callback threads

    def send(message: dict[str, Any]) -> None:
        with lock:
            wire.write(replies, message)

    socket.setdefaulttimeout(5)
    child = Child(wire.read(requests), send)
    send(child.load())
    while True:
        try:
            request = wire.read(requests)
        except EOFError:
            return
        try:
            reply = child.handle(request)
        except Exception as exc:
            reply = {
                "ok": False,
                "function": request.get("op", "?"),
                "kind": "grader",
                "type": type(exc).__name__,
                "message": str(exc)[:MAX_TEXT],
                "traceback": child.learner_traceback(exc),
            }
        send(reply)
