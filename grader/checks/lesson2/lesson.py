"""Lesson 2: a dense network on Fashion-MNIST (course notebook l03c01)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson2",
    order=2,
    title="Fashion-MNIST: a dense network on real images",
    summary="Classify 28×28 images of clothing into 10 classes with "
    "Flatten → Dense(128) → Dense(10).",
    epochs=5,
)
