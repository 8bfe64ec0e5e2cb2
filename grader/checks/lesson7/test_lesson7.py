"""Lesson 7 checks: the course's series, its statistical forecasts and its windows.

Every figure here is exact: the grader's own numpy reference (``reference.py``)
computes it; the learned forecasts are checked in ``test_models.py``.
"""

from __future__ import annotations

import math

import numpy as np

from grader.checking import check
from grader.checks.lesson7 import reference
from grader.checks.lesson7.conftest import BATCH_SIZE
from grader.checks.lesson7.reading import (
    assert_course_pairs,
    assert_same,
    call_array,
    forecast_of,
    pairs_of,
)
from grader.learner.session import Learner, Value

MAE_TOLERANCE = 1e-3
"""Statistical forecasts' MAE must equal the course's figures to this."""
SPLIT = reference.SPLIT_TIME
FIGURES = reference.figures()


@check(points=1, hint=("A trend is a straight line through the origin.", "Return slope * time."))
def test_trend(learner: Learner) -> None:
    """trend gives slope × time"""
    for time, slope in ((np.arange(1461), 0.05), (np.linspace(-3.0, 50.0, 200), -1.5)):
        found = call_array(learner, "trend", time, slope)
        assert_same(found, slope * time, "trend", f"with slope {slope}")


@check(
    points=2,
    hint=(
        "season_time is where each time step falls within its season, from 0 to 1.",
        "seasonal_pattern uses np.where(season_time < 0.4, cos(2π·t), 1 / exp(3t)); "
        "seasonality computes ((time + phase) % period) / period and scales by amplitude.",
    ),
)
def test_seasonality(learner: Learner) -> None:
    """seasonal_pattern and seasonality repeat the course's season shape every period"""
    season_time = np.linspace(0.0, 1.0, 101)
    found = call_array(learner, "seasonal_pattern", season_time)
    assert_same(found, reference.seasonal_pattern(season_time), "seasonal_pattern", "on [0, 1]")
    time = np.arange(1461)
    for period, amplitude, phase in ((365, 40, 0), (50, 3.0, 7)):
        found = call_array(learner, "seasonality", time, period, amplitude=amplitude, phase=phase)
        expected = reference.seasonality(time, period, amplitude, phase)
        where = f"with period {period}, amplitude {amplitude}, phase {phase}"
        assert_same(found, expected, "seasonality", where)


@check(
    points=1,
    hint=(
        "Draw the noise from a RandomState made from the seed, so a seed gives the same noise.",
        "np.random.RandomState(seed).randn(len(time)) * noise_level",
    ),
)
def test_white_noise(learner: Learner) -> None:
    """white_noise draws the course's normal noise for a seed"""
    time = np.arange(1461)
    for level, seed in ((5, 42), (2.5, 7)):
        found = call_array(learner, "white_noise", time, level, seed=seed)
        where = f"with noise_level {level} and seed {seed}"
        assert_same(found, reference.white_noise(time, level, seed), "white_noise", where)


@check(
    points=1,
    hint=(
        "The series is baseline + trend + seasonality + noise over time = np.arange(4 * 365 + 1).",
        "10 + trend(time, 0.05) + seasonality(time, period=365, amplitude=40) "
        "+ white_noise(time, 5, seed=42)",
    ),
)
def test_make_series(learner: Learner, series: np.ndarray) -> None:
    """make_series builds the course's series: baseline, trend, seasonality and noise"""
    found = call_array(learner, "make_series")
    assert_same(found, series, "make_series", "(the course's series)")


def assert_mae(forecast: np.ndarray, actual: np.ndarray, expected: float, what: str) -> float:
    """The forecast's validation MAE equals the reference figure, or a failed check."""
    mae = reference.mae(forecast, actual)
    assert abs(mae - expected) <= MAE_TOLERANCE, (
        f"{what}: expected a validation MAE of {expected:.4f} (the course's figure); found "
        f"{mae:.4f}."
    )
    return mae


@check(
    points=1,
    hint=(
        "The naive forecast of each time step is the value one step before it.",
        "For series[split_time:], that is series[split_time - 1:-1].",
    ),
)
def test_naive_forecast(learner: Learner, series: np.ndarray, record_property) -> None:
    """naive_forecast forecasts each value by the one before it"""
    for split in (SPLIT, 1200):
        actual = series[split:]
        value = learner.call("naive_forecast", series, split)
        forecast = forecast_of(value, len(actual), f"naive_forecast(series, {split})")
        if np.allclose(forecast, series[split - 2 : -2]):
            raise AssertionError(
                "naive_forecast is one step late: its value for series[split_time] is "
                "series[split_time - 2]. The forecast for each time is the value right "
                "before it, series[split_time - 1:-1]."
            )
        expected = reference.mae(reference.naive_forecast(series, split), actual)
        mae = assert_mae(forecast, actual, expected, f"naive_forecast(series, {split})")
        if split == SPLIT:
            record_property("naive_mae", mae)


