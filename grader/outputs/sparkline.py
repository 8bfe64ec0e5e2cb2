"""One-line charts of a training's loss per epoch, for the terminal scorecard.

Only a console with colour gets them (``wants_sparklines``): a dumb terminal,
``NO_COLOR``, a pipe or a CI log keeps the plain scorecard.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from grader.results import CheckResult

BLOCKS = "▁▂▃▄▅▆▇█"
LOG_RATIO = 50.0
"""A positive series whose largest value is this many times its smallest is drawn on a log scale."""
SHOWN = (("loss", "cyan"), ("val_loss", "magenta"))
"""The series drawn under a check that trains, and their colours."""


def wants_sparklines(console: Console) -> bool:
    """Whether ``console`` shows colour: sparklines are decoration, never in plain output."""
    return (
        console.color_system is not None and not console.no_color and not console.is_dumb_terminal
    )


def resample(values: Sequence[float], width: int) -> list[float]:
    """At most ``width`` values: the means of consecutive, near-equal runs of ``values``."""
    if len(values) <= width:
        return list(values)
    edges = [round(i * len(values) / width) for i in range(width + 1)]
    return [sum(values[a:b]) / (b - a) for a, b in itertools.pairwise(edges) if b > a]


def log_scale(values: Sequence[float]) -> bool:
    low, high = min(values), max(values)
    return low > 0 and high / low >= LOG_RATIO


def sparkline(values: Sequence[float], width: int) -> str:
    """``values`` as block characters, one per value (resampled to at most ``width``)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite or width < 1:
        return ""
    points = resample(finite, width)
    if log_scale(points):
        points = [math.log10(v) for v in points]
    low, high = min(points), max(points)
    if high - low <= 1e-12 * max(1.0, abs(high)):
        return BLOCKS[len(BLOCKS) // 2 - 1] * len(points)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((v - low) / (high - low) * top)] for v in points)


def lines(check: CheckResult, width: int) -> list[Text]:
    """``loss 1.2e+03 ▇▅▃▂▁ 31.4`` for each training series the check recorded."""
    shown = []
    for name, style in SHOWN:
        values = [v for v in check.series.get(name, ()) if math.isfinite(v)]
        if not values:
            continue
        text = Text()
        text.append(f"{name} {values[0]:.3g} ", style="dim")
        text.append(sparkline(values, width), style=style)
        text.append(f" {values[-1]:.3g}", style="dim")
        if log_scale(values):
            text.append(" (log scale)", style="dim")
        shown.append(text)
    return shown
