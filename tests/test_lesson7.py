"""Lesson 7: the reference passes every check; each wrong submission fails its own.

The reference is graded once at the full budget (shared with its golden case).
The wrong submissions are graded at a budget of one pass over the windows,
several independent mistakes sharing one run when each fails a different check;
only the accuracy thresholds need the full budget, and the reference shows
that side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.lesson7 import reference as figures
from grader.checks.lesson7.test_models import DENSE_THRESHOLD, LINEAR_THRESHOLD
from grader.results import RunResult, RunStatus, Status
from tests.conftest import ROOT, check, failure_message, grade_source
from tests.conftest import variant as replaced

REFERENCE = (ROOT / "solutions" / "lesson7.py").read_text(encoding="utf-8")
CHECKS = (
    "trend",
    "seasonality",
    "white_noise",
    "make_series",
    "naive_forecast",
    "moving_average",
    "differenced_forecast",
    "window_dataset",
    "dense_model",
    "linear_model",
    "rnn_model",
    "train",
)


COMMON_MISTAKES = (
    ("return series[split_time - 1 : -1]", "return series[split_time - 2 : -2]"),
    (
        "series[time : time + window_size].mean()",
        "series[time + 1 : time + window_size + 1].mean()",
    ),
    ("    dataset = dataset.shuffle(shuffle_buffer)\n", ""),
    (
        "return model.fit(dataset, epochs=epochs, verbose=0)",
        "return model.fit(window_dataset(make_series(), 30), epochs=epochs, verbose=0)",
    ),
    ("rnd.randn(len(time)) * noise_level", "rnd.rand(len(time)) * noise_level"),
    (
        "season_time = ((time + phase) % period) / period",
        "season_time = (time % period) / period",
    ),
    ("keras.layers.Lambda(lambda x: x * 100.0)", "keras.layers.Lambda(lambda x: x * 0.0)"),
)
"""One step late, the current value averaged, no shuffling, other training data, and a
recurrent network whose output is always 0; each replaces reference code."""


def variant(*replacements: tuple[str, str]) -> str:
    """The lesson 7 reference with each ``(old, new)`` replaced once."""
    return replaced(*replacements, reference=REFERENCE)


def graded(tmp_path: Path, source: str, epochs: int | None = 1) -> RunResult:
    return grade_source(tmp_path, source, epochs=epochs, lesson="lesson7")


@pytest.fixture(scope="module")
def reference(reference_results) -> RunResult:
    return reference_results.get("lesson7")


def test_reference_passes_every_check_at_the_full_budget(reference: RunResult) -> None:
    assert sorted(c.id for c in reference.checks) == sorted(CHECKS)
    assert [c.status for c in reference.checks] == [Status.PASSED] * len(CHECKS)
    assert reference.status is RunStatus.PASSED
    assert check(reference, "linear_model").metrics["linear_mae"] <= LINEAR_THRESHOLD
    assert check(reference, "dense_model").metrics["dense_mae"] <= DENSE_THRESHOLD
    naive = check(reference, "naive_forecast").metrics["naive_mae"]
    assert naive == pytest.approx(5.9379, abs=1e-4)
    assert check(reference, "rnn_model").metrics["rnn_mae"] < naive


def test_the_reference_figures_are_the_course_s() -> None:
    assert figures.figures() == pytest.approx(
        {
            "naive": 5.9379,
            "moving_average_30": 7.1424,
            "differenced_raw_past": 5.8393,
            "differenced_smooth_past": 4.5694,
        },
        abs=1e-4,
    )
    assert pytest.approx(3.989, abs=1e-3) == figures.NOISE_FLOOR


def test_untouched_stubs_are_to_do(stubs_results) -> None:
    result = stubs_results.get("lesson7")
    assert result.status is RunStatus.FAILED and result.score == 0
    assert {c.status for c in result.checks} <= {Status.NOT_ATTEMPTED, Status.SKIPPED}


def test_common_mistakes_fail_their_own_checks(tmp_path: Path) -> None:
    """One step late, the current value in the average, no shuffling, other training data,
    and models that learn too little."""
    source = variant(*COMMON_MISTAKES)
    result = graded(tmp_path, source)
    assert "one step late" in failure_message(result, "naive_forecast")
    assert "includes the value it forecasts" in failure_message(result, "moving_average")
    assert "time order" in failure_message(result, "window_dataset")
    assert "only on it" in failure_message(result, "train")
    differenced = failure_message(result, "differenced_forecast")
    assert "expected a validation MAE of 5.8393" in differenced  # its moving average's fault
    assert "make that check pass first" in differenced
    assert "white_noise with noise_level 5 and seed 42" in failure_message(result, "white_noise")
    assert "seasonality with period 50, amplitude 3.0, phase 7" in failure_message(
        result, "seasonality"
    )
    assert "make_series" in failure_message(result, "make_series")
    assert check(result, "trend").status is Status.PASSED
    # One pass over the windows is far too little: the thresholds' failing side.
    linear = failure_message(result, "linear_model")
    assert f"expected at most {LINEAR_THRESHOLD}" in linear and "reduced budget" in linear
    assert f"expected at most {DENSE_THRESHOLD}" in failure_message(result, "dense_model")
    assert "should beat the naive forecast" in failure_message(result, "rnn_model")
    # The report shows each forecast against the validation period, pass or fail.
    pictures = [f for f in check(result, "linear_model").figures if f.kind == "forecast"]
    assert len(pictures) == 1 and len(pictures[0].series["forecast"]) == 461
    assert pictures[0].series["series"][0] == pytest.approx(figures.make_series()[1000])


def test_wrong_models_and_forecasts_fail_the_model_checks(tmp_path: Path) -> None:
    """A forecast that reads the answers it should forecast; a linear model with a hidden
    layer; the past smoothed one step off."""
    source = variant(
        (
            "    return model.predict(dataset, verbose=0)",
            "    return make_series()[SPLIT_TIME:]",
        ),
        (
            "keras.Sequential([keras.Input(shape=(window_size,)), keras.layers.Dense(1)])",
            "keras.Sequential([keras.Input(shape=(window_size,)), keras.layers.Dense(4), "
            "keras.layers.Dense(1)])",
        ),
        (
            "series[split_time - period - 5 : -period + 5]",
            "series[split_time - period - 4 : -period + 6]",
        ),
    )
    result = graded(tmp_path, source)
    assert "A linear model is one Dense unit" in failure_message(result, "linear_model")
    assert "below the noise floor" in failure_message(result, "dense_model")
    assert "below the noise floor" in failure_message(result, "rnn_model")
    assert "expected a validation MAE of 4.5694" in failure_message(result, "differenced_forecast")
    assert check(result, "train").status is Status.PASSED
