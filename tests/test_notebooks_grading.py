"""Notebooks graded with TensorFlow, and check() in a real kernel.

The slow half runs real notebooks in a real kernel (nbclient + ipykernel):
``tests/notebooks/celsius.ipynb`` mirrors the course's Celsius notebook
(markdown, ``!pip install``, ``%matplotlib inline``, the function cells,
training at the top level) and ends by calling ``check()``.  It is executed
once; the same executed file is then graded as a submission, and its
equivalent module ``celsius.py`` as a plain one: all three must agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader import api
from grader.results import RunResult, Status
from tests.conftest import ROOT, SMALL_BUDGET, check
from tests.notebooks_support import write_notebook

NOTEBOOKS = ROOT / "tests" / "notebooks"


def summary(result: RunResult) -> list[tuple[str, Status, float]]:
    return [(c.id, c.status, c.points) for c in result.checks]


# -- grading notebooks (TensorFlow in the learner process) --------------------------


def test_a_notebook_that_raises_reports_cell_and_line_and_still_grades(tmp_path: Path) -> None:
    path = write_notebook(
        tmp_path / "work.ipynb",
        ("markdown", "# My work"),
        ("code", "import keras\nimport numpy as np"),
        ("code", "print(not_defined)"),
        (
            "code",
            "def build_model():\n"
            "    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\n"
            "    model.compile(loss='mean_squared_error', optimizer=keras.optimizers.Adam(0.1))\n"
            "    return model",
        ),
        (
            "code",
            "def train(model, celsius, fahrenheit, epochs=500):\n"
            "    return model.fit(celsius, fahrenheit, epochs=epochs, verbose=0)",
        ),
        ("code", "def predict(model, celsius):\n    x = 1\n    return x + missing"),
        ("code", "def helper():\n    return (1,"),
    )
    result = api.grade("lesson1", path, api.Options(epochs=SMALL_BUDGET))
    notes = "\n".join(result.notes)
    assert "Cell 3, line 1 raised NameError: name 'not_defined' is not defined" in notes
    assert "Cell 7, line 2 raised SyntaxError" in notes
    assert check(result, "returns_a_model").status is Status.PASSED, "later cells still loaded"
    predicted = check(result, "predicts_boiling_point")
    assert predicted.status is Status.ERROR
    assert 'work.ipynb", cell 6, line 3, in predict' in (predicted.details or "")
    assert "return x + missing" in (predicted.details or "")


def test_the_exercise_notebook_grades_as_its_untouched_module() -> None:
    """Its try-it cell (``if __name__ == "__main__"``) and its check cell do not run in grading."""
    result = api.grade("lesson1", ROOT / "exercises" / "lesson1.ipynb", api.Options(epochs=1))
    assert result.checks and {c.status for c in result.checks} == {Status.NOT_ATTEMPTED}
    assert not any("raised" in note or "skipped" in note for note in result.notes), result.notes


def test_an_unreadable_notebook_exits_1_with_a_complete_result(tmp_path: Path) -> None:
    path = tmp_path / "work.ipynb"
    path.write_text("{not json", encoding="utf-8")
    report = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "lesson1",
            "--submission",
            str(path),
            "--json",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_COLOR": "1", "COLUMNS": "100", "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    assert run.returncode == 1, run.stderr
    data = json.loads(report.read_text())
    assert data["status"] == "failed" and data["score"] == 0 and data["checks"]
    assert "is not a notebook: it is not valid JSON" in data["checks"][0]["message"]
    assert {c["status"] for c in data["checks"][1:]} == {"skipped"}


@pytest.fixture(scope="module")
def executed_celsius(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Celsius notebook run top to bottom in a real kernel, saved with its outputs."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("kernel")
    notebook_node = nbformat.read(str(NOTEBOOKS / "celsius.ipynb"), as_version=4)
    client = NotebookClient(
        notebook_node,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    path = folder / "celsius.ipynb"
    nbformat.write(notebook_node, str(path))
    return path


def kernel_outputs(path: Path) -> list[dict]:
    cells = nbformat.read(str(path), as_version=4).cells
    return [output for cell in cells for output in cell.get("outputs", [])]


def test_check_in_a_real_kernel_shows_the_scorecard(executed_celsius: Path) -> None:
    outputs = kernel_outputs(executed_celsius)
    shown = [o for o in outputs if o.get("output_type") == "execute_result"]
    scorecards = [o for o in shown if "lesson1 · Celsius" in o["data"].get("text/plain", "")]
    assert len(scorecards) == 1, [o.get("data", {}).get("text/plain", "")[:80] for o in shown]
    assert "text/html" in scorecards[0]["data"], "Jupyter and Colab get HTML"
    text = scorecards[0]["data"]["text/plain"]
    assert "Training budget reduced to 20 epochs" in text
    assert "build_model (In[" in text, "the scorecard says which cells it graded"


def test_celsius_notebook_scores_as_its_module_and_as_check(executed_celsius: Path) -> None:
    printed = "".join(o.get("text", "") for o in kernel_outputs(executed_celsius))
    in_kernel = json.loads(printed.split("RESULT ", 1)[1].splitlines()[0])
    options = api.Options(epochs=SMALL_BUDGET)
    as_module = api.grade("lesson1", NOTEBOOKS / "celsius.py", options)
    as_notebook = api.grade("lesson1", executed_celsius, options)
    assert summary(as_notebook) == summary(as_module)
    assert as_notebook.score == as_module.score == in_kernel["score"] > 0
    kernel_checks = [(i, Status(s), p) for i, s, p, _ in in_kernel["checks"]]
    assert kernel_checks == summary(as_module)
    weights = check(as_module, "learned_weights").metrics
    assert check(as_notebook, "learned_weights").metrics == pytest.approx(weights, rel=1e-4)
    assert "!pip install -q tensorflow" in as_notebook.notes[1]
    assert "%matplotlib inline" in as_notebook.notes[1]
    assert not any("raised" in note for note in as_notebook.notes), as_notebook.notes
