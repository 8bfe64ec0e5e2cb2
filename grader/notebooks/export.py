"""``python -m grader notebook LESSON``: the exercise notebook, generated from its module.

The exercise modules (``exercises/<lesson>.py``) are the single source of
truth; their notebooks are generated: the module docstring and each block of
comment lines become markdown cells, each function its own code cell, the
other statements between them (imports, data) a code cell, and a final cell
runs the check.  The output is deterministic, so a test can compare the
committed notebooks with what this module generates now.
"""

from __future__ import annotations

import ast
import inspect
import json
from dataclasses import dataclass
from pathlib import Path

from grader import lessons

CHECK_INTRO = (
    "## Check your work\n"
    "\n"
    "Run the cell below. It grades the functions you defined in this notebook and shows "
    "a scorecard; run it again after each change. (In Colab, install the grader first; "
    "see the course README.)"
)
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class Cell:
    kind: str
    """``markdown`` or ``code``."""
    source: str


def _statement_start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _comment_blocks(lines: list[str]) -> list[Cell]:
    """Markdown cells for the comment blocks among ``lines`` (between statements)."""
    cells: list[Cell] = []
    block: list[str] = []
    for line in [*lines, ""]:
        text = line.strip()
        if text.startswith("#"):
            block.append(text[1:].removeprefix(" "))
        elif block:
            cells.append(Cell("markdown", "\n".join(block)))
            block = []
    return cells


def _docstring_cell(text: str) -> Cell:
    title, _, rest = inspect.cleandoc(text).partition("\n")
    body = rest.strip("\n")
    return Cell("markdown", f"# {title.rstrip('.')}" + (f"\n\n{body}" if body else ""))


def cells_of(source: str, lesson_id: str) -> list[Cell]:
    """The notebook's cells for an exercise module's ``source``."""
    lines = source.splitlines()
    tree = ast.parse(source)
    body = list(tree.body)
    cells: list[Cell] = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        cells.append(_docstring_cell(str(body[0].value.value)))
        previous_end = body.pop(0).end_lineno or 0
    else:
        previous_end = 0
    pending: list[int] = []  # first and last lines of statements waiting to be one code cell

    def flush() -> None:
        if pending:
            code = "\n".join(lines[pending[0] - 1 : pending[-1]])
            cells.append(Cell("code", code.strip("\n")))
            pending.clear()

    for node in body:
        start, end = _statement_start(node), node.end_lineno or node.lineno
        comments = _comment_blocks(lines[previous_end : start - 1])
        own_cell = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If))
        if comments or own_cell:
            flush()
        cells += comments
        pending += [start, end]
        if own_cell:
            flush()
        previous_end = end
    flush()
    cells += _comment_blocks(lines[previous_end:])
    cells.append(Cell("markdown", CHECK_INTRO))
    cells.append(Cell("code", f'from grader import check\n\ncheck("{lesson_id}")'))
    return cells


def notebook_json(source: str, lesson_id: str, origin: str) -> str:
    """The notebook for an exercise module, as the text written to disk."""
    import nbformat

    cells = []
    for number, cell in enumerate(cells_of(source, lesson_id), start=1):
        make = nbformat.v4.new_code_cell if cell.kind == "code" else nbformat.v4.new_markdown_cell
        cells.append(make(cell.source, id=f"cell-{number}"))
    metadata = {**NOTEBOOK_METADATA, "grader": {"lesson": lesson_id, "generated_from": origin}}
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def exercise_module(lesson_id: str) -> Path | None:
    """``exercises/<lesson>.py`` in the current course folder, else beside the grader."""
    for root in (Path.cwd(), lessons.SOURCE_ROOT):
        path = root / "exercises" / f"{lesson_id}.py"
        if path.is_file():
            return path
    return None


def export(module: Path, lesson_id: str, out: Path) -> Path:
    """Write the notebook for ``module`` to ``out``; return ``out``."""
    text = notebook_json(module.read_text(encoding="utf-8"), lesson_id, f"exercises/{module.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
