"""Lesson 6: saving and loading models (course notebook l07c01)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson6",
    order=6,
    title="Saving and loading models",
    summary="Save a trained Fashion-MNIST classifier as a .keras file, load it back, resume "
    "its training with the optimizer's state, and export a SavedModel for serving.",
    epochs=1,
)
