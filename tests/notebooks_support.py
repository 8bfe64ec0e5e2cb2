"""Shared by the notebook tests (test_notebooks*.py): writing a notebook file."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(path: Path, *cells: tuple[str, str]) -> Path:
    """A notebook file with ``(kind, source)`` cells."""
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    made = [make[kind](source) for kind, source in cells]
    nbformat.write(nbformat.v4.new_notebook(cells=made), str(path))
    return path
