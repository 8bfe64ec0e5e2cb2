"""Figures a lesson records while its checks run, as plain data (``grader.results.Figure``).

A lesson's steps or checks call ``record_figure(request, figure)`` (``request`` is
pytest's fixture request, or the test item); the plugin files the figure under the
check that was running, so a session step's figure goes with the first check that
needed the step.  The builders below turn arrays into the plain data a ``Figure``
holds.  Nothing here draws: ``grader/outputs/figures.py`` does, in the renderers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from grader.results import Figure

_PENDING = pytest.StashKey[list[Figure]]()
_SERIES = pytest.StashKey[dict[str, tuple[float, ...]]]()
MAX_IMAGES = 16
"""Most images an image grid holds."""
ACCURACY_NAMES = ("accuracy", "acc", "sparse_categorical_accuracy", "binary_accuracy")


def _config(node: Any) -> pytest.Config:
    config = getattr(node, "config", None)
    if not isinstance(config, pytest.Config):
        raise TypeError("record_figure takes pytest's fixture request or a test item")
    return config


def record_figure(node: Any, figure: Figure) -> None:
    """Show ``figure`` with this run's results (the report, the notebook)."""
    if not isinstance(figure, Figure):
        raise TypeError(f"record_figure takes a Figure, not {type(figure).__name__}")
    _config(node).stash.setdefault(_PENDING, []).append(figure)


def record_series(node: Any, name: str, values: Iterable[float]) -> None:
    """Keep a named number sequence (e.g. ``loss`` per epoch) with the running check."""
    numbers = tuple(float(v) for v in values)
    _config(node).stash.setdefault(_SERIES, {})[str(name)] = numbers


def take(config: pytest.Config) -> tuple[list[Figure], dict[str, tuple[float, ...]]]:
    """The figures and series recorded since the last call (the plugin files them)."""
    figures, series = config.stash.get(_PENDING, []), config.stash.get(_SERIES, {})
    config.stash[_PENDING], config.stash[_SERIES] = [], {}
    return figures, series


# --- what a training's History shows ------------------------------------------------------


def _history(value: Any) -> Mapping[str, Any] | None:
    """The per-epoch numbers of a History ``Value`` (or of a step holding one as ``.history``)."""
    value = getattr(value, "history", value)
    if getattr(value, "kind", None) != "history":
        return None
    numbers = getattr(value, "info", {}).get("history")
    return numbers if isinstance(numbers, Mapping) else None


def _numeric(values: Any) -> tuple[float, ...] | None:
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    return tuple(float(v) for v in values)


def training_series(values: Iterable[Any]) -> list[dict[str, tuple[float, ...]]]:
    """The numeric per-epoch series of every History among ``values`` (a check's fixtures)."""
    found = []
    for value in values:
        history = _history(value)
        if history is not None:
            series = {str(k): s for k, v in history.items() if (s := _numeric(v)) is not None}
            if series:
                found.append(series)
    return found


def training_curves(series: Mapping[str, Sequence[float]]) -> list[Figure]:
    """Loss per epoch, and accuracy per epoch when the History has it (with validation)."""
    figures = []
    for title, names, label in (
        ("Loss per epoch", ("loss",), "loss"),
        ("Accuracy per epoch", ACCURACY_NAMES, "accuracy"),
    ):
        chosen = {n: series[n] for n in names if n in series}
        chosen.update({f"val_{n}": series[f"val_{n}"] for n in names if f"val_{n}" in series})
        if chosen:
            figures.append(Figure("curves", title, chosen, x_label="epoch", y_label=label))
    return figures


# --- builders for lessons -----------------------------------------------------------------


def line_fit(title: str, x: Any, y: Any, fitted: Mapping[str, Any], **labels: str) -> Figure:
    """Points ``(x, y)`` and one line per ``fitted`` series (the model's output at ``x``)."""
    return Figure("line_fit", title, {"data": y, **fitted}, x=x, **labels)


def confusion(title: str, true: Any, predicted: Any, names: Sequence[str]) -> Figure:
    """Counts of (true class, predicted class) over a test set."""
    true, predicted = np.asarray(true).ravel(), np.asarray(predicted).ravel()
    size = len(names)
    matrix = np.zeros((size, size), dtype=np.int64)
    valid = (true >= 0) & (true < size) & (predicted >= 0) & (predicted < size)
    np.add.at(matrix, (true[valid].astype(int), predicted[valid].astype(int)), 1)
    return Figure("confusion", title, labels=tuple(names), matrix=matrix)


def misclassified(
    title: str, images: Any, true: Any, predicted: Any, names: Sequence[str], count: int = 12
) -> Figure:
    """Up to ``count`` test images the model got wrong, captioned with true and predicted name."""
    true, predicted = np.asarray(true).ravel(), np.asarray(predicted).ravel()
    wrong = np.flatnonzero(true != predicted)[: min(count, MAX_IMAGES)]

    def name(index: Any) -> str:
        return names[int(index)] if 0 <= int(index) < len(names) else str(index)

    captions = [f"{name(true[i])} → {name(predicted[i])}" for i in wrong]
    pictures = [np.squeeze(np.asarray(images[i])).astype(np.uint8) for i in wrong]
    return Figure("image_grid", title, labels=tuple(captions), images=tuple(pictures))
