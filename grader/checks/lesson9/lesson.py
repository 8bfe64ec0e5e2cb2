"""Lesson 9: recurrent networks for text, and text generation (course notebooks l10c01–l10c04)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson9",
    order=9,
    title="Natural language processing: recurrent networks and text generation",
    summary="Read reviews with a bidirectional LSTM (and a GRU and a 1-D convolution) so that "
    "word order counts, then turn song lines into n-grams and train a model that writes "
    "lines one word at a time.",
    epochs=15,
    function_seconds={"train": 300.0},
)
