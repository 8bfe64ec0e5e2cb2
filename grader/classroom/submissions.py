"""A class's submissions: which paths a pattern matches, each shard's share, their names.

A submission is a file (``.py`` or ``.ipynb``) or a folder holding
``exercises/LESSON.py``, ``LESSON.py`` (or ``.ipynb``), or a single ``.py``/``.ipynb``.
Everything here is deterministic: the same pattern gives every machine of a CI
matrix the same sorted list, the same shards and the same names.
"""

from __future__ import annotations

import argparse
import glob
import re
from collections.abc import Sequence
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
IGNORED = {"__pycache__"}


class NoSubmission(ValueError):
    """A folder with nothing to grade in it."""


def shard(text: str) -> tuple[int, int]:
    """``--shard K/N``: the K-th of N slices (1 ≤ K ≤ N)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(
            f"--shard wants K/N with 1 ≤ K ≤ N, e.g. 1/4; got {text!r}"
        )
    return int(match[1]), int(match[2])


def expand(pattern: str) -> list[Path]:
    """What ``pattern`` matches, sorted: the same on every machine.

    Hidden entries and ``__pycache__`` (which importing a submission may leave
    beside it) are left out, so a shard's list does not change between runs.
    """
    matches = (Path(p) for p in glob.glob(pattern))
    return sorted((p for p in matches if p.name not in IGNORED and p.name[:1] != "."), key=str)


def take_shard(items: Sequence[Path], k: int, n: int) -> list[Path]:
    """Every N-th item from the K-th: shards are disjoint and together hold everything."""
    return list(items[k - 1 :: n])


def find_submission(path: Path, lesson: str) -> Path:
    """The file to grade for ``path``: itself, or the one file in the folder that is the work."""
    if not path.is_dir():
        return path
    for name in (
        f"exercises/{lesson}.py",
        f"{lesson}.py",
        f"exercises/{lesson}.ipynb",
        f"{lesson}.ipynb",
    ):
        if (path / name).is_file():
            return path / name
    candidates = [p for p in sorted(path.iterdir()) if p.suffix in SUFFIXES]
    if len(candidates) == 1:
        return candidates[0]
    found = f"{len(candidates)} .py/.ipynb files" if candidates else "no .py or .ipynb file"
    raise NoSubmission(
        f"{path} holds no exercises/{lesson}.py or {lesson}.py, and {found} to choose from"
    )


def names(paths: Sequence[Path]) -> list[str]:
    """A file-system-safe, unique name per submission (stable for the same sorted list)."""

    def safe(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "submission"

    stems = [safe(p.stem if p.is_file() else p.name) for p in paths]
    result, seen = [], set()
    for path, stem in zip(paths, stems, strict=True):
        name = stem if stems.count(stem) == 1 else safe(path.name)
        while name in seen:
            name += "_"
        seen.add(name)
        result.append(name)
    return result
