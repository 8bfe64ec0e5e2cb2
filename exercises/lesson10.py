"""Lesson 10 — TensorFlow Lite: convert, quantize and run a model on a small device's runtime.

A phone or a microcontroller does not run Keras.  It runs TensorFlow Lite: a
small runtime that reads one file, the model's *flatbuffer* (a ``.tflite`` file;
its bytes 4–8 say ``TFL3``), and executes its operations one after another.
In this lesson you take the course's small CNN for Fashion-MNIST, train it,
and then

  1. convert it to a TensorFlow Lite model with ``tf.lite.TFLiteConverter``;
  2. shrink it by quantization: the weights *and* the activations become 8-bit
     integers (int8) instead of 32-bit floats, so the file is about four times
     smaller and the operations run in integer arithmetic;
  3. run a ``.tflite`` model with the TensorFlow Lite interpreter (LiteRT), the
     way an app on a device does.

Some words the course uses:
  * Converter — ``tf.lite.TFLiteConverter.from_keras_model(model)`` (or
    ``from_saved_model`` on an exported SavedModel folder); ``convert()`` gives
    the flatbuffer as ``bytes``, which you could write to a ``.tflite`` file.
  * Optimization — ``converter.optimizations = [tf.lite.Optimize.DEFAULT]``
    asks the converter to quantize.  On its own it only stores the weights as
    int8 ("dynamic range" quantization): the activations stay float.
  * Representative dataset — a generator function that yields a few real input
    examples, each as a list holding one float32 batch (``[image[None]]``).  The
    converter runs them through the model to measure the range of every
    activation, so it can map those ranges onto int8.  The examples must look
    exactly like the model's real inputs (here: scaled to [0, 1]).
  * Full integer quantization — ``Optimize.DEFAULT`` with a representative
    dataset and ``converter.target_spec.supported_ops =
    [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]``: every convolution and dense
    operation then computes in int8.  The model's input and output stay float32
    (the converter adds a quantize and a dequantize step at the ends).
  * Interpreter — ``Interpreter(model_content=the_bytes)``, then
    ``allocate_tensors()``, then for each input ``set_tensor(input index, x)``,
    ``invoke()``, and ``get_tensor(output index)``.  The indices come from
    ``get_input_details()`` and ``get_output_details()``.  The interpreter is in
    the ``ai-edge-litert`` package: ``from ai_edge_litert.interpreter import
    Interpreter`` (``tf.lite.Interpreter`` is the same class, deprecated).

Everywhere in this lesson images are float32 in [0, 1], shaped (N, 28, 28, 1):
the grader scales them before it calls your functions.

``build_model`` and ``train`` are written for you.  Fill in ``convert``,
``convert_quantized`` and ``tflite_predict``, then check your work from the
course folder:

    python -m grader lesson10

The grader trains the model with ``train`` for one epoch, converts it with your
functions, and examines the files your code made in a separate, locked-down
process; it also gives ``tflite_predict`` TensorFlow Lite models of its own.
To try your code on your own, run this file: it loads the data with
``keras.datasets.fashion_mnist.load_data()`` (a download the first time).
"""

import keras
import numpy as np
import tensorflow as tf  # noqa: F401 — your functions need tf.lite

CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def build_model() -> keras.Model:
    """The course's small CNN, compiled (written for you).

    Conv2D(16, 3×3, same, relu) → MaxPooling2D → Conv2D(32, 3×3, same, relu) →
    Flatten → Dense(64, relu) → Dense(10, softmax).
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, images: np.ndarray, labels: np.ndarray, epochs: int = 1):
    """Fit the model on float images in [0, 1] and return the History (written for you)."""
    return model.fit(images, labels, epochs=epochs, batch_size=32, verbose=0)


def convert(model: keras.Model) -> bytes:
    """The trained Keras ``model`` as a float TensorFlow Lite model.

    Make a ``tf.lite.TFLiteConverter`` from the Keras model and return what its
    ``convert()`` gives: the flatbuffer, as ``bytes``.  No optimizations: this
    model computes in float32 and its outputs equal the Keras model's.
    """
    raise NotImplementedError("convert: a TFLiteConverter from the Keras model")


def convert_quantized(model: keras.Model, representative_images: np.ndarray) -> bytes:
    """The trained ``model`` with full integer quantization, as ``bytes``.

    ``representative_images`` are float32 training images in [0, 1], shaped
    (N, 28, 28, 1).  Set the converter's ``optimizations`` to
    ``[tf.lite.Optimize.DEFAULT]``, give it a ``representative_dataset``: a
    generator function yielding, for each of those images, a list holding that
    one image as a batch of one (float32, shape (1, 28, 28, 1)); and restrict
    ``target_spec.supported_ops`` to ``tf.lite.OpsSet.TFLITE_BUILTINS_INT8``.
    Keep the model's input and output float32 (do not set inference_input_type
    or inference_output_type).  Return ``converter.convert()``.
    """
    raise NotImplementedError("convert_quantized: Optimize.DEFAULT + a representative dataset")


def tflite_predict(model_bytes: bytes, images: np.ndarray) -> np.ndarray:
    """Run every image through the TensorFlow Lite model ``model_bytes``.

    ``model_bytes`` is a ``.tflite`` flatbuffer whose input is one float32 image,
    shape (1, 28, 28, 1), and whose output is ten float32 numbers per image.
    ``images`` is float32, shape (N, 28, 28, 1).  Make an ``Interpreter`` with
    ``model_content=model_bytes``, allocate its tensors, then for each image set
    the input tensor (a batch of one), invoke, and read the output tensor.
    Return the outputs as a numpy array of shape (N, 10), in the images' order.
    """
    raise NotImplementedError("tflite_predict: allocate, set the input, invoke, read the output")


if __name__ == "__main__":
    (train_images, train_labels), (test_images, test_labels) = (
        keras.datasets.fashion_mnist.load_data()
    )
    train_images = train_images[..., np.newaxis].astype(np.float32) / 255.0
    test_images = test_images[..., np.newaxis].astype(np.float32) / 255.0
    model = build_model()
    train(model, train_images, train_labels)
    float_model = convert(model)
    small_model = convert_quantized(model, train_images[:200])
    print(f"Float model: {len(float_model):,} bytes; quantized: {len(small_model):,} bytes")
    for name, content in (("float", float_model), ("quantized", small_model)):
        predicted = np.argmax(tflite_predict(content, test_images[:1000]), axis=1)
        print(f"{name} model, test accuracy:", np.mean(predicted == test_labels[:1000]))
