"""Notebooks: generated exercise notebooks, and check() collecting a kernel's definitions.

Each committed exercise notebook is in sync with its module (regenerate with
``python -m grader notebook <lesson>``); ``check()`` collects the functions,
imports and values a kernel defined, does nothing inside the grader's own
learner process, and ``import grader`` stays cheap.  Notebooks graded with
TensorFlow are in test_notebooks_grading.py.
"""

from __future__ import annotations

import linecache
import subprocess
import sys
import types
from pathlib import Path

import pytest

from grader import cli
from grader.notebooks import collecting, jupyter
from grader.notebooks import export as notebook_export
from tests.conftest import ROOT

EXERCISES = sorted((ROOT / "exercises").glob("*.py"))

# -- generated exercise notebooks ---------------------------------------------------


@pytest.mark.parametrize("module", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_committed_exercise_notebook_is_in_sync_with_its_module(module: Path) -> None:
    committed = module.with_suffix(".ipynb")
    assert committed.is_file(), f"no {committed.name}: run python -m grader notebook {module.stem}"
    generated = notebook_export.notebook_json(
        module.read_text(encoding="utf-8"), module.stem, f"exercises/{module.name}"
    )
    assert committed.read_text(encoding="utf-8") == generated, (
        f"{committed.name} is out of date: run python -m grader notebook {module.stem}"
    )


def test_the_sync_check_sees_an_edited_module() -> None:
    module = ROOT / "exercises" / "lesson1.py"
    source = module.read_text(encoding="utf-8")
    edited = source.replace("Seven examples", "Eight examples", 1)
    assert edited != source
    committed = module.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert notebook_export.notebook_json(edited, "lesson1", "exercises/lesson1.py") != committed


def test_exercise_notebook_has_markdown_function_cells_and_a_check_cell() -> None:
    source = (ROOT / "exercises" / "lesson1.py").read_text(encoding="utf-8")
    cells = notebook_export.cells_of(source, "lesson1")
    assert cells[0].kind == "markdown" and cells[0].source.startswith("# Lesson 1")
    functions = [c.source.split("(")[0] for c in cells if c.source.startswith("def ")]
    assert functions == ["def build_model", "def train", "def predict"]
    assert any(c.kind == "code" and c.source.startswith("import keras") for c in cells)
    assert any(c.kind == "markdown" and c.source.startswith("Seven examples") for c in cells)
    assert cells[-1] == notebook_export.Cell("code", 'from grader import check\n\ncheck("lesson1")')


def test_notebook_command_writes_the_notebook_and_rejects_unknown_lessons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nb" / "lesson1.ipynb"
    assert cli.main(["notebook", "lesson1", "--out", str(out)]) == 0
    assert out.read_text() == (ROOT / "exercises" / "lesson1.ipynb").read_text()
    assert cli.main(["notebook", "lesson99", "--out", str(tmp_path / "x.ipynb")]) == 2
    assert not (tmp_path / "x.ipynb").exists()


# -- collecting definitions in a kernel (no kernel: a namespace of our own) ----------


def define(namespace: dict, source: str, filename: str = "<cell-7>") -> None:
    """Run ``source`` in ``namespace`` as IPython does: cached so inspect finds it."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


def test_collect_carries_functions_imports_and_plain_values() -> None:
    namespace: dict = {"__name__": "__main__"}
    define(
        namespace,
        "import numpy as np\nfrom math import sqrt as root\nRATE = 0.1\nmodel = object()\n"
        "history = [1.0]\n\n"
        "def build_model(scale=root(4)) -> np.ndarray:\n    return np.array([RATE]) * scale\n\n"
        "def train(m):\n    return model\n\n"
        "predict = lambda m, c: m.predict(c)\nfit = train\n",
    )
    collected = collecting.collect(namespace)
    imports, *definitions = collected.pieces
    assert imports.source.splitlines() == [
        "import numpy as np",
        "from math import sqrt as root",
        "RATE = 0.1",
    ], "history is not used by a function, so it is not carried"
    assert [p.label for p in definitions] == [
        "the cell defining build_model",
        "the cell defining train",
        "the cell defining predict",
        collecting.ALIASES_LABEL,
    ]
    assert definitions[2].source.strip() == "predict = lambda m, c: m.predict(c)"
    assert definitions[3].source == "fit = train\n"
    assert definitions[0].source.splitlines()[6] == "def build_model(scale=root(4)) -> np.ndarray:"
    assert "build_model (the cell defining build_model)" in collected.notes[0]
    assert "model (object, used by train)" in collected.notes[1]


def test_check_does_nothing_inside_the_graders_learner_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, jupyter.LEARNER_PROCESS, types.ModuleType("child"))
    assert jupyter.check("lesson1", namespace={}) is None


def test_import_grader_stays_cheap() -> None:
    code = (
        "import sys, grader; heavy = ('tensorflow', 'keras', 'pytest', 'nbformat', 'rich', "
        "'grader.notebooks.jupyter'); print([m for m in heavy if m in sys.modules]); "
        "assert callable(grader.check)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr
