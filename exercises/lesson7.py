"""Lesson 7 — Time series forecasting.

A time series is a sequence of values, one per time step.  The course builds
one of its own, four years of daily values, from three parts:

  * Trend — a steady rise or fall: here a straight line, ``slope * time``.
  * Seasonality — a pattern that repeats every period (here every 365 days).
  * Noise — random values that no forecast can predict (white noise, normal
    with standard deviation 5 here).

The series is split at ``split_time = 1000``: the first 1000 values are the
training period, the remaining 461 the validation period, on which every
forecast is judged by its mean absolute error (MAE).

Forecasts you will make, from simplest to learned:

  * Naive forecast — tomorrow is today: each value forecast by the one before.
  * Moving average — the mean of the last ``window_size`` values.  It smooths
    out the noise but does not follow the trend or the seasons.
  * Differencing — remove trend and seasonality by taking the difference
    between each value and the value a period earlier, forecast those
    differences with a moving average, then add back the past.
  * Windowed dataset — to learn from the series, cut it into windows: each
    window of ``window_size`` values is an input and the value right after it
    the target.  Shuffle the windows and batch them.
  * Linear model, dense network and recurrent network (RNN) trained on those
    windows with the Huber loss, then asked for one forecast per window.

Fill in the functions below, then check your work from the course folder:

    python -m grader lesson7

The grader makes the series itself, asks your forecasts about its validation
period, inspects the windows your ``window_dataset`` gives, and trains each of
your models with your ``train`` on windows of the training period.  To try
your code on your own, run this file.
"""

import keras  # `from tensorflow import keras` or `tf.keras` is the same Keras
import numpy as np
import tensorflow as tf

SPLIT_TIME = 1000
WINDOW_SIZE = 30


def trend(time, slope=0):
    """The trend: ``slope * time`` (an array like ``time``)."""
    raise NotImplementedError("trend: a straight line through the origin")


def seasonal_pattern(season_time):
    """The shape of one season, for ``season_time`` between 0 and 1 (an array).

    Where ``season_time < 0.4`` it is ``cos(season_time * 2π)``; elsewhere it
    is ``1 / exp(3 * season_time)``.  Use ``np.where``.
    """
    raise NotImplementedError("seasonal_pattern: cosine, then exponential decay")


def seasonality(time, period, amplitude=1, phase=0):
    """The seasonal pattern repeated every ``period`` steps.

    ``season_time = ((time + phase) % period) / period`` is where each time
    step falls within its season (0 to 1); return ``amplitude`` times
    ``seasonal_pattern(season_time)``.
    """
    raise NotImplementedError("seasonality: repeat the pattern every period")


def white_noise(time, noise_level=1, seed=None):
    """Normal noise, one value per time step, with standard deviation ``noise_level``.

    Draw it as the course does, so that a seed gives the course's numbers:
    ``np.random.RandomState(seed).randn(len(time)) * noise_level``.
    """
    raise NotImplementedError("white_noise: random normal values times the noise level")


def make_series() -> np.ndarray:
    """The course's series, an array of 1461 values.

    ``time = np.arange(4 * 365 + 1)``; the series is the baseline 10, plus
    ``trend(time, 0.05)``, plus ``seasonality(time, period=365, amplitude=40)``,
    plus ``white_noise(time, 5, seed=42)``.
    """
    raise NotImplementedError("make_series: baseline + trend + seasonality + noise")


def naive_forecast(series, split_time) -> np.ndarray:
    """The naive forecast of ``series[split_time:]``: each value forecast by the one before.

    Return an array as long as ``series[split_time:]`` whose value at position
    ``i`` is ``series[split_time + i - 1]``.
    """
    raise NotImplementedError("naive_forecast: the value one step earlier")


def moving_average_forecast(series, window_size) -> np.ndarray:
    """The moving-average forecast of every time from ``window_size`` on.

    Return ``len(series) - window_size`` values: the one at position ``t`` is
    the mean of ``series[t : t + window_size]``, the forecast of
    ``series[t + window_size]`` (the mean of the values before it, not
    including it).
    """
    raise NotImplementedError("moving_average_forecast: mean of the previous values")


