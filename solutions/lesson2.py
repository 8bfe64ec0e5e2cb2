"""Lesson 2 — Fashion-MNIST with a dense network: the reference solution.

The grader's self-test grades this file (``python -m grader lesson2 --solution``).
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


def normalize(images, labels):
    """Pixel values from 0–255 to 0–1, as float32; labels unchanged."""
    images = tf.cast(images, tf.float32) / 255.0
    return images, labels


def make_dataset(images, labels, batch_size=32, training=True) -> tf.data.Dataset:
    """Normalised, cached, shuffled when training, batched."""
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(normalize).cache()
    if training:
        dataset = dataset.shuffle(len(images))
    return dataset.batch(batch_size)


def build_model() -> keras.Model:
    """Flatten → Dense(128, relu) → Dense(10, softmax), compiled with Adam."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, train_dataset: tf.data.Dataset, epochs: int = 5):
    """Fit the model for ``epochs`` epochs and return the History."""
    return model.fit(train_dataset, epochs=epochs, verbose=0)


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The predicted class id of each raw image."""
    probabilities = model.predict(normalize(images, None)[0], verbose=0)
    return np.argmax(probabilities, axis=1)


if __name__ == "__main__":
    (train_images, train_labels), (test_images, test_labels) = (
        keras.datasets.fashion_mnist.load_data()
    )
    model = build_model()
    train(model, make_dataset(train_images[..., np.newaxis], train_labels))
    predicted = predict_classes(model, test_images[..., np.newaxis])
    print("Test accuracy:", np.mean(predicted == test_labels))
    print("First test image:", CLASS_NAMES[predicted[0]], "— really", CLASS_NAMES[test_labels[0]])
