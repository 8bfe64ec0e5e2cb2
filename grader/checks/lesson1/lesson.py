"""Lesson 1: one neuron learns Celsius to Fahrenheit (course notebook l02c01)."""

from grader.lessons import Lesson
from grader.limits import Limits

LESSON = Lesson(
    id="lesson1",
    order=1,
    title="Celsius to Fahrenheit: your first model",
    summary="Train a single neuron to learn F = 1.8·C + 32 from seven examples.",
    epochs=500,
    limits=Limits(train_seconds=180.0),
)