def differenced_forecast(series, split_time, period=365, window_size=50, smooth_past=True):
    """The differencing forecast of ``series[split_time:]`` (one value per time step).

    1. ``diff_series = series[period:] - series[:-period]`` removes the trend
       and the seasonality.
    2. Forecast it with ``moving_average_forecast(diff_series, window_size)``
       and keep the part for the validation period: from index
       ``split_time - period - window_size`` on.
    3. Add back the past a period earlier: ``series[split_time - period:-period]``
       when ``smooth_past`` is False; when it is True, that past smoothed by a
       centred moving average, as the course does:
       ``moving_average_forecast(series[split_time - period - 5:-period + 5], 10)``.
    """
    raise NotImplementedError("differenced_forecast: differences' moving average plus the past")


def window_dataset(series, window_size, batch_size=32, shuffle_buffer=1000) -> tf.data.Dataset:
    """A ``tf.data.Dataset`` of (window, target) pairs, shuffled and batched.

    Each window is ``window_size`` consecutive values of ``series`` and its
    target the value right after it, so ``len(series) - window_size`` pairs in
    all.  Shuffle them (a buffer of ``shuffle_buffer``), so that each pass over
    the dataset gives a fresh order, and batch them by ``batch_size``.  Each
    element is then (windows of shape (batch, window_size), targets of shape
    (batch,)).  ``Dataset.window`` and ``flat_map`` do the cutting.
    """
    raise NotImplementedError("window_dataset: windows and their next value, shuffled, batched")


def build_linear_model(window_size) -> keras.Model:
    """A linear model: one Dense unit over a window of ``window_size`` values.

    Compile it with the Huber loss and an optimizer (the course uses SGD with
    ``learning_rate=1e-5`` and ``momentum=0.9``).  Return the compiled model.
    """
    raise NotImplementedError("build_linear_model: Dense(1) on the window, compiled")


def build_dense_model(window_size) -> keras.Model:
    """A dense network: Dense(10, relu) → Dense(10, relu) → Dense(1) over the window.

    Compile it with the Huber loss and an optimizer (the course uses SGD with
    ``learning_rate=1e-5`` and ``momentum=0.9``).  Return the compiled model.
    """
    raise NotImplementedError("build_dense_model: two hidden Dense layers, compiled")


def build_rnn_model(window_size) -> keras.Model:
    """A recurrent network that reads the window one value at a time.

    Its input is a batch of windows of shape (batch, window_size); add the
    feature axis inside the model (``Reshape`` or ``Lambda`` with
    ``tf.expand_dims``) before SimpleRNN, LSTM or GRU layers (or Conv1D then
    LSTM), end with Dense(1), and scale the output as the course does if you
    like (×200).  Compile it with the Huber loss.  Return the compiled model.
    """
    raise NotImplementedError("build_rnn_model: recurrent layers over the window, compiled")


def train(model, dataset, epochs):
    """Train ``model`` on the windowed ``dataset`` for ``epochs`` epochs.

    The dataset is already batched; train on it and nothing else.  Return the
    History object ``model.fit`` gives back.
    """
    raise NotImplementedError("train: fit the model and return the History")


def model_forecast(model, series, window_size) -> np.ndarray:
    """The model's forecast after each window of ``series``, in time order.

    Cut ``series`` into every window of ``window_size`` consecutive values
    (``len(series) - window_size + 1`` windows, the last one included) and
    return the model's prediction for each, an array of shape (N,) or (N, 1).
    Forecasting ``series[split_time:]`` means passing
    ``series[split_time - window_size:-1]``.
    """
    raise NotImplementedError("model_forecast: one prediction per window")


if __name__ == "__main__":
    series = make_series()
    valid = series[SPLIT_TIME:]
    print("naive MAE:", np.mean(np.abs(naive_forecast(series, SPLIT_TIME) - valid)))
    average = moving_average_forecast(series, 30)[SPLIT_TIME - 30 :]
    print("moving average MAE:", np.mean(np.abs(average - valid)))
    print("differenced MAE:", np.mean(np.abs(differenced_forecast(series, SPLIT_TIME) - valid)))
    train_set = window_dataset(series[:SPLIT_TIME], WINDOW_SIZE)
    for build in (build_linear_model, build_dense_model, build_rnn_model):
        model = build(WINDOW_SIZE)
        train(model, train_set, 100)
        forecast = model_forecast(model, series[SPLIT_TIME - WINDOW_SIZE : -1], WINDOW_SIZE)
        print(build.__name__, "MAE:", np.mean(np.abs(np.reshape(forecast, -1) - valid)))
