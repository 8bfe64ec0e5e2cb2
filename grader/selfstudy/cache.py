"""Instant re-grade: ``grade()`` that returns a stored verdict when nothing that decides it changed.

A result is stored under a key made of everything that decides it: the
submission's bytes, the grader (its version and the content of its source),
the lesson, the seed, the training budget and limits, the content of the checks
directory, and the versions of TensorFlow, Keras and numpy.  Change any of them
and the submission is graded afresh.  Only verdicts are stored (a run whose
status is ``passed`` or ``failed``), never a grader fault.

Looking a result up neither starts TensorFlow nor runs pytest: it hashes a few
files and reads one row of SQLite (``grader/store.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import sqlite3
from importlib import metadata
from pathlib import Path

from grader import __version__, api, lessons
from grader.results import RunResult
from grader.selfstudy import store

RUNTIME_PACKAGES = ("tensorflow", "keras", "numpy")
SKIPPED_PARTS = {"__pycache__", ".grader", ".pytest_cache"}


def tree_digest(root: Path) -> str:
    """A digest of every file under ``root`` (names and content), caches left out."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or SKIPPED_PARTS & set(relative.parts) or path.suffix == ".pyc":
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def grader_identity() -> str:
    """The grader's version, its source, and the versions of what it runs learner code on."""
    versions = {}
    for name in RUNTIME_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return json.dumps(
        {"version": __version__, "source": tree_digest(lessons.PACKAGE_DIR), **versions},
        sort_keys=True,
    )


def cache_key(lesson: lessons.Lesson, content: bytes, options: api.Options) -> str:
    """The key a verdict on ``content`` is stored under."""
    parts = {
        "grader": grader_identity(),
        "lesson": lesson.id,
        "submission": hashlib.sha256(content).hexdigest(),
        "seed": options.seed,
        "epochs": options.epochs or lesson.epochs,
        "limits": dataclasses.asdict(options.limits or lesson.call_limits),
        "checks": tree_digest(options.checks_dir or lesson.checks_dir),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def grade(
    lesson_id: str,
    submission: Path,
    options: api.Options | None = None,
    *,
    use_cache: bool = True,
    cache_in: Path | None = None,
    record_in: Path | None = None,
) -> RunResult:
    """Grade like ``api.grade``, through the cache.

    ``cache_in`` is the ``.grader/`` folder of the cache (default: beside the
    submission); ``use_cache=False`` grades afresh and neither reads nor writes the cache
    (course CI and batch grading use it: nothing a run leaves behind is trusted).
    ``record_in`` is the ``.grader/`` folder where the run is added to the
    learner's progress; ``None`` records nothing (e.g. for the reference).
    """
    options = options or api.Options()
    lesson = lessons.get(lesson_id)
    if not submission.is_file():
        raise FileNotFoundError(f"no submission file at {submission}")
    content = submission.read_bytes()
    key = cache_key(lesson, content, options)
    folder = cache_in or store.folder_for(submission.resolve().parent)
    result = lookup(folder, key) if use_cache else None
    if result is not None:
        result = dataclasses.replace(result, submission=api.display_name(submission))
    else:
        result = api.grade(lesson_id, submission, options)
        if use_cache and _unchanged(submission, content):  # not a file saved mid-run
            result = keep(folder, key, result)
    if record_in is not None:
        record(record_in, result)
    return result


def record(folder: Path, result: RunResult) -> None:
    """Add a run to the learner's progress in ``folder``; progress is never worth a crash."""
    with contextlib.suppress(OSError, sqlite3.Error), store.Store.open(folder) as progress:
        progress.record(result)


def lookup(folder: Path, key: str) -> RunResult | None:
    """The verdict stored under ``key`` in ``folder``, if any; a store that won't open is a miss."""
    if not (folder / store.DATABASE).is_file():
        return None
    try:
        with store.Store.open(folder) as results:
            return results.cached(key)
    except (OSError, sqlite3.Error):
        return None


def keep(folder: Path, key: str, result: RunResult) -> RunResult:
    """Store ``result``; if the store can't be written, say so in a note on the result."""
    try:
        with store.Store.open(folder) as results:
            results.cache(key, result)
    except (OSError, sqlite3.Error) as exc:
        note = f"Not cached: could not write {folder} ({exc})."
        return dataclasses.replace(result, notes=(*result.notes, note))
    return result


def _unchanged(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def grade_here(
    lesson_id: str,
    submission: Path,
    options: api.Options,
    *,
    reference: bool = False,
    use_cache: bool = True,
) -> RunResult:
    """``grade`` as ``python -m grader`` does it, from the course folder (the current one).

    A learner's file is cached beside it and the run joins their progress in
    ``./.grader/``.  The reference (``--solution``) is cached in ``./.grader/``,
    since an installed package's folder may be read-only, and is not progress.
    """
    here = store.folder_for(Path.cwd())
    if reference:
        return grade(lesson_id, submission, options, use_cache=use_cache, cache_in=here)
    return grade(lesson_id, submission, options, use_cache=use_cache, record_in=here)
