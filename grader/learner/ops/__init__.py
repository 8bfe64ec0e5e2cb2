"""Generic operations of the learner process, both halves side by side.

Each module here defines operations with ``@operation``: the function runs in
the learner process (it gets the ``Child`` and the request's fields, with refs
already turned back into the objects they name) and returns plain data; its
``read`` runs in the scoring process and checks that reply before a check sees
it. ``table()`` finds every module in this package, so adding an operation is
adding a module: nothing else lists them. Operations are generic (call a model,
read weights, iterate a dataset); a lesson composes them and never adds code
that runs in the learner process.

Modules here are imported by both processes: import TensorFlow and Keras
inside the functions, never at the top.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grader.learner.outcomes import LearnerRaised


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Operation:
    """One request the learner process answers."""

    name: str
    """The request's ``op``."""
    what: str
    """How messages name it, e.g. ``the model's predict``."""
    run: Callable[..., Any]
    """Learner side: ``run(child, **fields)`` → plain data."""
    read: Callable[[Any], Any] = _as_is
    """Scoring side: the reply's value, checked (``LearnerRaised`` when malformed)."""
    described: bool = False
    """Whether the reply is a description of a learner object (``Learner`` makes it a
    ``Value``)."""
    seconds: str = "call"
    """Which time limit applies: ``call`` (``Limits.call_seconds``) or ``train``."""

    def naming(self, fields: dict[str, Any]) -> str:
        """``what`` with the request's plain fields filled in (``{function}`` → ``normalize``)."""
        try:
            return self.what.format(**{k: v for k, v in fields.items() if isinstance(v, str)})
        except (KeyError, IndexError, ValueError):
            return self.what


_REGISTRY: dict[str, Operation] = {}


def operation(
    name: str,
    what: str,
    read: Callable[[Any], Any] = _as_is,
    described: bool = False,
    seconds: str = "call",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated learner-side function as operation ``name``."""

    def register(run: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REGISTRY and _REGISTRY[name].run is not run:
            raise ValueError(f"two learner operations are called {name!r}")
        _REGISTRY[name] = Operation(name, what, run, read, described, seconds)
        return run

    return register


def table() -> dict[str, Operation]:
    """Every operation, by name (the modules of this package are imported once)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return _REGISTRY


def malformed(what: str) -> LearnerRaised:
    """The learner process's reply is not what the operation returns."""
    return LearnerRaised(f"The submission interfered with the grader (malformed {what}).")


def read_array(value: Any) -> Any:
    """A reply that must be a numeric array."""
    import numpy as np

    if not isinstance(value, np.ndarray):
        raise LearnerRaised("The model did not give an array of numbers.")
    return value


def read_number(value: Any) -> float:
    """A reply that must be a number."""
    if type(value) not in (int, float):
        raise malformed("number")
    return float(value)
