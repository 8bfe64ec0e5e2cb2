"""A run's figures drawn as PNG images with matplotlib, from the plain data in the result.

matplotlib's object interface with the Agg canvas is used, never ``pyplot``: drawing
here changes no backend or state of a notebook it runs in.  A figure that cannot be
drawn gives a ``Drawing`` with an error line instead of an image; it never raises.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grader.outputs.sparkline import log_scale
from grader.results import Figure

DPI = 100
SIZE = (6.4, 4.0)
"""Inches of every figure but an image grid: 640 × 400 pixels."""
GRID_COLUMNS = 6
GRID_CELL = (1.6, 1.9)
"""Inches per image of an image grid (the caption takes the extra height)."""
GRID_GAP = 8
"""Blank pixels under (for the caption) and beside each image of a grid."""
ANNOTATED_CLASSES = 12
"""A confusion matrix with at most this many classes shows its counts in the cells."""


@dataclass(frozen=True)
class Drawing:
    """One figure drawn: its PNG bytes, or why it could not be drawn."""

    figure: Figure
    png: bytes | None = None
    error: str | None = None


def draw_all(figures: Iterable[Figure]) -> list[Drawing]:
    """Every figure drawn; one that fails is a ``Drawing`` with an ``error``, never an exception."""
    drawings = []
    for figure in figures:
        try:
            drawings.append(Drawing(figure, png=draw(figure)))
        except Exception as exc:  # a plot must never break grading
            drawings.append(Drawing(figure, error=f"{type(exc).__name__}: {exc}"))
    return drawings


def draw(figure: Figure) -> bytes:
    """``figure`` as PNG bytes; raises if matplotlib is missing or the data cannot be drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as Canvas

    size = grid_size(len(figure.images)) if figure.kind == "image_grid" else SIZE
    canvas = Canvas(figsize=size, dpi=DPI)
    FigureCanvasAgg(canvas)
    DRAWERS[figure.kind](canvas, figure)
    canvas.axes[0].set_title(figure.title)
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def grid_size(count: int) -> tuple[float, float]:
    columns = max(2, min(count, GRID_COLUMNS))
    rows = max(1, math.ceil(count / GRID_COLUMNS))
    return GRID_CELL[0] * columns, GRID_CELL[1] * rows + 0.4


def _x(figure: Figure, length: int) -> list[float]:
    return list(figure.x) if figure.x else list(range(1, length + 1))


def _labels(axes: Any, figure: Figure) -> None:
    axes.set_xlabel(figure.x_label)
    axes.set_ylabel(figure.y_label)
    axes.grid(alpha=0.3)
    axes.figure.subplots_adjust(left=0.12, right=0.97, bottom=0.13, top=0.91)


def _curves(canvas: Any, figure: Figure) -> None:
    axes = canvas.add_subplot()
    if not figure.series:
        raise ValueError("no series to draw")
    for name, values in figure.series.items():
        axes.plot(_x(figure, len(values))[: len(values)], values, label=name)
    finite = [v for values in figure.series.values() for v in values if math.isfinite(v)]
    if finite and log_scale(finite):
        from matplotlib.ticker import FuncFormatter, NullFormatter

        axes.set_yscale("log")
        # Plain tick labels: the default ones are mathtext, whose parser takes ~0.5 s to build.
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_formatter(NullFormatter())
    first = next(iter(figure.series.values()))
    falling = len(first) > 1 and first[0] > first[-1]
    axes.legend(loc="upper right" if falling else "lower right")  # "best" is slow on long series
    _labels(axes, figure)


def _line_fit(canvas: Any, figure: Figure) -> None:
    axes = canvas.add_subplot()
    names = list(figure.series)
    if not names:
        raise ValueError("no points to draw")
    x = _x(figure, len(figure.series[names[0]]))
    axes.scatter(x, figure.series[names[0]], label=names[0], color="black", zorder=3)
    for name in names[1:]:
        pairs = sorted(zip(x, figure.series[name], strict=True))
        axes.plot([p[0] for p in pairs], [p[1] for p in pairs], label=name)
    axes.legend()
    _labels(axes, figure)


def _bars(canvas: Any, figure: Figure) -> None:
    axes = canvas.add_subplot()
    count = len(figure.series)
    if not count:
        raise ValueError("no values to draw")
    width = 0.8 / count
    for index, (name, values) in enumerate(figure.series.items()):
        positions = [i + (index - (count - 1) / 2) * width for i in range(len(values))]
        axes.bar(positions, values, width=width, label=name)
    length = max(len(values) for values in figure.series.values())
    names = list(figure.labels) or [str(i) for i in range(length)]
    axes.set_xticks(range(len(names)), names, rotation=45 if len(names) > 6 else 0)
    axes.legend()
    _labels(axes, figure)


def _confusion(canvas: Any, figure: Figure) -> None:
    import numpy as np

    matrix = np.asarray(figure.matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"a confusion matrix must be square, not of shape {matrix.shape}")
    axes = canvas.add_subplot()
    image = axes.imshow(matrix, cmap="Blues")
    if len(matrix) > ANNOTATED_CLASSES:
        canvas.colorbar(image, ax=axes, shrink=0.8)
    canvas.subplots_adjust(left=0.2, right=0.98, bottom=0.24, top=0.92)
    names = list(figure.labels) or [str(i) for i in range(len(matrix))]
    ticks = range(len(names))
    axes.set_xticks(ticks, names, rotation=60, ha="right", fontsize=7)
    axes.set_yticks(ticks, names, fontsize=7)
    axes.set_xlabel(figure.x_label or "predicted")
    axes.set_ylabel(figure.y_label or "true")
    if len(matrix) <= ANNOTATED_CLASSES:
        middle = matrix.max() / 2
        for (row, column), count in np.ndenumerate(matrix):
            color = "white" if count > middle else "black"
            axes.text(column, row, f"{count:g}", ha="center", va="center", fontsize=6, color=color)


def _image_grid(canvas: Any, figure: Figure) -> None:
    """One mosaic of the images (one axes draws far faster than one per image)."""
    import numpy as np

    if not figure.images:
        raise ValueError("no images to draw")
    images = [np.asarray(pixels, dtype=np.uint8) for pixels in figure.images]
    images = [np.repeat(i[..., None], 3, axis=2) if i.ndim == 2 else i[..., :3] for i in images]
    height = max(i.shape[0] for i in images) + GRID_GAP
    width = max(i.shape[1] for i in images) + GRID_GAP
    rows, columns = math.ceil(len(images) / GRID_COLUMNS), min(len(images), GRID_COLUMNS)
    mosaic = np.full((rows * height, columns * width, 3), 255, dtype=np.uint8)
    axes = canvas.add_axes((0.0, 0.0, 1.0, 1 - 0.4 / canvas.get_figheight()))
    for index, image in enumerate(images):
        top, left = (index // columns) * height, (index % columns) * width
        mosaic[top : top + image.shape[0], left : left + image.shape[1]] = image
        caption = figure.labels[index] if index < len(figure.labels) else ""
        axes.text(left + width / 2, top + height - 1, caption, ha="center", va="bottom", fontsize=7)
    axes.imshow(mosaic, interpolation="nearest", aspect="auto")
    axes.set_axis_off()


DRAWERS = {
    "curves": _curves,
    "forecast": _curves,
    "line_fit": _line_fit,
    "bars": _bars,
    "confusion": _confusion,
    "image_grid": _image_grid,
}
