"""Lesson 10 — TensorFlow Lite: convert, quantize and interpret. The reference solution.

The grader's self-test grades this file (``python -m grader lesson10 --solution``).
"""

import keras
import numpy as np
import tensorflow as tf

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
    """Conv2D(16) → MaxPool → Conv2D(32) → Flatten → Dense(64) → Dense(10), compiled."""
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
    """Fit the model on float images in [0, 1] and return the History."""
    return model.fit(images, labels, epochs=epochs, batch_size=32, verbose=0)


def convert(model: keras.Model) -> bytes:
    """The model as a float TensorFlow Lite flatbuffer."""
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    return converter.convert()


def convert_quantized(model: keras.Model, representative_images: np.ndarray) -> bytes:
    """Full integer quantization: int8 weights and activations, float input and output."""

    def representative_dataset():
        for image in representative_images:
            yield [image[np.newaxis].astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative_dataset
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def tflite_predict(model_bytes: bytes, images: np.ndarray) -> np.ndarray:
    """Every image through the LiteRT interpreter, one at a time; outputs stacked (N, 10)."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:  # no LiteRT wheel for this platform (e.g. Intel macOS): the old name
        Interpreter = tf.lite.Interpreter

    interpreter = Interpreter(model_content=model_bytes)
    interpreter.allocate_tensors()
    input_index = interpreter.get_input_details()[0]["index"]
    output_index = interpreter.get_output_details()[0]["index"]
    outputs = []
    for image in images:
        interpreter.set_tensor(input_index, image[np.newaxis].astype(np.float32))
        interpreter.invoke()
        outputs.append(interpreter.get_tensor(output_index)[0].copy())
    return np.array(outputs)


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
