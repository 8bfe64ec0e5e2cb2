"""Lesson 5, wrong: the base is left trainable, so training changes its weights."""

import keras
import numpy as np

EPOCHS = 300

GROUP_NAMES = ["tops", "bottoms and dresses", "footwear", "bags"]


def build_model(base: keras.Model, num_classes: int = 4) -> keras.Model:
    """Frozen base, then a new classification head; compiled with Adam."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Rescaling(1.0 / 255)(inputs)
    x = base(x, training=False)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, images: np.ndarray, labels: np.ndarray, epochs: int = EPOCHS):
    """Fit on the raw images (the model rescales them) and return the History."""
    return model.fit(images, labels, epochs=epochs, verbose=0)


def fine_tune(
    model: keras.Model, base: keras.Model, layers: int = 2, learning_rate: float = 1e-5
) -> keras.Model:
    """Unfreeze the top ``layers`` layers of the base that have weights; recompile slowly."""
    base.trainable = True
    with_weights = [layer for layer in base.layers if layer.weights]
    for layer in base.layers:
        layer.trainable = layer in with_weights[-layers:]
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The most likely group of each raw image."""
    return np.argmax(model.predict(images, verbose=0), axis=1)
