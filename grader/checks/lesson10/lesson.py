"""Lesson 10: TensorFlow Lite — convert, quantize and interpret (the course's TF Lite notebooks)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson10",
    order=10,
    title="TensorFlow Lite: convert, quantize and run a model on a device's runtime",
    summary="Convert the trained Fashion-MNIST CNN to a .tflite flatbuffer, shrink it by "
    "full integer quantization, and run .tflite models with the LiteRT interpreter.",
    epochs=1,
    function_seconds={"train": 300.0},
)
