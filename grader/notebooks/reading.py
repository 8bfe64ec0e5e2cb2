"""Notebook submissions: read a ``.ipynb`` and turn its code cells into a module.

This runs in the scoring process, so it only parses JSON; nothing here runs
learner code.  The module it writes is loaded by the learner process like any
submission, one section per cell (``learner/cells.py``): a cell that raises is
noted on the scorecard and the cells after it still run, as in a notebook
where the learner runs every cell.

Cells are numbered from the top of the notebook, markdown cells included
(cell 1 is the first cell), and run in document order, not in the order they
were last executed.  IPython-only lines do nothing here: ``!shell`` commands,
``%line`` magics, ``obj?`` help and ``get_ipython()`` calls become ``pass``;
a cell that starts with a ``%%cell`` magic is skipped.  Markdown and raw cells
are ignored.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
MAX_LISTED = 6
SKIPPED = "pass  # IPython-only line, skipped by the grader"
IPYTHON_STANDIN = '''\
class _NoIPython:
    """Stands in for IPython's shell outside a notebook: every method does nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def get_ipython():
    return _NoIPython()
'''

Section = tuple[int, int, "str | None"]


class NotebookError(ValueError):
    """The file cannot be read as a notebook; the message names the problem."""


@dataclass(frozen=True)
class NotebookModule:
    """A notebook's code cells as one module's source."""

    source: str
    """The module: the code cells in order, IPython-only lines made ``pass``."""
    line_map: tuple[Section, ...]
    """``(first_line, last_line, label)`` per section; ``label`` None for the grader's lines."""
    notes: tuple[str, ...] = ()
    """What the conversion skipped, for the scorecard."""


@dataclass(frozen=True)
class Prepared:
    """What the learner process loads for a submission."""

    path: Path
    """The module to load: the submission itself, or one generated from a notebook."""
    line_map: tuple[Section, ...] | None = None
    """Sections of a generated module; ``None`` for a plain ``.py``."""
    notes: tuple[str, ...] = ()
    """Notes for the scorecard about the conversion."""
    problem: str | None = None
    """Why the notebook could not be read; then nothing is loaded."""


def is_notebook(path: Path) -> bool:
    return path.suffix.lower() == ".ipynb"


def read(path: Path, display: str) -> list[dict]:
    """The notebook's cells (validated with nbformat); ``NotebookError`` says what is wrong."""
    import nbformat

    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{display} is larger than 64 MB; clear its outputs and try again.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{display} is not a notebook: it is not UTF-8 text ({exc}).") from None
    except OSError as exc:
        raise NotebookError(f"{display} cannot be read: {exc.strerror or exc}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"{display} is not a notebook: it is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("nbformat"), int):
        raise NotebookError(
            f"{display} is not a notebook: it has no nbformat version. Save it from "
            "Jupyter or Colab (File → Download → .ipynb)."
        )
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises several kinds for a malformed file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{display} is not a valid notebook: {first[:300]}") from None
    return [dict(cell) for cell in notebook.cells]


def ipython_lines(source: str) -> list[int]:
    """0-based indexes of the IPython-only lines of a cell (outside multi-line strings)."""
    inside: set[int] = set()
    with contextlib.suppress(tokenize.TokenError, IndentationError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))  # rows after the first
    found = []
    for index, line in enumerate(source.splitlines()):
        text = line.strip()
        if index in inside or not text or text.startswith("#"):
            continue
        if text[0] in "!%" or text.startswith("get_ipython()") or text.endswith("?"):
            found.append(index)
    return found


def convert_cell(source: str) -> tuple[list[str], list[str]]:
    """The cell's lines with IPython-only lines replaced by ``pass``, and those lines."""
    lines = source.splitlines()
    skipped = []
    for index in ipython_lines(source):
        line = lines[index]
        indent = line[: len(line) - len(line.lstrip())]
        skipped.append(line.strip())
        lines[index] = indent + SKIPPED
    return lines, skipped


def to_module(cells: list[dict], display: str) -> NotebookModule:
    """The module for a notebook's cells (``read``'s result)."""
    header = [f"# Generated by the grader from {display}: its code cells, in order."]
    body: list[str] = []
    sections: list[Section] = []
    skipped: list[str] = []
    uses_ipython = False
    for number, cell in enumerate(cells, start=1):
        source = str(cell.get("source", ""))
        if cell.get("cell_type") != "code" or not source.strip():
            continue
        first_line = source.lstrip().splitlines()[0]
        label = cell_label(cell, number)
        if first_line.startswith("%%"):
            skipped.append(f"{label} ({first_line.split()[0]} cell magic, whole cell)")
            continue
        lines, ipython = convert_cell(source)
        skipped += [f"{label} ({_short(line)})" for line in ipython]
        uses_ipython = uses_ipython or "get_ipython" in source
        body.append(f"# {label}")
        start = len(header) + len(body) + 1
        body += lines or ["pass"]
        sections.append((start, len(header) + len(body), label))
    if not sections:
        raise NotebookError(f"{display} has no code cells to grade.")
    if uses_ipython:
        header += ["", *IPYTHON_STANDIN.splitlines(), ""]
        shift = len(IPYTHON_STANDIN.splitlines()) + 2
        sections = [(first + shift, last + shift, label) for first, last, label in sections]
        sections.insert(0, (2, 1 + shift, None))
    notes = ()
    if skipped:
        listed = ", ".join(skipped[:MAX_LISTED])
        more = f" and {len(skipped) - MAX_LISTED} more" if len(skipped) > MAX_LISTED else ""
        notes = (
            f"IPython-only lines do nothing when the grader loads a notebook: skipped {listed}"
            f"{more}.",
        )
    return NotebookModule("\n".join(header + body) + "\n", tuple(sections), notes)


def cell_label(cell: dict, number: int) -> str:
    """``cell N``, or the label ``check()`` gives a cell in its metadata (``In[7]``)."""
    grader = cell.get("metadata", {}).get("grader")
    label = grader.get("label") if isinstance(grader, dict) else None
    if isinstance(label, str) and 0 < len(label) <= 80 and "\n" not in label:
        return label
    return f"cell {number}"


def _short(line: str, limit: int = 40) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextlib.contextmanager
def prepared(submission: Path, display: str) -> Iterator[Prepared]:
    """What the learner process should load for ``submission`` (a notebook is converted)."""
    if not is_notebook(submission):
        yield Prepared(submission)
        return
    try:
        module = to_module(read(submission, display), display)
    except NotebookError as exc:
        yield Prepared(submission, problem=str(exc))
        return
    folder = Path(tempfile.mkdtemp(prefix="grader-notebook-"))
    try:
        path = folder / f"{submission.stem}.py"
        path.write_text(module.source, encoding="utf-8")
        yield Prepared(path, module.line_map, module.notes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
