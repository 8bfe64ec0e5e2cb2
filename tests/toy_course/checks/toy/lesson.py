"""A toy lesson for the grader's own tests: it lives outside grader/ and is found through
$GRADER_LESSON_PATH, to prove that a lesson needs nothing outside its folder."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="toy",
    order=99,
    title="Toy: scale an array",
    summary="Multiply every number by two, and build a one-neuron model.",
    epochs=1,
    function_seconds={"slow_double": 5.0},
)
