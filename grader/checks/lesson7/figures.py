"""Lesson 7's pictures: each model's forecast against the series it forecasts."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.lesson7 import reference
from grader.grading.figures import record_figure
from grader.results import Figure

NAMES = {"linear": "linear model", "dense": "dense network", "rnn": "recurrent network"}


def record_forecast(
    request: Any, kind: str, series: np.ndarray, forecast: np.ndarray, mae: float
) -> None:
    """Record the validation period's values beside the model's forecast of them."""
    split = reference.SPLIT_TIME
    title = f"The {NAMES.get(kind, kind)}'s forecast of the validation period (MAE {mae:.2f})"
    figure = Figure(
        "forecast",
        title,
        {"series": series[split:], "forecast": np.reshape(forecast, -1)},
        x=np.arange(split, len(series)),
        x_label="time",
        y_label="value",
    )
    record_figure(request, figure)
