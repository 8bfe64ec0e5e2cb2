"""Resource limits for learner code: one place, with their defaults.

A lesson may raise them (``Lesson.limits``) and so may an instructor per run
(``python -m grader lesson1 --limit train=900 --limit memory=8G``).  Each
field's short name is its name without the unit (``train``, ``memory``,
``file_size``); sizes take bytes or a binary multiple (``512M``, ``2G``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

GiB = 1024**3
MiB = 1024**2
UNITS = ("_seconds", "_bytes")
MULTIPLES = {"": 1, "k": 1024, "m": MiB, "g": GiB, "t": 1024 * GiB}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*s?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from ``"4096"``, ``"512M"``, ``"2G"`` or ``"1.5GiB"`` (multiples of 1024)."""
    match = SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size; write bytes or e.g. 512M, 2G")
    return int(float(match[1]) * MULTIPLES[match[2].lower()])


def format_size(size: int) -> str:
    """``4 GiB``, ``512 MiB`` or ``1000 bytes``, for messages."""
    for unit, multiple in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if size >= multiple:
            return f"{size / multiple:.3g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class Limits:
    """How long and how much learner code may take before the grader stops it."""

    import_seconds: float = 120.0
    """Starting the learner process: Python, TensorFlow and the submission's import."""
    call_seconds: float = 60.0
    """Any one call into learner code that is not training (``build_model``, ``predict``)."""
    train_seconds: float = 300.0
    """One call of the learner's ``train``."""
    output_bytes: int = 256 * 1024
    """How much of the learner's printed output is kept; the rest is counted and dropped."""
    memory_bytes: int = 4 * GiB
    """Resident memory of the learner's processes together; over it, the grader stops them."""
    file_size_bytes: int = 1 * GiB
    """The largest file the learner's code may write (``RLIMIT_FSIZE``)."""
    processes: int = 64
    """How many processes the learner's code may run at once, its own included."""
    source_bytes: int = 1 * MiB
    """The largest submission file the grader will load."""
    functions: Mapping[str, float] = field(default_factory=dict)
    """Seconds for named learner functions that need longer than ``call_seconds`` (a lesson's
    ``function_seconds``); ``train`` takes ``train_seconds`` unless named here."""

    def with_overrides(self, overrides: dict[str, str]) -> Limits:
        """A copy with ``{"train": "900", "memory": "8G"}``-style overrides.

        Raises ``ValueError`` naming the known limits for an unknown one, and for
        a value that is not a positive number of the limit's unit.
        """
        names = {short_name(f.name): f for f in dataclasses.fields(self) if f.name != "functions"}
        changes = {}
        for short, text in overrides.items():
            limit = names.get(short.strip())
            if limit is None:
                known = ", ".join(sorted(names))
                raise ValueError(f"unknown limit {short!r}; known limits: {known}")
            changes[limit.name] = parse_value(limit.name, text)
        return dataclasses.replace(self, **changes)

    def seconds_for(self, call: str) -> float:
        """The time limit for a call to the learner function ``call``."""
        if call in self.functions:
            return float(self.functions[call])
        return self.train_seconds if call == "train" else self.call_seconds


def short_name(name: str) -> str:
    """``train_seconds`` → ``train``; ``processes`` stays ``processes``."""
    for unit in UNITS:
        if name.endswith(unit):
            return name.removesuffix(unit)
    return name


def parse_value(name: str, text: str) -> float | int:
    """The value of limit ``name`` from the command line; ``ValueError`` says what is wrong."""
    short = short_name(name)
    if name.endswith("_seconds"):
        match = SECONDS.match(text)
        if match is None:
            raise ValueError(f"limit {short} is in seconds, got {text!r}")
        value: float | int = float(match[1])
    elif name.endswith("_bytes"):
        value = parse_size(text)
    elif text.strip().isdigit():
        value = int(text)
    else:
        raise ValueError(f"limit {short} is a whole number, got {text!r}")
    if value <= 0:
        raise ValueError(f"limit {short} must be positive, got {text}")
    return value
