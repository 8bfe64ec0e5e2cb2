"""The grader's own reference for lesson 7: the course's series and its forecasts.

Numpy only, written from the course's definitions (l08c01–l08c03), so that the
scoring process never needs the learner's code or TensorFlow to know the right
answers.  The figures in ``FIGURES`` are recomputed here, not copied.
"""

from __future__ import annotations

import numpy as np

SPLIT_TIME = 1000
"""The course's split: the training part is ``series[:1000]``, the validation part the rest."""
WINDOW_SIZE = 30
"""The course's window for the windowed datasets and the neural models."""
NOISE_LEVEL = 5.0
NOISE_FLOOR = NOISE_LEVEL * np.sqrt(2 / np.pi)
"""The mean absolute value of the noise (≈ 3.99): no honest forecast's MAE can be lower."""


def time_steps() -> np.ndarray:
    """The course's time axis: four years and a day, ``0 … 1460``."""
    return np.arange(4 * 365 + 1)


def trend(time: np.ndarray, slope: float = 0) -> np.ndarray:
    return slope * time


def seasonal_pattern(season_time: np.ndarray) -> np.ndarray:
    return np.where(season_time < 0.4, np.cos(season_time * 2 * np.pi), 1 / np.exp(3 * season_time))


def seasonality(
    time: np.ndarray, period: float, amplitude: float = 1, phase: float = 0
) -> np.ndarray:
    return amplitude * seasonal_pattern(((time + phase) % period) / period)


def white_noise(time: np.ndarray, noise_level: float = 1, seed: int | None = None) -> np.ndarray:
    return np.random.RandomState(seed).randn(len(time)) * noise_level


def make_series() -> np.ndarray:
    """The course's series: baseline 10, slope 0.05, yearly season of amplitude 40, noise 5."""
    time = time_steps()
    series = 10 + trend(time, 0.05) + seasonality(time, period=365, amplitude=40)
    return series + white_noise(time, NOISE_LEVEL, seed=42)


def naive_forecast(series: np.ndarray, split_time: int) -> np.ndarray:
    """Each value forecast by the one before it."""
    return series[split_time - 1 : -1]


def moving_average_forecast(series: np.ndarray, window_size: int) -> np.ndarray:
    """The mean of the ``window_size`` values before each time from ``window_size`` on."""
    sums = np.concatenate([[0.0], np.cumsum(series, dtype="float64")])
    return (sums[window_size:-1] - sums[: -window_size - 1]) / window_size


def differenced_forecast(
    series: np.ndarray,
    split_time: int,
    period: int = 365,
    window_size: int = 50,
    smooth_past: bool = True,
) -> np.ndarray:
    """Moving average of the year-on-year differences, plus the past a period earlier."""
    diff_series = series[period:] - series[:-period]
    diff_average = moving_average_forecast(diff_series, window_size)[
        split_time - period - window_size :
    ]
    if smooth_past:
        past = moving_average_forecast(series[split_time - period - 5 : -period + 5], 10)
    else:
        past = series[split_time - period : -period]
    return past + diff_average


def mae(forecast: np.ndarray, actual: np.ndarray) -> float:
    """Mean absolute error of a forecast of shape (N,) or (N, 1) against N values."""
    return float(np.mean(np.abs(np.reshape(forecast, -1) - actual)))


def windows(series: np.ndarray, window_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (window of ``window_size`` values, next value) pair, in time order."""
    count = len(series) - window_size
    index = np.arange(window_size)[None, :] + np.arange(count)[:, None]
    return series[index], series[window_size:]


def forecast_windows(series: np.ndarray, split_time: int, window_size: int) -> np.ndarray:
    """The windows a model sees to forecast each value of ``series[split_time:]``."""
    inputs, _ = windows(series[split_time - window_size :], window_size)
    return inputs


def figures() -> dict[str, float]:
    """The validation MAE of each statistical forecast on the course's series."""
    series = make_series()
    actual = series[SPLIT_TIME:]
    return {
        "naive": mae(naive_forecast(series, SPLIT_TIME), actual),
        "moving_average_30": mae(moving_average_forecast(series, 30)[SPLIT_TIME - 30 :], actual),
        "differenced_raw_past": mae(
            differenced_forecast(series, SPLIT_TIME, smooth_past=False), actual
        ),
        "differenced_smooth_past": mae(differenced_forecast(series, SPLIT_TIME), actual),
    }
