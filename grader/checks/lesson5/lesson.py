"""Lesson 5: transfer learning from a base network the package ships (course l06c01–l06c03)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson5",
    order=5,
    title="Transfer learning: a frozen base network and a new head",
    summary="Freeze a pre-trained CNN, put a new classification head on it, train the head on "
    "40 labelled images of four new groups, then fine-tune the base's top layers.",
    epochs=300,
    function_seconds={"train": 600.0},
)
