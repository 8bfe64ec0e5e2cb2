"""Lesson 3: convolutional neural networks on Fashion-MNIST (course notebook l04c01)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson3",
    order=3,
    title="Convolutional neural networks: a CNN for Fashion-MNIST",
    summary="Compute a convolution and max pooling in numpy, then train the course's CNN, "
    "Conv2D → MaxPooling2D → Conv2D → MaxPooling2D → Dense, which beats lesson 2's network.",
    epochs=1,
)
