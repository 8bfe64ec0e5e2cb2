"""Finding data files on this machine: the places to look, checksums, the last resort.

A dataset names its files (with the SHA-256 of their content) and the places
to look, in order, each with how to fill it. ``find`` returns the first place
that holds them all; a damaged file is an error, never skipped silently; when
every place fails, the download fallback is tried, and ``DataUnavailable``
names every place and how to fill it. Both errors are ``GraderFault``s: a
missing dataset is the grader's problem, not the learner's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from grader.learner.outcomes import GraderFault

T = TypeVar("T")


class DataUnavailable(GraderFault):
    """The data is not on this machine and could not be downloaded."""


class DataCorrupt(GraderFault):
    """A data file is there but truncated or not what it should be."""


@dataclass(frozen=True)
class Place:
    """One place a dataset's files may be."""

    what: str
    """How messages name it, e.g. ``the Keras cache``."""
    folder: Path | None
    """The folder; ``None`` when not configured (an unset variable)."""
    how: str
    """How a user fills it."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find(
    name: str,
    places: Sequence[Place],
    read: Callable[[Path], T],
    download: Callable[[], T] | None = None,
    download_name: str = "the download",
) -> T:
    """``read(folder)`` for the first place that has the files, else ``download()``.

    ``read`` raises ``FileNotFoundError`` for a folder without the files and
    ``DataCorrupt`` for a damaged one (which stops the search).
    """
    tried = []
    for place in places:
        if place.folder is None:
            tried.append(f"{place.what}: not set ({place.how})")
            continue
        try:
            return read(place.folder)
        except FileNotFoundError as exc:
            tried.append(f"{place.what}: {exc} ({place.how})")
    if download is not None:
        try:
            return download()
        except Exception as exc:  # no network, a failed download: all the same here
            tried.append(f"{download_name}: {type(exc).__name__}: {exc} (needs the internet)")
    raise DataUnavailable(
        f"{name} is not on this machine and could not be downloaded. Looked in:\n  "
        + "\n  ".join(tried)
    )


def shipped_file(path: Path, sha256: str, rebuild: str) -> bytes:
    """The content of a file the package ships, checked against its SHA-256.

    ``rebuild`` is the command that makes it again, for the error message.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataUnavailable(
            f"{path} is missing from the package; rebuild it: {rebuild}"
        ) from None
    digest = sha256_of(data)
    if digest != sha256:
        raise DataCorrupt(
            f"{path} is not the file the package shipped (SHA-256 {digest}, expected {sha256}); "
            f"reinstall the package or rebuild it: {rebuild}"
        )
    return data
