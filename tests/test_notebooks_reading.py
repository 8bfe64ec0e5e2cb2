"""Notebooks as submissions, read without TensorFlow: cells become a module.

IPython-only lines and cell magics are skipped with a note, cells are numbered
as Jupyter shows them, a bad notebook gets one message naming its problem, and
on the learner side a cell that raises is noted while later cells still run.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from grader.learner.cells import LineMap
from grader.notebooks import reading as notebook
from tests.notebooks_support import write_notebook

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
