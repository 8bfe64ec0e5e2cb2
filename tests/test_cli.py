"""``python -m grader`` as a user runs it: exit codes, usage errors, the lesson list."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from grader import api, cli, lessons
from grader.limits import Limits
from tests.conftest import ROOT, grader, variant


def test_list_shows_every_lesson_with_its_title() -> None:
    run = grader("--list")
    assert run.returncode == 0
    assert "lesson1" in run.stdout and "Celsius to Fahrenheit" in run.stdout


def test_unknown_lesson_is_a_usage_error() -> None:
    run = grader("lesson99")
    assert run.returncode == 2
    assert "unknown lesson 'lesson99'" in run.stderr and "lesson1" in run.stderr


def test_missing_submission_is_a_usage_error(tmp_path: Path) -> None:
    run = grader("lesson1", "--submission", str(tmp_path / "nope.py"))
    assert run.returncode == 2
    assert "no file" in run.stderr and "nope.py" in run.stderr


def test_default_submission_is_looked_for_in_the_current_folder(tmp_path: Path) -> None:
    run = grader("lesson1", cwd=tmp_path)
    assert run.returncode == 2
    assert "exercises/lesson1.py" in run.stderr


def test_bad_limit_is_a_usage_error() -> None:
    run = grader("lesson1", "--limit", "nonsense=3")
    assert run.returncode == 2
    assert "unknown limit 'nonsense'" in run.stderr


def test_no_lesson_is_a_usage_error() -> None:
    run = grader()
    assert run.returncode == 2
    assert "--list" in run.stderr


def test_stubs_exit_1_and_write_complete_json(tmp_path: Path) -> None:
    report = tmp_path / "out" / "result.json"
    run = grader("lesson1", "--json", str(report))
    assert run.returncode == 1
    data = json.loads(report.read_text())
    assert data["status"] == "failed" and data["score"] == 0 and len(data["checks"]) == 7
    assert {c["status"] for c in data["checks"]} == {"not_attempted"}
    assert "Score 0/10" in run.stdout
    assert "\x1b[" not in run.stdout, "no escape codes when not a terminal"


def test_a_submission_that_exits_at_import_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    submission = tmp_path / "leaves.py"
    submission.write_text("import sys\nsys.exit(0)\n")
    run = grader("lesson1", "--submission", str(submission), "--json", str(tmp_path / "r.json"))
    assert run.returncode == 1
    assert "exited during import" in run.stdout
    data = json.loads((tmp_path / "r.json").read_text())
    statuses = [c["status"] for c in data["checks"]]
    assert statuses[0] == "error" and set(statuses[1:]) == {"skipped"}
    assert all("exited during import" in c["message"] for c in data["checks"])


def test_a_grader_fault_exits_2_and_is_not_the_learners_zero(tmp_path: Path) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "test_broken.py").write_text("import no_such_module_for_the_grader\n")
    submission = tmp_path / "s.py"
    submission.write_text(variant())
    code = (
        "import sys; from pathlib import Path; from grader import api;"
        "from grader.results import RunStatus;"
        f"r = api.grade('lesson1', Path({str(submission)!r}), "
        f"api.Options(epochs=1, checks_dir=Path({str(checks)!r})));"
        "print(r.status.value); print(r.message)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    status, _, message = run.stdout.partition("\n")
    assert status == "error"
    assert "could not load the checks" in message and "no_such_module_for_the_grader" in message


def test_a_broken_tensorflow_is_a_grader_fault(tmp_path: Path, monkeypatch) -> None:
    from grader import api
    from grader.learner import process

    scrubbed = process.child_environment

    def broken(workdir: str) -> dict[str, str]:
        return {**scrubbed(workdir), "KERAS_BACKEND": "no_such_backend"}

    monkeypatch.setattr(process, "child_environment", broken)
    submission = tmp_path / "s.py"
    submission.write_text(variant())
    result = api.grade("lesson1", submission, api.Options(epochs=1))
    assert result.status.value == "error"
    assert "could not start TensorFlow" in (result.message or "")
    assert {c.status.value for c in result.checks} == {"skipped"}
    output = io.StringIO()
    console = Console(file=output, width=80, color_system=None)
    code = cli.main(["lesson1", "--submission", str(submission), "--epochs", "1"], console)
    assert code == 2
    assert "The grader could not grade this submission (its fault, not yours)" in output.getvalue()


def test_options_go_to_arguments_and_back_unchanged() -> None:
    """Batch workers get their options as arguments: one place writes them, one reads them."""
    lesson = lessons.get("lesson1")
    options = api.Options(seed=7, epochs=3, limits=Limits(train_seconds=90.0), sandbox="off")
    args = cli.parser().parse_args(["lesson1", *options.arguments()])
    assert isinstance(args, argparse.Namespace)
    back = api.Options.from_arguments(args, lesson, None)
    assert (back.seed, back.epochs, back.sandbox) == (7, 3, "off")
    assert back.limits is not None and back.limits.train_seconds == 90.0
    assert back.limits == dataclasses.replace(options.limits, functions=back.limits.functions)
