"""A training's loss per epoch as a Mermaid ``xychart-beta`` line chart (GitHub renders it).

Only numbers the grader formats itself and fixed words go into the chart: a
series' values are floats printed positionally, so nothing the learner's code
chose (a metric's name, a string) can reach the Markdown or the chart syntax.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from grader.outputs.sparkline import resample
from grader.results import CheckResult

MAX_POINTS = 50
"""Longest line: longer series are averaged down to this many points."""
SHOWN = ("loss", "val_loss")
_LINE = re.compile(r"^\s*line \[(.*)\]\s*$", re.MULTILINE)


def number(value: float) -> str:
    """``value`` to four significant digits, never in exponent notation (Mermaid reads those)."""
    return np.format_float_positional(float(f"{value:.4g}"), trim="-")


def chart(check: CheckResult) -> str | None:
    """The check's ``loss`` (and ``val_loss``) per epoch as a fenced Mermaid block, or ``None``."""
    lines = {}
    for name in SHOWN:
        values = check.series.get(name, ())
        if values and all(math.isfinite(v) for v in values):
            lines[name] = resample(values, MAX_POINTS)
    if "loss" not in lines:
        return None
    epochs = len(check.series["loss"])
    named = " and ".join(f"{name} ({i + 1})" for i, name in enumerate(lines))
    body = [
        "```mermaid",
        "xychart-beta",
        f'    title "Loss per epoch: {named}"',
        f'    x-axis "epoch" 1 --> {max(epochs, 2)}',
        '    y-axis "loss"',
    ]
    body += [f"    line [{', '.join(number(v) for v in values)}]" for values in lines.values()]
    body.append("```")
    return "\n".join(body)


def parse(block: str) -> list[list[float]]:
    """The numbers of each ``line [...]`` in a chart, in order (for tests and tools)."""
    return [[float(item) for item in match.split(",")] for match in _LINE.findall(block)]


def charts(checks: Sequence[CheckResult]) -> list[str]:
    """One chart per check that trained, in the order of the checks."""
    return [block for check in checks if (block := chart(check)) is not None]
