"""Lesson 4: going further with CNNs — images from folders, overfitting, augmentation and
dropout (course notebooks l05c01–l05c04)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson4",
    order=4,
    title="Going further with CNNs: image folders, overfitting, augmentation and dropout",
    summary="Load Shirt and T-shirt/top images from folders, watch a small CNN overfit them, "
    "then reduce overfitting with random flips and rotations and with dropout.",
    epochs=20,
    function_seconds={"train": 300.0},
)
