"""``check("lesson1")`` inside a Jupyter or Colab notebook.

The kernel is not the scorer and does not run the learner's functions: this
module collects their source (with the imports and plain values they use)
from the kernel, writes it as a small notebook file, and grades that with
``api.grade`` exactly as ``python -m grader`` would, learner code running in
the grader's separate learner process.  The result displays itself as the
scorecard (HTML in Jupyter and Colab, plain text elsewhere).
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader.notebooks.collecting import Collected, collect

__all__ = ["Report", "check"]

LEARNER_PROCESS = "grader.learner.child"
"""Imported only in the grader's learner process, where ``check()`` must do nothing."""
SCORECARD_WIDTH = 100


class Report:
    """A graded notebook: ``result`` is the ``RunResult``; displays as the scorecard."""

    def __init__(self, result: Any) -> None:
        self.result = result

    def __rich__(self) -> Any:
        from grader.outputs.scorecard import Scorecard

        return Scorecard(self.result)

    def text(self) -> str:
        from rich.console import Console

        console = Console(
            file=io.StringIO(), width=SCORECARD_WIDTH, color_system=None, force_jupyter=False
        )
        console.print(self)
        return console.file.getvalue()  # type: ignore[attr-defined]

    def html(self) -> str:
        from rich.console import Console

        console = Console(
            file=io.StringIO(), width=SCORECARD_WIDTH, record=True, force_jupyter=False
        )
        console.print(self)
        from grader.outputs.html_report import inline_figures

        scorecard = console.export_html(inline_styles=True, code_format="<pre>{code}</pre>")
        return scorecard + inline_figures(self.result)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}

    def __repr__(self) -> str:
        return self.text()


def _namespace() -> tuple[dict[str, Any], Any]:
    """The learner's namespace: the IPython kernel's, else the caller's module globals."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        return shell.user_ns, shell
    frame = inspect.currentframe()
    while frame is not None and frame.f_globals.get("__name__") in ("grader", __name__):
        frame = frame.f_back
    return (frame.f_globals if frame is not None else {}), None


def _display_name(namespace: dict[str, Any]) -> str:
    for key in ("__session__", "__vsc_ipynb_file__"):
        value = namespace.get(key)
        if isinstance(value, str) and value.endswith(".ipynb"):
            return Path(value).name
    return "this notebook"


def _write_notebook(collected: Collected, folder: Path) -> Path:
    import nbformat

    cells = []
    for piece in collected.pieces:
        cell = nbformat.v4.new_code_cell(piece.source, id=f"piece-{len(cells) + 1}")
        cell.metadata["grader"] = {"label": piece.label}
        cells.append(cell)
    path = folder / "kernel.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    return path


def progress_folder() -> Path:
    """Where ``python -m grader`` keeps progress for the notebook's folder (the current one)."""
    from grader.selfstudy import store

    return store.folder_for(Path.cwd())


def check(
    lesson: str,
    *,
    epochs: int | None = None,
    seed: int | None = None,
    namespace: dict[str, Any] | None = None,
) -> Report | None:
    """Grade the functions defined in this notebook for ``lesson`` and show the scorecard.

    ``epochs`` reduces the training budget (noted on the scorecard, as
    ``--epochs`` is).  Inside the grader's own learner process, where a
    notebook submission's cells run, this does nothing and returns ``None``.
    """
    if LEARNER_PROCESS in sys.modules:
        return None
    from grader import api
    from grader.selfstudy import cache

    if namespace is None:
        namespace, shell = _namespace()
    else:
        shell = None
    collected = collect(namespace, shell)
    with tempfile.TemporaryDirectory(prefix="grader-check-") as folder:
        path = _write_notebook(collected, Path(folder))
        options = api.Options(
            seed=api.DEFAULT_SEED if seed is None else seed,
            epochs=epochs,
            display=_display_name(namespace),
        )
        # Graded afresh, then added to the learner's progress in ./.grader/ as the CLI does.
        result = cache.grade(lesson, path, options, use_cache=False, record_in=progress_folder())
    notes = (*collected.notes, *result.notes)
    return Report(dataclasses.replace(result, notes=notes))
