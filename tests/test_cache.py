"""Instant re-grade: the results cache in ``.grader/``, keyed on content, signed, shared safely."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rich.console import Console

from grader import api, lessons
from grader.outputs.scorecard import Scorecard
from grader.results import CheckResult, RunResult, Status
from grader.selfstudy import cache, store
from tests.conftest import ROOT, SMALL_BUDGET

STUBS = """\
def build_model():
    raise NotImplementedError("build_model")


def train(model, celsius, fahrenheit, epochs=500):
    raise NotImplementedError("train")


def predict(model, celsius):
    raise NotImplementedError("predict")
"""
"""Untouched stubs that import nothing: grading them is as cheap as grading gets."""


@pytest.fixture(autouse=True)
def signing_key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test signs with a key of its own, outside the course folder."""
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def result(score_pattern: str = "pf", fault: str | None = None, **changes) -> RunResult:
    """A made-up result: one check per letter, p passed, f failed, n not attempted."""
    statuses = {"p": Status.PASSED, "f": Status.FAILED, "n": Status.NOT_ATTEMPTED}
    checks = tuple(
        CheckResult(
            id=f"check{i}",
            title=f"Check {i}",
            status=statuses[letter],
            points=1.0 if letter == "p" else 0.0,
            max_points=1.0,
            message=None if letter == "p" else "Expected more.",
            hint=None if letter == "p" else "Look again.",
            metrics={"w": 1.8},
        )
        for i, letter in enumerate(score_pattern)
    )
    fields = dict(
        lesson="lesson1",
        title="Title",
        submission="s.py",
        seed=1,
        grader_version="0",
        checks=checks,
        fault=fault,
        notes=("a note",),
        output="printed",
    )
    return RunResult(**{**fields, **changes})


def scorecard(run: RunResult) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(Scorecard(run))
    return buffer.getvalue()


def test_results_survive_the_round_trip_through_json() -> None:
    original = result("pfn", duration_s=1.5)
    assert store.loads(store.dumps(original)) == original
    with pytest.raises((ValueError, TypeError, KeyError)):
        store.loads('{"checks": [{"status": "brilliant"}]}')


def test_the_key_changes_with_everything_that_decides_a_verdict(tmp_path: Path) -> None:
    lesson = lessons.get("lesson1")
    base = api.Options(seed=1, epochs=5)
    key = cache.cache_key(lesson, b"code", base)
    assert key == cache.cache_key(lesson, b"code", api.Options(seed=1, epochs=5))
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "test_x.py").write_text("x = 1\n")
    others = {
        cache.cache_key(lesson, b"code ", base),
        cache.cache_key(lesson, b"code", dataclasses.replace(base, seed=2)),
        cache.cache_key(lesson, b"code", dataclasses.replace(base, epochs=6)),
        cache.cache_key(lesson, b"code", dataclasses.replace(base, checks_dir=checks)),
    }
    (checks / "test_x.py").write_text("x = 2\n")
    others.add(cache.cache_key(lesson, b"code", dataclasses.replace(base, checks_dir=checks)))
    assert key not in others and len(others) == 5


def test_only_verdicts_are_cached_never_a_grader_fault(tmp_path: Path) -> None:
    with store.Store.open(tmp_path / ".grader") as results:
        assert results.cache("verdict", result("pf"))
        assert not results.cache("fault", result("pf", fault="the grader broke"))
        hit = results.cached("verdict")
        assert hit is not None and hit.cached and hit.checks == result("pf").checks
        assert results.cached("fault") is None and results.cached("unknown") is None


def test_an_entry_this_machine_did_not_sign_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / ".grader"
    with store.Store.open(folder) as results:
        results.cache("key", result("ff"))
    forged = store.dumps(result("pp"))
    with sqlite3.connect(folder / store.DATABASE) as db:
        db.execute("UPDATE results SET result = ? WHERE key = 'key'", (forged,))
    with store.Store.open(folder) as results:
        assert results.cached("key") is None, "an edited result must not verify"
        results.cache("key", result("ff"))
        assert results.cached("key") is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    with store.Store.open(folder) as results:
        assert results.cached("key") is None, "a .grader/ copied from elsewhere must not verify"


def test_the_store_keeps_git_out_and_reports_a_folder_it_cannot_write(tmp_path: Path) -> None:
    folder = tmp_path / ".grader"
    store.Store.open(folder).close()
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    kept = cache.keep(blocked, "key", result("pf"))
    assert any("Not cached" in note for note in kept.notes)
    assert cache.lookup(blocked, "key") is None


