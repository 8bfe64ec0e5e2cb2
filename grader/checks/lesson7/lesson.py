"""Lesson 7: time series forecasting (course notebooks l08c01–l08c07)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson7",
    order=7,
    title="Time series forecasting",
    summary="Build the course's series, forecast it naively, by moving averages and "
    "differencing, then with linear, dense and recurrent models trained on windows.",
    epochs=200,
    function_seconds={"train": 300.0},
)
