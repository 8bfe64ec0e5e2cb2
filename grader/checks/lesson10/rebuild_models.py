"""Rebuild the grader's own TensorFlow Lite models for lesson 10's tflite_predict check.

    python -m grader.checks.lesson10.rebuild_models

Trains a small network that is NOT the lesson's CNN (strided convolutions, no
pooling, logits out) for one epoch on the first 5,000 Fashion-MNIST training
images, seed 10, and writes it as a float model and as a fully
integer-quantized one (float input and output) into ``models/``.  Then update
``MODELS`` in ``grader_models.py`` with the SHA-256 this prints.  This runs
TensorFlow; the grader itself only reads the files it wrote.
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np

from grader.checks.lesson10.grader_models import MODELS, MODELS_DIR
from grader.datasets import fashion as data


def build(images: np.ndarray, labels: np.ndarray):
    import keras

    keras.utils.set_random_seed(10)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(8, 5, strides=2, activation="relu"),
            keras.layers.Conv2D(12, 3, strides=2, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(images, labels, epochs=1, batch_size=64, verbose=0)
    return model


def convert(model, representative: np.ndarray | None) -> bytes:
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if representative is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([image[np.newaxis]] for image in representative)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def main() -> None:
    fashion = data.fashion_mnist()
    images = fashion.train.images[:5000].astype(np.float32) / 255.0
    model = build(images, fashion.train.labels[:5000])
    contents = {"float": convert(model, None), "int8": convert(model, images[:300])}
    for name, content in contents.items():
        path = MODELS_DIR / MODELS[name].file
        path.write_bytes(content)
        sys.stdout.write(
            f"{name}: {path.name}, {len(content)} bytes, sha256 "
            f"{hashlib.sha256(content).hexdigest()}\n"
        )


if __name__ == "__main__":
    main()