WRITER = """
import sys
from grader.selfstudy import store
from tests.test_cache import result
folder, name = sys.argv[1], sys.argv[2]
for i in range(40):
    with store.Store.open(__import__("pathlib").Path(folder)) as s:
        s.cache(f"{name}-{i}", result("pf"))
        s.record(result("pp"))
"""


def test_two_runs_can_write_the_same_store_at_once(tmp_path: Path) -> None:
    folder = tmp_path / ".grader"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), name], cwd=ROOT, stderr=subprocess.PIPE
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors.decode()
    with sqlite3.connect(folder / store.DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (80,)
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone() == (80,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_regrading_unchanged_code_returns_the_cached_result(tmp_path: Path) -> None:
    submission = tmp_path / "lesson1.py"
    submission.write_text(STUBS)
    options = api.Options(epochs=SMALL_BUDGET)
    fresh = cache.grade("lesson1", submission, options)
    assert not fresh.cached and fresh.not_started
    assert (tmp_path / ".grader" / store.DATABASE).is_file(), "cached beside the submission"
    again = cache.grade("lesson1", submission, options)
    assert again.cached and again.checks == fresh.checks and again.status == fresh.status
    assert "(cached)" in scorecard(again) and "(cached)" not in scorecard(fresh)
    submission.write_text(STUBS + "\n# changed\n")
    forced = cache.grade("lesson1", submission, options, use_cache=False)
    assert not forced.cached
    key = cache.cache_key(lessons.get("lesson1"), submission.read_bytes(), options)
    assert cache.lookup(tmp_path / ".grader", key) is None, "--no-cache writes nothing either"


IGNORED = shutil.ignore_patterns("__pycache__", ".grader")
PROBE = """
import sys
import pytest

def refuse(*args, **kwargs):
    raise AssertionError("pytest was started")

pytest.main = refuse
from grader import cli
code = cli.main(sys.argv[1:])
assert "tensorflow" not in sys.modules, "the cached path imported TensorFlow"
sys.exit(code)
"""


def test_the_cli_answers_from_the_cache_without_tensorflow_or_pytest(tmp_path: Path) -> None:
    submission = tmp_path / "lesson1.py"
    submission.write_text(STUBS)
    args = ["lesson1", "--submission", str(submission), "--epochs", "3"]
    # A copy of the grader, as if installed: others editing the checkout mid-test would
    # (rightly) change the grader's fingerprint and so the key.
    installed = tmp_path / "site"
    shutil.copytree(ROOT / "grader", installed / "grader", ignore=IGNORED)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "PYTHONPATH": str(installed)}

    def grader(*extra: str, probe: bool = False) -> subprocess.CompletedProcess[str]:
        command = ["-c", PROBE] if probe else ["-m", "grader"]
        return subprocess.run(
            [sys.executable, *command, *args, *extra],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    first = grader()
    assert first.returncode == 1 and "(cached)" not in first.stdout
    assert "Not started" in first.stdout
    cached = grader(probe=True)
    assert cached.returncode == 1, cached.stderr
    assert "(cached)" in cached.stdout and "Score 0/10" in cached.stdout
    refused = grader("--no-cache", probe=True)
    assert refused.returncode != 0 and "pytest was started" in refused.stderr


def test_the_reference_is_cached_in_the_course_folder_and_is_not_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    elsewhere = tmp_path / "installed" / "solutions"
    elsewhere.mkdir(parents=True)
    reference = elsewhere / "lesson1.py"
    reference.write_text(STUBS)
    monkeypatch.setattr(api, "grade", lambda *args: result("pp", lesson="lesson1"))
    cache.grade_here("lesson1", reference, api.Options(), reference=True)
    assert not (elsewhere / ".grader").exists()
    with store.Store.open(tmp_path / ".grader") as here:
        assert here.latest("lesson1") is None, "grading the reference is not the learner's run"
    learner = tmp_path / "exercises" / "lesson1.py"
    learner.parent.mkdir()
    learner.write_text(textwrap.dedent(STUBS))
    cache.grade_here("lesson1", learner, api.Options())
    assert (learner.parent / ".grader" / store.DATABASE).is_file()
    with store.Store.open(tmp_path / ".grader") as here:
        assert here.latest("lesson1") is not None
