"""The ``.grader/`` store: an SQLite file holding cached results, progress and hint levels.

One store is a folder ``.grader/`` with ``grader.sqlite`` in it.  The results
cache lives in the store beside the submission; progress (every graded run) and
the hint level reached per check live in the store of the course folder (the
current directory).  When the two folders are the same, so is the store.

Two grader runs may share a store at once: the database is in WAL mode, waits
(``BUSY_TIMEOUT_S``) instead of failing when the other run holds the write lock,
and every write is one transaction.

A cached result is signed with a key kept outside the course folder
(``signing_key_path()``), so a ``.grader/`` folder copied in from elsewhere,
or committed to a repository CI grades, cannot pass off a score the grader
did not produce on this machine: its entries do not verify and are ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.results import CheckResult, RunResult, RunStatus, Status

FOLDER = ".grader"
DATABASE = "grader.sqlite"
BUSY_TIMEOUT_S = 30.0
SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, result TEXT NOT NULL, signature TEXT NOT NULL, stored_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, lesson TEXT NOT NULL, finished_at REAL NOT NULL,
    status TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL,
    not_started INTEGER NOT NULL, result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_lesson ON runs (lesson, id);
CREATE TABLE IF NOT EXISTS hint_levels (
    lesson TEXT NOT NULL, check_id TEXT NOT NULL, level INTEGER NOT NULL,
    PRIMARY KEY (lesson, check_id)
);
"""


@dataclass(frozen=True)
class Run:
    """One graded run as progress remembers it."""

    finished_at: float
    """When it finished (seconds since the epoch)."""
    result: RunResult
    """What the grader said."""


def folder_for(directory: Path) -> Path:
    """The ``.grader/`` folder in ``directory``."""
    return directory / FOLDER


def signing_key_path() -> Path:
    """Where this machine's key for signing cached results is kept (outside any course)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tf-course-grader" / "signing-key"


def _signing_key() -> bytes:
    path = signing_key_path()
    with contextlib.suppress(FileNotFoundError):
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(secrets.token_bytes(32))
    temporary.chmod(0o600)
    with contextlib.suppress(FileExistsError):
        os.link(temporary, path)  # the first writer wins; everyone then reads its key
    temporary.unlink()
    return path.read_bytes()


def dumps(result: RunResult) -> str:
    """``result`` as JSON that ``loads`` turns back into an equal ``RunResult``."""
    return json.dumps(dataclasses.asdict(result), ensure_ascii=False, sort_keys=True)


def _fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {field.name for field in dataclasses.fields(cls)}
    return {name: value for name, value in data.items() if name in names}


def loads(text: str) -> RunResult:
    """The ``RunResult`` in ``text``; raises ``ValueError`` (or ``TypeError``) if malformed."""
    data = json.loads(text)
    checks = tuple(
        CheckResult(**{**_fields(CheckResult, check), "status": Status(check["status"])})
        for check in data["checks"]
    )
    return RunResult(
        **{**_fields(RunResult, data), "checks": checks, "notes": tuple(data.get("notes", ()))}
    )


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to write-ahead logging, waiting out another process doing the same.

    SQLite answers this pragma with "database is locked" at once, without its busy
    timeout, when another connection holds the lock (two runs creating the store).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Store:
    """One ``.grader/grader.sqlite``; open it with ``Store.open(folder)``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, folder: Path) -> Store:
        """Open the store in ``folder``, creating it; raises ``OSError`` or ``sqlite3.Error``."""
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Written by the grader: nothing here belongs in git.\n*\n")
        db = sqlite3.connect(folder / DATABASE, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _use_wal(db)
            with _transaction(db):
                for statement in filter(str.strip, SCHEMA.split(";")):
                    db.execute(statement)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The results cache.

    def cached(self, key: str) -> RunResult | None:
        """The result stored under ``key``, if there is one this machine signed."""
        row = self._db.execute(
            "SELECT result, signature FROM results WHERE key = ?", (key,)
        ).fetchone()
        if row is None or not hmac.compare_digest(row[1], _sign(key, row[0])):
            return None
        try:
            return dataclasses.replace(loads(row[0]), cached=True)
        except (ValueError, TypeError, KeyError):
            return None

    def cache(self, key: str, result: RunResult) -> bool:
        """Keep ``result`` under ``key`` if it is a verdict (never a grader fault)."""
        if result.status not in (RunStatus.PASSED, RunStatus.FAILED) or result.cached:
            return False
        text = dumps(result)
        with _transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                (key, text, _sign(key, text), time.time()),
            )
        return True

    # Progress.

    def record(self, result: RunResult, finished_at: float | None = None) -> None:
        """Remember a graded run of a learner's submission."""
        with _transaction(self._db):
            self._db.execute(
                "INSERT INTO runs (lesson, finished_at, status, score, max_score, not_started, "
                "result) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    result.lesson,
                    time.time() if finished_at is None else finished_at,
                    result.status.value,
                    result.score,
                    result.max_score,
                    int(result.not_started),
                    dumps(result),
                ),
            )

    def latest(self, lesson: str) -> Run | None:
        """The last run recorded for ``lesson``."""
        row = self._db.execute(
            "SELECT finished_at, result FROM runs WHERE lesson = ? ORDER BY id DESC LIMIT 1",
            (lesson,),
        ).fetchone()
        return _run(row)

    def best(self, lesson: str) -> Run | None:
        """The highest-scoring graded run for ``lesson`` (the earliest of equals)."""
        row = self._db.execute(
            "SELECT finished_at, result FROM runs WHERE lesson = ? AND status != 'error' "
            "ORDER BY score DESC, id ASC LIMIT 1",
            (lesson,),
        ).fetchone()
        return _run(row)

    # Hint levels.

    def hint_level(self, lesson: str, check_id: str) -> int | None:
        """The last hint level ``python -m grader hint`` showed for a check, if any."""
        row = self._db.execute(
            "SELECT level FROM hint_levels WHERE lesson = ? AND check_id = ?", (lesson, check_id)
        ).fetchone()
        return int(row[0]) if row else None

    def set_hint_level(self, lesson: str, check_id: str, level: int) -> None:
        with _transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO hint_levels VALUES (?, ?, ?)", (lesson, check_id, level)
            )


def _sign(key: str, text: str) -> str:
    message = key.encode() + b"\0" + text.encode()
    return hmac.new(_signing_key(), message, hashlib.sha256).hexdigest()


def _run(row: tuple[float, str] | None) -> Run | None:
    if row is None:
        return None
    try:
        return Run(finished_at=float(row[0]), result=loads(row[1]))
    except (ValueError, TypeError, KeyError):
        return None


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front, roll back on error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
