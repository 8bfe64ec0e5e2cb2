"""Learner code runs apart from the scorer and cannot change its verdict.

Each test grades a small submission written to misbehave in one way and
asserts the exact outcome (the faults named in the foundation issue; the rest
of the fault table is in test_faults*.py).  Tests that watch the learner's
processes or files from outside grade with ``--sandbox off``: they test what
protects a run bwrap cannot sandbox; tests/test_sandbox.py tests the sandbox.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader import api, cli
from grader.classroom import batch, gradescope_bundle
from grader.learner import sandbox
from grader.limits import Limits
from grader.results import RunResult, Status
from tests.conftest import ROOT, SMALL_BUDGET, check, grade_source, variant

BUILD_CHECKS = ("returns_a_model", "architecture", "compiled")
NO_BWRAP = sandbox.Availability(False, "bwrap is not installed")


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text()


def record_pid(pid_file: Path) -> tuple[str, str]:
    """A replacement that makes the submission note its process id at import."""
    line = f"import os; open({str(pid_file)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
    return ("import keras\n", "import keras\n" + line)


def grade_unsandboxed(folder: Path, source: str, limits: Limits | None = None) -> RunResult:
    """``grade_source`` with ``--sandbox off``, so that learner code can leave traces here."""
    path = folder / "submission.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    options = api.Options(epochs=SMALL_BUDGET, limits=limits, sandbox="off")
    return api.grade("lesson1", path, options)


def test_files_beside_the_submission_are_never_loaded(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinels"
    sentinel.mkdir()
    plant = "open({!r}, 'w').write('loaded')\n"
    (tmp_path / "conftest.py").write_text(plant.format(str(sentinel / "conftest")))
    (tmp_path / "sitecustomize.py").write_text(plant.format(str(sentinel / "sitecustomize")))
    (tmp_path / "numpy.py").write_text(plant.format(str(sentinel / "numpy")))
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no_such_plugin_from_learner\n")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\naddopts = '-p no_such_plugin_from_learner'\n"
    )
    (tmp_path / "submission.py").write_text(variant())
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "lesson1",
            "--submission",
            "submission.py",
            "--epochs",
            "20",
            "--sandbox",
            "off",  # so that a loaded file could leave its sentinel
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert list(sentinel.iterdir()) == [], run.stdout + run.stderr
    assert run.returncode == 1, run.stdout + run.stderr  # 20 epochs cannot learn the weights
    assert "✔ pass       The model is compiled" in run.stdout


def test_exit_inside_train_is_reported_and_the_rest_is_graded(tmp_path: Path) -> None:
    source = variant(
        ("    return model.fit(", "    import os\n    os._exit(0)\n    return model.fit(")
    )
    result = grade_source(tmp_path, source)
    training = check(result, "training")
    assert training.status is Status.ERROR
    assert training.message == "The submission exited during train (exit code 0)."
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert check(result, "predict_uses_the_model").passed, "graded in a restarted process"
    assert check(result, "learned_weights").status is Status.SKIPPED


def test_sys_exit_at_import_is_reported_once_and_not_retried(tmp_path: Path) -> None:
    result = grade_source(tmp_path, "import os\nos._exit(3)\n")
    first, *rest = result.checks
    assert first.status is Status.ERROR
    assert first.message == "The submission exited during import (exit code 3)."
    assert {c.status for c in rest} == {Status.SKIPPED}
    assert result.score == 0 and result.fault is None


def test_an_endless_train_times_out_and_leaves_no_process(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    source = variant(
        record_pid(pids),
        ("    return model.fit(", "    while True:\n        pass\n    return model.fit("),
    )
    limit = 5.0
    started = time.monotonic()
    result = grade_unsandboxed(tmp_path, source, limits=Limits(train_seconds=limit))
    elapsed = time.monotonic() - started
    training = check(result, "training")
    assert training.status is Status.TIMEOUT
    assert training.message == "train did not finish within 5 s; the grader stopped it."
    assert training.duration_s < limit + 5
    assert all(check(result, name).passed for name in BUILD_CHECKS)
    assert check(result, "predict_uses_the_model").passed
    assert elapsed < 60
    started_pids = [int(line) for line in pids.read_text().split()]
    assert len(started_pids) == 2, "one start, one restart after the kill"
    assert not [pid for pid in started_pids if process_alive(pid)]


def test_printing_a_fake_scorecard_changes_nothing(tmp_path: Path) -> None:
    fake = "print('Score 10/10  ██████████ 100%')\nprint('::notice::all checks passed')\n"
    wrong = ("Adam(learning_rate=0.1)", "Adam(learning_rate=0.5)")
    honest = grade_source(tmp_path, variant(wrong), name="honest.py")
    liar = grade_source(tmp_path, variant(wrong, ("import keras\n", "import keras\n" + fake)))
    assert [(c.id, c.status, c.points) for c in liar.checks] == [
        (c.id, c.status, c.points) for c in honest.checks
    ]
    assert liar.score == honest.score < honest.max_score
    assert "Score 10/10" in liar.output, "the learner's output is kept, apart from the verdict"


def test_the_learner_process_sees_no_secrets(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_value_123")
    monkeypatch.setenv("CI_JOB_TOKEN", "ci_secret_value_456")
    source = """
        import os
        def build_model():
            environ = open('/proc/self/environ', 'rb').read().decode(errors='replace')
            raise RuntimeError(repr(dict(os.environ)) + environ)
    """
    result = grade_source(tmp_path, source)
    message = check(result, "returns_a_model").message or ""
    assert "RuntimeError" in message
    assert "secret_value" not in message and "TOKEN" not in message


# -- sandbox modes (the sandbox itself: test_sandbox.py) ---------------------------


def test_ci_requires_the_sandbox_and_a_learners_machine_tries_it() -> None:
    assert sandbox.default_mode({}) == "auto"
    assert sandbox.default_mode({"CI": "true"}) == "required"
    assert sandbox.default_mode({"GITHUB_ACTIONS": "true"}) == "required"
    assert sandbox.decide("off") == sandbox.Decision(False, sandbox.decide("off").note)


def test_required_without_bwrap_exits_2_saying_how_to_install_it(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sandbox, "probe", lambda: NO_BWRAP)
    code = cli.main(["lesson1", "--solution", "--sandbox", "required"])
    error = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "--sandbox required, but learner code cannot be sandboxed here: bwrap is" in error
    assert "sudo apt-get install bubblewrap" in error


def test_auto_without_bwrap_grades_and_says_it_was_not_sandboxed(monkeypatch) -> None:
    monkeypatch.setattr(sandbox, "probe", lambda: NO_BWRAP)
    result = api.grade("lesson1", ROOT / "exercises" / "lesson1.py", api.Options(sandbox="auto"))
    assert check(result, "returns_a_model").status is Status.NOT_ATTEMPTED
    assert any(n.startswith("Not sandboxed: bwrap is not installed.") for n in result.notes)


def test_batch_and_gradescope_require_the_sandbox(tmp_path: Path) -> None:
    settings = batch.settings(api.Options(), Limits(), tmp_path, 1)
    assert "--sandbox required" in " ".join(settings.grader_args)
    assert "--sandbox required" in gradescope_bundle.run_autograder("lesson1", "visible")
    assert "bubblewrap" in (gradescope_bundle.TEMPLATES / "setup.sh").read_text()


@pytest.mark.parametrize(
    ("stderr", "why"),
    [
        (
            "bwrap: No permission to create new namespace",
            "unprivileged user namespaces are off here",
        ),
        ("bwrap: Unknown option --foo", "bwrap cannot start a sandbox here"),
    ],
)
def test_the_probe_says_why_bwrap_does_not_work(monkeypatch, tmp_path, stderr, why) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\necho '{stderr}' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: str(fake))
    found = sandbox.probe.__wrapped__()
    assert not found.works and found.why == f"{why} ({stderr})"
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: None)
    assert sandbox.probe.__wrapped__().why == "bwrap is not installed"
