"""Grader for the course "Intro to TensorFlow for Deep Learning"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.notebooks.jupyter import Report

__version__ = "0.1.0"


def check(lesson: str, *, epochs: int | None = None, seed: int | None = None) -> Report | None:
    """Grade the functions defined in this notebook and show the scorecard.

    ``from grader import check; check("lesson1")`` in a Jupyter or Colab cell.
    Imported lazily so that ``import grader`` stays cheap (no TensorFlow, no
    pytest); see ``grader.notebooks.jupyter.check``.
    """
    from grader.notebooks.jupyter import check as check_in_notebook

    return check_in_notebook(lesson, epochs=epochs, seed=seed)
