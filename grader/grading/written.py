"""Folders learner functions write into, and reading what they wrote without trusting it.

A lesson gives a learner function a path in ``fresh_folder`` (inside the
learner process's own writable folder, the same path in the sandbox). The
scoring side only lists names there and reads plain text with a size limit,
never following a link; model files are opened only in the clean room
(``grader/learner/cleanroom.py``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from grader.learner.session import Learner

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""The most the grader reads of a text file learner code wrote."""


def fresh_folder(learner: Learner, name: str) -> Path:
    """A folder ``name`` in the learner process's writable folder, for its functions to write
    into (a new one after the learner process was restarted)."""
    folder = learner.writable_folder() / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def listing(folder: Path) -> list[str]:
    """The names directly in ``folder``, folders with a ``/`` (never following a link, never
    opening a file)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(
                entry.name + ("/" if entry.is_dir(follow_symlinks=False) else "")
                for entry in entries
                if not entry.name.startswith(".")
            )
    except OSError:
        return []


def text_lines(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> list[str] | None:
    """The lines of a text file learner code wrote; ``None`` when it is missing, a link or
    not a regular file. At most ``max_bytes`` are read, decoded as UTF-8."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        content = os.read(handle, max_bytes)
    finally:
        os.close(handle)
    return content.decode("utf-8", "replace").splitlines()
