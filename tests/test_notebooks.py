"""Notebooks: .ipynb submissions, generated exercise notebooks, and check() in a kernel.

The slow half runs real notebooks in a real kernel (nbclient + ipykernel):
``tests/notebooks/celsius.ipynb`` mirrors the course's Celsius notebook
(markdown, ``!pip install``, ``%matplotlib inline``, the function cells,
training at the top level) and ends by calling ``check()``.  It is executed
once; the same executed file is then graded as a submission, and its
equivalent module ``celsius.py`` as a plain one: all three must agree.
"""

from __future__ import annotations

import json
import linecache
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from grader import api, cli
from grader.learner.cells import LineMap
from grader.notebooks import collecting, jupyter
from grader.notebooks import export as notebook_export
from grader.notebooks import reading as notebook
from grader.results import RunResult, Status
from tests.conftest import ROOT, SMALL_BUDGET, check

NOTEBOOKS = ROOT / "tests" / "notebooks"
EXERCISES = sorted((ROOT / "exercises").glob("*.py"))


def write_notebook(path: Path, *cells: tuple[str, str]) -> Path:
    """A notebook file with ``(kind, source)`` cells."""
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    made = [make[kind](source) for kind, source in cells]
    nbformat.write(nbformat.v4.new_notebook(cells=made), str(path))
    return path


def summary(result: RunResult) -> list[tuple[str, Status, float]]:
    return [(c.id, c.status, c.points) for c in result.checks]


# -- reading notebooks (no TensorFlow) ---------------------------------------------


def test_ipython_only_lines_become_pass_and_python_lines_stay() -> None:
    source = (
        "!pip install -q tensorflow\n"
        "%matplotlib inline\n"
        "get_ipython().run_line_magic('load_ext', 'autoreload')\n"
        "model.fit?\n"
        "if True:\n"
        "    !ls\n"
        'text = """\n'
        "%this line is inside a string\n"
        '"""\n'
        "x = 10 % 3  # a % that is Python\n"
    )
    lines, skipped = notebook.convert_cell(source)
    assert skipped == [
        "!pip install -q tensorflow",
        "%matplotlib inline",
        "get_ipython().run_line_magic('load_ext', 'autoreload')",
        "model.fit?",
        "!ls",
    ]
    assert lines[5] == "    " + notebook.SKIPPED, "indentation kept so the if stays valid"
    assert lines[7] == "%this line is inside a string"
    assert lines[9] == "x = 10 % 3  # a % that is Python"
    compile("\n".join(lines), "cell", "exec")  # the converted cell is plain Python


def test_cells_are_numbered_from_the_top_and_cell_magics_skip_the_cell() -> None:
    cells = [
        {"cell_type": "markdown", "source": "# Title"},
        {"cell_type": "code", "source": "import math"},
        {"cell_type": "raw", "source": "raw text"},
        {"cell_type": "code", "source": "%%time\nslow()"},
        {"cell_type": "code", "source": "def f():\n    return math.pi"},
    ]
    module = notebook.to_module(cells, "work.ipynb")
    labels = [label for _, _, label in module.line_map]
    assert labels == ["cell 2", "cell 5"], "markdown counts; %%time's cell is skipped"
    assert "slow()" not in module.source and "Title" not in module.source
    assert "cell 4 (%%time cell magic, whole cell)" in module.notes[0]
    lines = module.source.splitlines()
    first, last, _ = module.line_map[1]
    assert lines[first - 1 : last] == ["def f():", "    return math.pi"]


def test_get_ipython_has_a_stand_in_that_does_nothing() -> None:
    cells = [{"cell_type": "code", "source": "ip = get_ipython()\nip.magic('who')\nx = 1"}]
    module = notebook.to_module(cells, "work.ipynb")
    namespace: dict = {}
    exec(compile(module.source, "generated", "exec"), namespace)  # our own generated code
    assert namespace["x"] == 1
    assert module.line_map[0][2] is None, "the stand-in is the grader's, not a cell"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("def build_model():\n    pass\n", "is not a notebook: it is not valid JSON (line 1"),
        ('{"cells": []}', "is not a notebook: it has no nbformat version"),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"x": 1}]}',
            "not a valid",
        ),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}',
            "has no code cells to grade",
        ),
    ],
    ids=["python-source", "json-not-notebook", "invalid-cell", "no-code-cells"],
)
def test_a_bad_notebook_gets_one_message_naming_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "work.ipynb"
    path.write_text(content, encoding="utf-8")
    with notebook.prepared(path, "work.ipynb") as prepared:
        assert prepared.problem is not None
        assert prepared.problem.startswith("work.ipynb ") and problem in prepared.problem


def test_a_good_notebook_is_written_as_a_module_and_cleaned_up(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "work.ipynb", ("code", "x = 1"))
    with notebook.prepared(path, "work.ipynb") as prepared:
        assert prepared.problem is None and prepared.path.suffix == ".py"
        assert "x = 1" in prepared.path.read_text()
    assert not prepared.path.exists()
    plain = tmp_path / "work.py"
    with notebook.prepared(plain, "work.py") as prepared:
        assert prepared.path == plain and prepared.line_map is None


# -- the learner side: running sections, naming lines --------------------------------


LINE_MAP = LineMap([[2, 3, None], [5, 6, "cell 2"], [8, 9, "cell 4"]])


def test_line_map_names_cells_and_hides_the_graders_lines() -> None:
    assert LINE_MAP.where(6) == "cell 2, line 2"
    assert LINE_MAP.where(8) == "cell 4, line 1"
    assert LINE_MAP.where(2) is None and LINE_MAP.where(7) is None
    text = 'File "/tmp/g/work.py", line 9, in f\nSyntaxError: bad (work.py, line 5)'
    assert LINE_MAP.relabel(text, "/tmp/g/work.py", "work.ipynb") == (
        'File "work.ipynb", cell 4, line 2, in f\nSyntaxError: bad (work.ipynb, cell 2, line 1)'
    )
    plain = LineMap(None)
    assert plain.where(12) == "line 12"
    assert plain.relabel('File "/a/s.py", line 3', "/a/s.py", "s.py") == 'File "s.py", line 3'


def test_a_cell_that_raises_is_noted_and_later_cells_still_run(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": "a = 1"},
        {"cell_type": "code", "source": "b = 2\nprint(undefined)"},
        {"cell_type": "code", "source": "def broken(:\n    pass"},
        {"cell_type": "code", "source": "c = a + b"},
    ]
    module = notebook.to_module(cells, "work.ipynb")
    path = tmp_path / "work.py"
    path.write_text(module.source)
    namespace = types.ModuleType("generated")
    notes = LineMap([list(s) for s in module.line_map]).run(namespace, str(path))
    assert namespace.c == 3, "cells after the failing ones still ran"
    assert notes == [
        "Cell 2, line 2 raised NameError: name 'undefined' is not defined while loading; "
        "later cells still ran.",
        "Cell 3, line 1 raised SyntaxError: invalid syntax while loading; later cells still ran.",
    ]


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
