"""CI outputs end to end: the CLI run as an instructor's CI would run it.

One short grading run writes JSON, JUnit XML, Gradescope results and GitHub
Actions annotations and summary, each checked as its reader would see it; also
private checks in place of the built-in ones and a Gradescope submission folder.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, grader
from tests.outputs_support import active_commands, junit_counts

# --- end to end ------------------------------------------------------------------------

E2E_SUBMISSION = """
import keras

print("::error file=forged.py,line=1::forged by the learner")
print("::add-mask::secret")


def build_model():
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    return model


def train(model, celsius, fahrenheit, epochs=500):
    raise ValueError("bad\\n::error::forged from a message")


def predict(model, celsius):
    return model.predict(celsius, verbose=0)
"""


@pytest.fixture(scope="module")
def ci_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path_factory.mktemp("ci")
    (folder / "summary.md").write_text("")
    (folder / "submission.py").write_text(E2E_SUBMISSION)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(folder / "summary.md")}
    run = grader(
        "lesson1",
        "--submission",
        str(folder / "submission.py"),
        "--epochs",
        "5",
        "--json",
        str(folder / "result.json"),
        "--junit-xml",
        str(folder / "junit.xml"),
        "--gradescope",
        str(folder / "results.json"),
        "--visibility",
        "after_due_date",
        env=env,
    )
    return run, folder


def test_cli_writes_junit_that_agrees_with_the_json(ci_run) -> None:
    run, folder = ci_run
    assert run.returncode == 1, run.stderr
    report = json.loads((folder / "result.json").read_text())
    root = ET.parse(folder / "junit.xml").getroot()
    assert junit_counts(root)["tests"] == len(report["checks"]) == int(root.get("tests"))
    statuses = [c["status"] for c in report["checks"]]
    assert int(root.get("errors")) == statuses.count("error") + statuses.count("timeout") >= 1


def test_cli_in_github_actions_annotates_and_summarises(ci_run) -> None:
    run, folder = ci_run
    commands = active_commands(run.stdout)
    errors = [c for c in commands if c.startswith("::error")]
    assert errors and all(",line=" in c and "submission.py" in c for c in errors)
    assert not [c for c in commands if c.startswith("::add-mask") or "forged.py" in c]
    score = "{score:g}/{max_score:g}".format(**json.loads((folder / "result.json").read_text()))
    assert commands[-1] == f"::notice title=lesson1 score::lesson1: {score} (failed)"
    summary = (folder / "summary.md").read_text()
    assert "| ! error | train fits" in summary and f": {score} (" in summary


def test_cli_writes_gradescope_results(ci_run) -> None:
    _, folder = ci_run
    data = json.loads((folder / "results.json").read_text())
    report = json.loads((folder / "result.json").read_text())
    assert data["score"] == report["score"] == sum(t["score"] for t in data["tests"])
    assert {t["visibility"] for t in data["tests"]} == {"after_due_date"}


def test_cli_runs_private_checks_instead_of_the_built_in_ones(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    run = grader(
        "lesson1",
        "--solution",
        "--epochs",
        "5",
        "--checks",
        "tests/private_checks",
        "--json",
        str(report),
        "--pass-mark",
        "0.9",
    )
    data = json.loads(report.read_text())
    assert [c["id"] for c in data["checks"]] == [
        "private_returns_a_model",
        "private_single_dense_layer",
    ]
    assert run.returncode == 0 and data["score"] == data["max_score"] == 5
    missing = grader("lesson1", "--solution", "--checks", str(tmp_path))
    assert missing.returncode == 2 and "no checks for lesson1" in missing.stderr


def test_cli_grades_a_submission_folder_as_gradescope_uploads_it(tmp_path: Path) -> None:
    upload = tmp_path / "submission"
    upload.mkdir()
    (upload / "lesson1.py").write_text((ROOT / "exercises" / "lesson1.py").read_text())
    (upload / "notes.py").write_text("raise SystemExit('not the work')\n")
    results = tmp_path / "results" / "results.json"
    run = grader("lesson1", "--submission", str(upload), "--gradescope", str(results))
    assert run.returncode == 1, run.stderr
    data = json.loads(results.read_text())
    assert data["score"] == 0 and len(data["tests"]) == 7
    assert all(test["output"].startswith("○ to do") for test in data["tests"])
    (upload / "lesson1.py").unlink()
    (upload / "more_notes.py").write_text("")
    ambiguous = grader("lesson1", "--submission", str(upload))
    assert ambiguous.returncode == 2 and "no file" in ambiguous.stderr