@check(
    points=2,
    hint=(
        "The forecast for time t is the mean of the window_size values before t, not t itself.",
        "Loop over time in range(len(series) - window_size) and take "
        "series[time:time + window_size].mean().",
    ),
)
def test_moving_average(learner: Learner, series: np.ndarray, record_property) -> None:
    """moving_average_forecast averages the previous window_size values"""
    probe = np.arange(12.0) ** 2
    found = call_array(learner, "moving_average_forecast", probe, 3)
    expected = reference.moving_average_forecast(probe, 3)
    with_current = reference.moving_average_forecast(np.append(probe[1:], 0.0), 3)
    assert not (found.shape == with_current.shape and np.allclose(found, with_current)), (
        "moving_average_forecast includes the value it forecasts: on 0, 1, 4, 9, … with "
        "window 3 its first value is (1 + 4 + 9) / 3 instead of (0 + 1 + 4) / 3. Average "
        "series[time:time + window_size], the values before series[time + window_size]."
    )
    assert_same(found, expected, "moving_average_forecast", "on 0, 1, 4, 9, …, 121 with window 3")
    value = learner.call("moving_average_forecast", series, 30)
    forecast = forecast_of(value, len(series) - 30, "moving_average_forecast(series, 30)")
    mae = assert_mae(
        forecast[SPLIT - 30 :], series[SPLIT:], FIGURES["moving_average_30"], "30-day average"
    )
    record_property("moving_average_mae", mae)


@check(
    points=2,
    hint=(
        "Difference the series with the value a period earlier, forecast the differences with "
        "a moving average, then add back the past.",
        "diff_series = series[period:] - series[:-period]; take its moving average from "
        "split_time - period - window_size on, and add series[split_time - period:-period] "
        "(or its 10-day centred average when smooth_past).",
    ),
)
def test_differenced_forecast(learner: Learner, series: np.ndarray, record_property) -> None:
    """differenced_forecast adds the past back to the moving average of the differences"""
    actual = series[SPLIT:]
    for smooth, name in ((False, "differenced_raw_past"), (True, "differenced_smooth_past")):
        what = f"differenced_forecast(series, {SPLIT}, smooth_past={smooth})"
        value = learner.call("differenced_forecast", series, SPLIT, smooth_past=smooth)
        forecast = forecast_of(value, len(actual), what)
        what += " (it uses your moving_average_forecast: make that check pass first)"
        record_property(f"{name}_mae", assert_mae(forecast, actual, FIGURES[name], what))


@check(
    points=2,
    hint=(
        "Each window is window_size values and its target the value right after; shuffle "
        "the pairs before batching them.",
        "Dataset.from_tensor_slices(series).window(window_size + 1, shift=1, "
        "drop_remainder=True), flat_map each window to one tensor with "
        ".batch(window_size + 1), shuffle, map to (window[:-1], window[-1]), then batch.",
    ),
)
def test_window_dataset(learner: Learner, series: np.ndarray, window_probe: Value) -> None:
    """window_dataset gives every window and its next value, shuffled and batched"""
    assert window_probe.kind == "dataset", (
        f"window_dataset should return a tf.data.Dataset; it returned {window_probe.type_name} "
        f"({window_probe.info.get('repr')})."
    )
    count = SPLIT - reference.WINDOW_SIZE
    batches = math.ceil(count / BATCH_SIZE)
    passes = learner.take_batches(window_probe.ref, passes=2, batches=batches + 1)
    assert passes[0] and len(passes[0][0][0]) == BATCH_SIZE, (
        f"Expected batches of {BATCH_SIZE} pairs (the default batch_size); the first batch "
        f"held {len(passes[0][0][0]) if passes[0] else 0}."
    )
    assert_course_pairs(pairs_of(passes[0]), series[:SPLIT])
    orders = [pairs_of(elements)[0][:, 0] for elements in passes]
    assert not np.array_equal(orders[0], series[: SPLIT - reference.WINDOW_SIZE]), (
        "The windows come in time order: shuffle them (dataset.shuffle(shuffle_buffer)) "
        "so that the model does not learn from one season after another."
    )
    assert not np.array_equal(orders[0], orders[1]), (
        "Two passes over the dataset gave the windows in the same order: shuffle so that "
        "each pass (each epoch) gets a fresh order."
    )
